#pragma once

// ingest: everything that turns outside data into asset-graph nodes.
//
// Each source has its own adapter: snapshot/ (files of AWS CLI JSON output and JSON Lines),
// aws/ (live accounts over the AWS APIs), iac/ (CloudFormation and Terraform). Adapters know
// the schema's labels, properties and edges (schemas/aws.graphql) and nothing about controls.
// Bad input is data: it comes back as problems (file:line:col) and gaps (assets known to exist
// that could not be evaluated), and everything else is still read.
//
//   ingest::SnapshotResult s = ingest::LoadSnapshot({"examples/estate"});
//   for (const Error& e : s.problems) Log(e.ToString());
//   for (const ingest::Gap& g : s.gaps) Log(g.id + ": " + g.reason);
//   auto q = query::Query::Compile(schema, text);
//   auto matches = q->Matches(s.graph);

#include "ingest/iac/iac.h"
#include "ingest/snapshot/snapshot.h"
