#pragma once

// ingest/aws: the AWS client layer, with no AWS SDK. A Session reads the environment and the
// shared config files, resolves profile, region and credentials in botocore's order (environment,
// assume-role chains, web identity, SSO, credentials file, credential_process, config file, ECS
// container, EC2 instance metadata) and hands out Clients. A Client speaks one service's protocol
// (JSON 1.1 for ECS and Organizations, query/XML for EC2, ELBv2 and STS), signs with our own
// SigV4, sends through a Transport (libcurl, or FakeTransport in tests), maps error responses to
// an AwsErrorKind (kAccessDenied, kThrottling, kExpiredToken, kOptInRequired, ...) and retries
// throttling, 5xx and network failures with jittered backoff, a retry quota and an adaptive rate
// limiter, under per-account request limits (rate_limit.h). Secrets are never logged, formatted or
// put into an error message. On top of it, the live scan: ScanAccounts (scan.h) walks accounts and
// regions on a bounded WorkPool and CollectRegion (collect.h) reads one account and region as AWS
// CLI JSON documents. Thread-safety: Session (once created), Client, CredentialSource and Transport
// implementations may be used from many threads; the free functions are pure.
//
//   ASSIGN_OR_RETURN(auto session, aws::Session::Create({.profile = "prod"}));
//   ASSIGN_OR_RETURN(auto ecs, session->NewClient(aws::kEcs, "eu-west-1"));
//   Result<std::string> body = ecs->CallJson("ListClusters", "{}");
//   if (!body.ok() && aws::KindOf(body.error()) == aws::AwsErrorKind::kAccessDenied) { /* gap */ }
//   for (auto& [key, n] : session->stats().Snapshot()) { /* key.first.key.second: n.calls */ }

#include "ingest/aws/awscli_json.h"
#include "ingest/aws/client.h"
#include "ingest/aws/collect.h"
#include "ingest/aws/config.h"
#include "ingest/aws/credential_providers.h"
#include "ingest/aws/credentials.h"
#include "ingest/aws/curl_transport.h"
#include "ingest/aws/error.h"
#include "ingest/aws/http.h"
#include "ingest/aws/protocol.h"
#include "ingest/aws/rate_limit.h"
#include "ingest/aws/retry.h"
#include "ingest/aws/scan.h"
#include "ingest/aws/session.h"
#include "ingest/aws/sigv4.h"
#include "ingest/aws/url.h"
#include "ingest/aws/work_pool.h"
#include "ingest/aws/xml.h"
