#pragma once

// graph: the asset graph and its schema.
//
// A Graph holds nodes (label, unique id, properties) and typed directed edges; values are
// compact views into the graph's own arena (absent means null). A Schema is GraphQL SDL with
// @relationship(type:, direction:) as in the Neo4j GraphQL Library, and names each type's
// generated root list field. Ingest adapters build graphs; the query engine reads them. The
// schema's @sensitive is the one redaction rule of every output (redact.h); the bundled schema
// is compiled in (BuiltinSchema).
// Thread-safety: build on one thread, call Freeze(), then read from any number of threads.
//
//   Graph g;
//   NodeIndex td = g.AddNode("ECSTaskDefinition", arn);
//   g.SetProp(td, "networkMode", g.String("host"));
//   g.AddEdge("HAS_CONTAINER_DEFINITION", td, g.AddNode("ECSTaskContainerSpec", arn + "#web"));
//   g.Freeze();

#include "graph/graph_json.h"
#include "graph/graphql_lexer.h"
#include "graph/property_graph.h"
#include "graph/redact.h"
#include "graph/schema.h"
#include "graph/value.h"
