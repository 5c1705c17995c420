#pragma once

// Scans for the report tests: built in code so each test can see every value it asserts on.

#include <string>

#include "controls/catalog.h"
#include "posture/posture.h"

namespace ecsguard::report::testing {

inline constexpr char kControlId[] = "aws-ecs-1-privileged-network-mode";

// A control with remediation text in every section.
controls::Control SampleControl();

// A snapshot scan of two accounts and two regions: FAIL P1 (internet-exposed production),
// FAIL P2, FAIL P4, EXCEPTED (expires 2026-12-10), PASS, NOT_EVALUATED, one denied region.
posture::ScanResult LiveScan();

// `scan` run with --framework: framework "demo" ("Demo standard 2.0") whose requirement ECS.1
// maps kControlId and whose requirement X.2 maps a control the scan did not run.
posture::ScanResult WithFramework(posture::ScanResult scan);

// An IaC scan: FAIL in a CloudFormation file (two offending properties), EXCEPTED in a
// Terraform file, PASS, and a file that failed to parse.
posture::ScanResult IacScan();

// A finding for `family:revision` in account/region with the given status.
posture::Finding LiveFinding(std::string family, int revision, std::string account,
                             std::string region, posture::Status status);

// `n` FAIL findings spread over the given number of accounts (one region).
posture::ScanResult ManyFindings(size_t n, size_t accounts = 1);

}  // namespace ecsguard::report::testing
