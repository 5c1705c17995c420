#include "sample.h"

#include <fmt/format.h>

namespace ecsguard::report::testing {

using posture::Finding;
using posture::Status;

controls::Control SampleControl() {
  controls::Control c;
  c.id = kControlId;
  c.title = "Host-mode task definitions run no privileged or root containers";
  c.severity = controls::Severity::kHigh;
  c.provider = "aws";
  c.aliases = {"ECS.1"};
  c.overview =
      "A host-mode task shares the instance network stack; a privileged or root "
      "container in it can take over the instance.";
  c.remediation.console =
      "1. Create a new revision without privileged mode and with a non-root "
      "user.\n2. Update the services to it.";
  c.remediation.cli = "aws ecs register-task-definition --cli-input-json file://td.json";
  c.remediation.service_wide = "Deploy the conformance pack across the organization.";
  c.remediation.preventive = "Scan templates in CI with ecsguard scan iac.";
  return c;
}

Finding LiveFinding(std::string family, int revision, std::string account, std::string region,
                    Status status) {
  Finding f;
  f.control_id = kControlId;
  f.control_title = "Host-mode task definitions run no privileged or root containers";
  f.severity = controls::Severity::kHigh;
  f.status = status;
  std::string arn =
      fmt::format("arn:aws:ecs:{}:{}:task-definition/{}:{}", region, account, family, revision);
  f.resource = {.type = "ECSTaskDefinition",
                .id = arn,
                .arn = arn,
                .account_id = account,
                .region = region,
                .family = family,
                .revision = revision,
                .name = fmt::format("{}:{}", family, revision),
                .status = "ACTIVE"};
  f.id = posture::FindingId(f.control_id, f.resource);
  if (status == Status::kFail || status == Status::kExcepted) {
    f.evidence.push_back(
        {"containerSpecs", "app", {{"privileged", "true"}, {"user", "\"root\""}}, {}});
    f.reason = "container app: privileged=true, user=\"root\"";
  }
  return f;
}

posture::ScanResult WithFramework(posture::ScanResult scan) {
  controls::Framework framework;
  framework.id = "demo";
  framework.name = "Demo standard";
  framework.version = "2.0";
  framework.requirements = {{"ECS.1", "Task definitions in host mode", {kControlId}, {}},
                            {"X.2", "Something no control here judges", {"absent-control"}, {}}};
  scan.info.framework = std::move(framework);
  return scan;
}

posture::ScanResult LiveScan() {
  posture::ScanResult scan;
  scan.info = {
      "0.1.0",     "snapshot", {"examples/estate"}, "2026-11-28T10:00:00Z", "2026-11-28T10:00:05Z",
      {kControlId}};
  scan.coverage = {{"111111111111", "eu-west-1", posture::Coverage::State::kEvaluated, ""},
                   {"111111111111", "us-east-1", posture::Coverage::State::kEvaluated, ""},
                   {"222222222222", "eu-west-1", posture::Coverage::State::kEvaluated, ""},
                   {"222222222222", "us-east-1", posture::Coverage::State::kDenied,
                    "AccessDeniedException on ecs:ListClusters"}};

  Finding p1 = LiveFinding("web", 3, "111111111111", "eu-west-1", Status::kFail);
  p1.context.priority = posture::Priority::kP1;
  p1.context.exposure = posture::Exposure::kInternet;
  p1.context.exposure_reasons = {"internet-facing load balancer web-alb"};
  p1.context.environment = "production";
  p1.context.environment_source = "tag env=prod on service web";
  p1.context.services = {"arn:aws:ecs:eu-west-1:111111111111:service/prod/web"};
  p1.context.clusters = {"arn:aws:ecs:eu-west-1:111111111111:cluster/prod"};
  p1.context.tasks = {"arn:aws:ecs:eu-west-1:111111111111:task/prod/0a1b"};
  scan.findings.push_back(p1);

  Finding p4 = LiveFinding("batch", 7, "222222222222", "eu-west-1", Status::kFail);
  p4.context.priority = posture::Priority::kP4;
  scan.findings.push_back(p4);

  Finding p2 = LiveFinding("api", 12, "111111111111", "us-east-1", Status::kFail);
  p2.context.priority = posture::Priority::kP2;
  p2.context.exposure = posture::Exposure::kInternet;
  scan.findings.push_back(p2);

  Finding excepted = LiveFinding("agent", 2, "111111111111", "eu-west-1", Status::kExcepted);
  excepted.context.priority = posture::Priority::kP3;
  excepted.exception = posture::AppliedException{"EX-7", "monitoring agent needs host access",
                                                 "platform-team", "2026-12-10", "SEC-42"};
  scan.findings.push_back(excepted);

  scan.findings.push_back(LiveFinding("worker", 5, "222222222222", "eu-west-1", Status::kPass));

  Finding ne = LiveFinding("cron", 9, "111111111111", "us-east-1", Status::kNotEvaluated);
  ne.reason = "in use by running task 77 but not described in the snapshot";
  scan.findings.push_back(ne);
  return scan;
}

posture::ScanResult IacScan() {
  posture::ScanResult scan;
  scan.info = {"0.1.0",     "iac", {"infra/"}, "2026-11-28T11:00:00Z", "2026-11-28T11:00:02Z",
               {kControlId}};
  Finding cfn;
  cfn.control_id = kControlId;
  cfn.control_title = "Host-mode task definitions run no privileged or root containers";
  cfn.severity = controls::Severity::kHigh;
  cfn.status = Status::kFail;
  cfn.resource = {.type = "ECSTaskDefinition",
                  .id = "infra/web.yaml#WebTask",
                  .family = "web",
                  .name = "WebTask",
                  .location = {"infra/web.yaml", 12, 3}};
  cfn.id = posture::FindingId(cfn.control_id, cfn.resource);
  cfn.evidence.push_back(
      {"containerSpecs", "nginx", {{"privileged", "true"}}, {"infra/web.yaml", 20, 11}});
  cfn.evidence.push_back(
      {"containerSpecs", "sidecar", {{"user", "\"root\""}}, {"infra/web.yaml", 31, 11}});
  cfn.reason = "container nginx: privileged=true; container sidecar: user=\"root\"";
  scan.findings.push_back(cfn);

  Finding tf = cfn;
  tf.status = Status::kExcepted;
  tf.resource.id = "infra/main.tf#aws_ecs_task_definition.agent";
  tf.resource.name = "aws_ecs_task_definition.agent";
  tf.resource.location = {"./infra/main.tf", 40, 1};
  tf.id = posture::FindingId(tf.control_id, tf.resource);
  tf.evidence = {{"containerSpecs", "agent", {{"privileged", "true"}}, {"./infra/main.tf", 48, 5}}};
  tf.reason = "container agent: privileged=true";
  tf.exception = posture::AppliedException{"EX-9", "host agent", "sre", "2027-03-01", ""};
  scan.findings.push_back(tf);

  Finding pass = cfn;
  pass.status = Status::kPass;
  pass.resource.id = "infra/api.json#ApiTask";
  pass.resource.name = "ApiTask";
  pass.resource.location = {"infra/api.json", 5, 5};
  pass.id = posture::FindingId(pass.control_id, pass.resource);
  pass.evidence.clear();
  pass.reason.clear();
  scan.findings.push_back(pass);

  scan.problems.emplace_back(ErrorCode::kParse, "expected ':' after a mapping key",
                             SourceLocation{"infra/broken.yaml", 7, 9});
  return scan;
}

posture::ScanResult ManyFindings(size_t n, size_t accounts) {
  posture::ScanResult scan;
  scan.info = {"0.1.0",     "aws", {"organization"}, "2026-11-28T12:00:00Z", "2026-11-28T12:10:00Z",
               {kControlId}};
  for (size_t i = 0; i < n; ++i) {
    scan.findings.push_back(LiveFinding(fmt::format("svc{}", i), 1,
                                        fmt::format("{:012}", 100000000000 + i % accounts),
                                        "eu-west-1", Status::kFail));
  }
  return scan;
}

}  // namespace ecsguard::report::testing
