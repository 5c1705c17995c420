// Remediation checked by the tools that consume it, each skipped when not installed:
// botocore's ECS model accepts the register inputs, cfn-lint accepts the conformance pack, and
// against moto_server the whole loop works: scan -> remediate --apply -> re-scan.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "base/strings.h"
#include "fixtures.h"
#include "process.h"
#include "remediate/remediate.h"
#include "support.h"

namespace ecsguard::remediate {
namespace {

namespace fs = std::filesystem;
using ecsguard::testing::SourcePath;
using nlohmann::json;
using testing::ProcessResult;
using testing::RunProcess;

constexpr int kSkip = 77;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ecsguard-remediate-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "/tmp";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool HavePython(const std::string& module) {
  return RunProcess({"python3", "-c", "import " + module}).exit_code == 0;
}

TEST(BotocoreModel, RegisterInputsAreValidRequests) {
  if (!HavePython("botocore")) GTEST_SKIP() << "botocore is not installed";
  TempDir dir;
  std::vector<std::string> files;
  // The fixture with every shape, and every revision of the example estate.
  posture::Finding f = testing::MakeFinding("f", "c", testing::kArn, posture::Priority::kP1);
  RevisionFix fix = *ComputeFix(*ParseDescribeTaskDefinition(testing::kDescribe), {&f}, {});
  files.push_back(dir.Write("fixture.json", fix.input.dump()));
  SnapshotRevisionSource estate = SnapshotRevisionSource::Load({SourcePath("examples/estate")});
  ASSERT_GT(estate.size(), 10u);
  for (std::string arn : std::vector<std::string>{
           "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12",
           "arn:aws:ecs:eu-west-1:111122223333:task-definition/metrics-agent:4",
           "arn:aws:ecs:us-east-1:111122223333:task-definition/edge-proxy:21"}) {
    RevisionFix estate_fix = *ComputeFix(*estate.Get(arn), {&f}, {});
    EXPECT_FALSE(estate_fix.changes.empty()) << arn;
    files.push_back(dir.Write(arn.substr(arn.rfind('/') + 1) + ".json", estate_fix.input.dump()));
  }
  std::vector<std::string> argv = {"python3",
                                   SourcePath("tests/remediate/check_register_input.py")};
  argv.insert(argv.end(), files.begin(), files.end());
  ProcessResult r = RunProcess(argv);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // The validator does reject what describe returns as it stands (read-only fields).
  std::string raw = dir.Write("raw.json", json::parse(testing::kDescribe)["taskDefinition"].dump());
  r = RunProcess({"python3", SourcePath("tests/remediate/check_register_input.py"), raw});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("taskDefinitionArn"), std::string::npos) << r.out;
}

TEST(CfnLint, ConformancePackPasses) {
  if (!testing::OnPath("cfn-lint")) GTEST_SKIP() << "cfn-lint is not installed";
  TempDir dir;
  for (bool skip_inactive : {true, false}) {
    ConformancePackOptions options;
    options.skip_inactive = skip_inactive;
    std::string path = dir.Write("pack.yaml", ConformancePackTemplate(options));
    ProcessResult r = RunProcess({"cfn-lint", path});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  std::string text = ConformancePackTemplate({});
  for (const ManagedRule& rule : ConformancePackRules()) {
    EXPECT_NE(text.find("SourceIdentifier: " + rule.identifier), std::string::npos);
    EXPECT_NE(text.find("ConfigRuleName: " + rule.name), std::string::npos);
  }
  EXPECT_NE(text.find("SkipInactiveTaskDefinitions: !Ref"), std::string::npos);
}

// The command line over the example estate (no AWS calls).
class CliTest : public ::testing::Test {
 protected:
  ProcessResult Ecsguard(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), ECSGUARD_BINARY);
    return RunProcess(
        args,
        {"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_REGION=eu-west-1",
         "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"},
        stdin_text);
  }
  // Environment values of the example estate: never in any printed output.
  void ExpectNoSecrets(const ProcessResult& r) {
    for (const char* secret : {"wJalrXUtnFEMI", "Pr0d-DB-pa55w0rd", "AKIAIOSFODNN7EXAMPLE"}) {
      EXPECT_EQ(r.out.find(secret), std::string::npos) << secret;
      EXPECT_EQ(r.err.find(secret), std::string::npos) << secret;
    }
  }
  TempDir dir_;
};

TEST_F(CliTest, PlansInEveryFormatWithoutSecrets) {
  for (const char* format : {"commands", "json", "console", "markdown"}) {
    ProcessResult r =
        Ecsguard({"remediate", "--snapshot", SourcePath("examples/estate"), "-f", format});
    EXPECT_EQ(r.exit_code, 0) << format << r.err;
    ExpectNoSecrets(r);
    EXPECT_NE(r.out.find("web:12"), std::string::npos) << format;
  }
  ProcessResult r = Ecsguard(
      {"remediate", "--snapshot", SourcePath("examples/estate"), "-f", "json", "--priority", "P1"});
  json plan = json::parse(r.out);
  EXPECT_EQ(plan["summary"]["revisions"], 3);
  EXPECT_EQ(plan["batches"][0]["revisions"][0]["priority"], "P1");
}

TEST_F(CliTest, OutputDirHoldsPrivateInputs) {
  std::string out = dir_.path() + "/plan";
  ProcessResult r = Ecsguard({"remediate", "--snapshot", SourcePath("examples/estate"), "--family",
                              "web", "--account", "111122223333", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectNoSecrets(r);
  EXPECT_TRUE(r.out.empty()) << "with -o everything goes to files";
  std::string input = out + "/111122223333-eu-west-1-web-12.json";
  ASSERT_TRUE(fs::exists(input));
  EXPECT_EQ(fs::status(input).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NE(::ecsguard::testing::ReadFileOrDie(input).find("Pr0d-DB-pa55w0rd"), std::string::npos)
      << "the document for the API keeps environment values";
  std::string script = ::ecsguard::testing::ReadFileOrDie(out + "/remediation-plan.sh");
  EXPECT_NE(
      script.find("file://" + fs::canonical(out).string() + "/111122223333-eu-west-1-web-12.json"),
      std::string::npos)
      << script;
}

TEST_F(CliTest, UsageErrorsAndConfirmation) {
  EXPECT_EQ(Ecsguard({"remediate"}).exit_code, 3);
  std::string estate = SourcePath("examples/estate");
  EXPECT_EQ(Ecsguard({"remediate", "--snapshot", estate, "--priority", "P9"}).exit_code, 3);
  EXPECT_EQ(Ecsguard({"remediate", "--snapshot", estate, "--wait-timeout", "soon"}).exit_code, 3);
  EXPECT_EQ(Ecsguard({"remediate", "--snapshot", estate, "-f", "sarif"}).exit_code, 3);
  EXPECT_EQ(Ecsguard({"remediate", "--snapshot", estate, "--user", "0:0"}).exit_code, 3);
  EXPECT_EQ(Ecsguard({"remediate", "--snapshot", estate, "--batch-size", "0"}).exit_code, 3);
  ProcessResult apply = Ecsguard(
      {"remediate", "--snapshot", estate, "--apply", "--endpoint-url", "http://127.0.0.1:9"},
      "yes\n");
  EXPECT_EQ(apply.exit_code, 3) << apply.err;
  EXPECT_NE(apply.err.find("pass --yes when stdin is not a terminal"), std::string::npos);
}

// A copy of the example estate with `edit` applied to the text of each file.
std::string EstateCopy(const std::string& to,
                       const std::function<std::string(const fs::path&, std::string)>& edit) {
  fs::copy(SourcePath("examples/estate"), to, fs::copy_options::recursive);
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(to)) {
    if (!e.is_regular_file()) continue;
    std::string text = ::ecsguard::testing::ReadFileOrDie(e.path().string());
    std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << edit(e.path(), text);
  }
  return to;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

bool HasControlCharacter(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80) {
      return true;
    }
  }
  return false;
}

// A snapshot is anyone's text: a family whose name breaks out of a comment line into `rm -rf`,
// container names carrying terminal escapes. The script stays one a shell parses as written,
// runs only the aws commands it was meant to, and no output carries an escape sequence.
TEST_F(CliTest, HostileSnapshotNeverInjectsACommandOrAnEscape) {
  std::string canary = dir_.path() + "/canary";
  fs::create_directories(canary);
  std::string injected = "\\nrm -rf " + canary + "\\ntouch " + dir_.path() + "/pwned\\n#";
  std::string estate =
      EstateCopy(dir_.path() + "/hostile", [&](const fs::path& p, std::string text) {
        // web:12 of account 111122223333 gets the hostile family, wherever it is named.
        text = ReplaceAll(text, "111122223333:task-definition/web:12",
                          "111122223333:task-definition/web" + injected + ":12");
        if (p.filename() == "describe-task-definition-web-12.json") {
          text = ReplaceAll(text, "\"family\": \"web\"", "\"family\": \"web" + injected + "\"");
        }
        if (p.filename() == "describe-task-definition-edge-proxy-21.json") {
          text = ReplaceAll(text, "\"name\": \"envoy\"",
                            "\"name\": \"\\u001b]0;pwned\\u0007envoy\\u001b[2J\\u009b31m\"");
        }
        return text;
      });
  ASSERT_NE(
      ::ecsguard::testing::ReadFileOrDie(estate + "/prod/us-east-1/"
                                                  "describe-task-definition-edge-proxy-21.json")
          .find("u001b]0;pwned"),
      std::string::npos)
      << "the fixture edit must hit a container name";

  std::string out = dir_.path() + "/plan";
  ProcessResult planned = Ecsguard({"remediate", "--snapshot", estate, "-o", out});
  EXPECT_EQ(planned.exit_code, 2) << "refused items make the plan incomplete\n" << planned.err;
  EXPECT_FALSE(HasControlCharacter(planned.out + planned.err)) << planned.err;
  EXPECT_NE(planned.err.find("refused: \"arn:aws:ecs:eu-west-1:111122223333:task-definition/web "
                             "rm -rf "),
            std::string::npos)
      << planned.err;
  EXPECT_NE(planned.err.find("container name \" ]0;pwned envoy [2J 31m\" is not 1 to 255 letters"),
            std::string::npos)
      << planned.err;
  std::string script = out + "/remediation-plan.sh";
  ASSERT_TRUE(fs::exists(script));
  std::string text = ::ecsguard::testing::ReadFileOrDie(script);
  EXPECT_FALSE(HasControlCharacter(text));
  EXPECT_NE(text.find("register-task-definition"), std::string::npos) << "the rest is planned";
  for (std::string_view line : Split(text, '\n')) {
    if (!line.starts_with("#")) {
      EXPECT_EQ(line.find("rm -rf"), std::string_view::npos) << line;
    }
  }
  if (testing::OnPath("bash")) {
    ProcessResult syntax = RunProcess({"bash", "-n", script});
    EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  }

  // Run it with stub aws and ecsguard commands that log their arguments.
  std::string bin = dir_.path() + "/bin", log = dir_.path() + "/argv.log";
  fs::create_directories(bin);
  std::ofstream(bin + "/aws") << "#!/bin/sh\n"
                                 "for a in \"$@\"; do printf '[%s]' \"$a\" >> '"
                              << log << "'; done\necho >> '" << log
                              << "'\n"
                                 "case \"$*\" in *register-task-definition*) echo fam:99 ;; "
                                 "*list-tasks*) echo None ;; esac\n";
  std::ofstream(bin + "/ecsguard") << "#!/bin/sh\nexit 0\n";
  fs::permissions(bin + "/aws", fs::perms::owner_all);
  fs::permissions(bin + "/ecsguard", fs::perms::owner_all);
  ProcessResult ran = RunProcess({"sh", script}, {"PATH=" + bin + ":/usr/bin:/bin"});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_TRUE(fs::exists(canary)) << "an injected rm ran";
  EXPECT_FALSE(fs::exists(dir_.path() + "/pwned")) << "an injected touch ran";
  std::string calls = ::ecsguard::testing::ReadFileOrDie(log);
  size_t lines = 0;
  for (std::string_view line : Split(calls, '\n')) {
    if (line.empty()) continue;
    ++lines;
    EXPECT_TRUE(line.starts_with("[ecs][")) << line;
  }
  EXPECT_GT(lines, 5u);

  // Every other format: no escape sequence reaches the terminal.
  for (const char* format : {"commands", "json", "console", "markdown"}) {
    ProcessResult r = Ecsguard({"remediate", "--snapshot", estate, "-f", format});
    EXPECT_EQ(r.exit_code, 2) << format;
    EXPECT_FALSE(HasControlCharacter(r.out)) << format << "\n" << r.out;
    EXPECT_FALSE(HasControlCharacter(r.err)) << format;
  }
}

// A snapshot saved by `scan aws --save-snapshot` reads "<redacted>" for every environment value:
// it can never become a register input.
TEST_F(CliTest, RedactedSnapshotIsRefusedNotWrittenAsAnInput) {
  std::string estate = EstateCopy(dir_.path() + "/redacted", [](const fs::path&, std::string text) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::parse(text, nullptr, false);
    if (doc.is_discarded()) return text;
    std::function<void(nlohmann::ordered_json&)> redact = [&](nlohmann::ordered_json& j) {
      if (j.is_object() && j.contains("environment") && j["environment"].is_array()) {
        for (auto& e : j["environment"]) e["value"] = "<redacted>";
      }
      if (j.is_structured()) {
        for (auto& x : j) redact(x);
      }
    };
    redact(doc);
    return doc.dump(2);
  });
  std::string out = dir_.path() + "/plan";
  ProcessResult r = Ecsguard({"remediate", "--snapshot", estate, "--family", "web", "--account",
                              "111122223333", "-o", out});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the document holds redacted values (\"<redacted>\""), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Its values must be read live: remediate without --snapshot, or with "
                       "--apply"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(out + "/111122223333-eu-west-1-web-12.json"));
  for (const fs::directory_entry& e : fs::directory_iterator(out)) {
    if (e.path().extension() != ".json") continue;
    EXPECT_EQ(::ecsguard::testing::ReadFileOrDie(e.path().string()).find("<redacted>"),
              std::string::npos)
        << e.path();
  }
}

TEST_F(CliTest, GuardrailsConformancePack) {
  std::string file = dir_.path() + "/pack.yaml";
  ProcessResult account = Ecsguard({"guardrails", "conformance-pack", "-o", file});
  ASSERT_EQ(account.exit_code, 0) << account.err;
  EXPECT_NE(account.out.find("aws configservice put-conformance-pack --conformance-pack-name "
                             "ecsguard-ecs-host-mode --template-body file://" +
                             file),
            std::string::npos)
      << account.out;
  EXPECT_EQ(::ecsguard::testing::ReadFileOrDie(file), ConformancePackTemplate({}));
  ProcessResult org = Ecsguard({"guardrails", "conformance-pack", "-o", file, "--organization",
                                "--pack-name", "ecs-guard", "--bucket", "my-bucket"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  EXPECT_NE(org.out.find("aws s3 cp " + file + " s3://my-bucket/pack.yaml"), std::string::npos);
  EXPECT_NE(org.out.find("put-organization-conformance-pack --organization-conformance-pack-name "
                         "ecs-guard --template-s3-uri s3://my-bucket/pack.yaml"),
            std::string::npos)
      << org.out;
  ProcessResult to_stdout = Ecsguard({"guardrails", "conformance-pack"});
  EXPECT_EQ(to_stdout.out, ConformancePackTemplate({}));
  EXPECT_NE(to_stdout.err.find("put-conformance-pack"), std::string::npos);
  EXPECT_EQ(Ecsguard({"guardrails", "conformance-pack", "--skip-inactive", "maybe"}).exit_code, 3);
}

// The whole loop against moto_server on a loopback port.
class MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HavePython("moto.server") || !HavePython("boto3")) {
      GTEST_SKIP() << "moto[server] or boto3 is not installed";
    }
    port_ = testing::FreePort();
    ASSERT_GT(port_, 0);
    endpoint_ = "http://127.0.0.1:" + std::to_string(port_);
    // MOTO_ECS_SERVICE_RUNNING: moto reports a service's tasks as running (its deployments
    // otherwise stay IN_PROGRESS forever).
    server_ = std::make_unique<testing::Server>(
        std::vector<std::string>{"python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
                                 std::to_string(port_)},
        std::vector<std::string>{"MOTO_ECS_SERVICE_RUNNING=1"}, dir_.path() + "/moto.log");
    ASSERT_TRUE(server_->WaitForPort(port_, 30000)) << "moto_server did not start";
  }

  std::vector<std::string> Env() const {
    return {"AWS_ACCESS_KEY_ID=testing",
            "AWS_SECRET_ACCESS_KEY=testing",
            "AWS_REGION=eu-west-1",
            "AWS_CONFIG_FILE=/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
            "NO_COLOR=1"};
  }
  ProcessResult Estate(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"python3", SourcePath("tests/remediate/moto_estate.py")};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, Env());
  }
  ProcessResult Ecsguard(std::vector<std::string> args) {
    args.insert(args.begin(), ECSGUARD_BINARY);
    return RunProcess(args, Env());
  }
  json State() {
    ProcessResult r = Estate({"state", endpoint_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  TempDir dir_;
  int port_ = 0;
  std::string endpoint_;
  std::unique_ptr<testing::Server> server_;
};

TEST_F(MotoTest, ScanRemediateP1RescanResolved) {
  std::string before_dir = dir_.path() + "/before", after_dir = dir_.path() + "/after";
  ProcessResult seeded = Estate({"seed", endpoint_, before_dir});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.out << seeded.err;

  ProcessResult scan = Ecsguard({"scan", "snapshot", before_dir, "-f", "json"});
  ASSERT_EQ(scan.exit_code, 1) << scan.err;  // findings at high
  std::string scan_file = dir_.Write("scan.json", scan.out);
  json findings = json::parse(scan.out)["findings"];
  std::set<std::string> p1_ids;
  std::string old_arn;
  for (const json& f : findings) {
    if (f["status"] == "FAIL" && f["priority"] == "P1") {
      p1_ids.insert(f["id"].get<std::string>());
      old_arn = f["resource"]["arn"];
    }
  }
  ASSERT_EQ(p1_ids.size(), 2u) << scan.out;  // the seed control and the strict one, on web:2
  ASSERT_EQ(old_arn.substr(old_arn.rfind('/') + 1), "web:2");
  json before = State();

  // Without a terminal, --apply needs --yes.
  ProcessResult refused = Ecsguard({"remediate", "--from", scan_file, "--priority", "P1", "--apply",
                                    "--endpoint-url", endpoint_});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_EQ(State(), before) << "nothing may change without --yes";

  ProcessResult applied = Ecsguard({"remediate", "--from", scan_file, "--priority", "P1", "--apply",
                                    "--yes", "--deregister-old", "--endpoint-url", endpoint_,
                                    "--wait-timeout", "60s", "-f", "json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(applied.out.find(std::string("Moto-S3cret")), std::string::npos);
  EXPECT_EQ(applied.err.find(std::string("Moto-S3cret")), std::string::npos);
  json report = json::parse(applied.out);
  EXPECT_EQ(report["ok"], true);
  std::vector<std::string> steps;
  for (const json& s : report["steps"]) {
    steps.push_back(s["action"].get<std::string>() + " " + s["state"].get<std::string>());
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"register done", "update-service done",
                                             "wait-stable done", "deregister done"}));
  EXPECT_NE(applied.err.find("re-scan of batch 1"), std::string::npos) << applied.err;

  json after = State();
  // The service runs the new revision.
  EXPECT_EQ(after["services"]["web"], "web:3");
  // The new revision: privileged false and a non-root user, every other field equal.
  json old_td = after["revisions"]["web:2"], new_td = after["revisions"]["web:3"];
  EXPECT_EQ(old_td["status"], "INACTIVE");
  EXPECT_EQ(new_td["status"], "ACTIVE");
  json expected = old_td;
  for (json& c : expected["containerDefinitions"]) {
    if (c["name"] == "agent") c["privileged"] = false;
    if (c["name"] == "app") c["user"] = "1000:1000";
  }
  // ecsguard's tags: what the revision fixes and which controls flagged it.
  expected["tags"].push_back({{"key", "ecsguard:fixes"}, {"value", old_arn}});
  expected["tags"].push_back({{"key", "ecsguard:control"},
                              {"value", "aws-ecs-1-privileged-network-mode aws-ecs-1-strict"}});
  for (const char* field : {"taskDefinitionArn", "revision", "status", "registeredAt",
                            "deregisteredAt", "registeredBy"}) {
    expected.erase(field);
    new_td.erase(field);
  }
  EXPECT_EQ(new_td.dump(2), expected.dump(2));
  // Nothing else changed: the P2 family and its task are as they were.
  EXPECT_EQ(after["revisions"]["batch:1"], before["revisions"]["batch:1"]);
  EXPECT_EQ(after["revisions"]["web:1"], before["revisions"]["web:1"]);
  EXPECT_EQ(after["tasks"], before["tasks"]);

  // A rerun registers nothing.
  ProcessResult rerun = Ecsguard({"remediate", "--from", scan_file, "--priority", "P1", "--apply",
                                  "--yes", "--deregister-old", "--endpoint-url", endpoint_,
                                  "--wait-timeout", "60s", "-f", "json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  json rerun_report = json::parse(rerun.out);
  EXPECT_EQ(rerun_report["steps"][0]["state"], "skipped");
  EXPECT_EQ(rerun_report["revisions"][0]["reused"], true);
  json again = State();
  EXPECT_EQ(again["revisions"].size(), after["revisions"].size());
  EXPECT_EQ(again, after);

  // Re-scan: the P1 findings are resolved in the history diff. moto runs no deployments: the
  // test plays the ECS scheduler and replaces the service's task first.
  ProcessResult deployed = Estate({"deploy", endpoint_});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  ProcessResult snapped = Estate({"snapshot", endpoint_, after_dir});
  ASSERT_EQ(snapped.exit_code, 0) << snapped.err;
  ProcessResult rescan = Ecsguard({"scan", "snapshot", after_dir, "-f", "json"});
  ASSERT_NE(rescan.exit_code, 3) << rescan.err;
  size_t new_passes = 0;
  json rescanned = json::parse(rescan.out);
  for (const json& f : rescanned["findings"]) {
    EXPECT_NE(f["resource"]["arn"], old_arn) << "the old revision is no longer in use";
    if (f["status"] == "FAIL") {
      EXPECT_NE(f["priority"], "P1") << f.dump();
    }
    if (f["resource"]["name"] == "web:3") {
      EXPECT_EQ(f["status"], "PASS") << f.dump();
      ++new_passes;
    }
  }
  EXPECT_EQ(new_passes, 2u) << rescan.out;
  ProcessResult diff = Ecsguard({"history", "diff", "--format", "json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.out << diff.err;
  json d = json::parse(diff.out, nullptr, false);
  ASSERT_FALSE(d.is_discarded()) << diff.out;
  std::set<std::string> resolved;
  for (const json& e : d["resolved"]) resolved.insert(e["id"].get<std::string>());
  for (const std::string& id : p1_ids) EXPECT_TRUE(resolved.count(id)) << id << "\n" << diff.out;
}

// The scan is older than the family: after it, someone registered web:3 by hand (new image,
// non-root) and moved the service. --apply from the old scan must not make web:2's document the
// family's newest revision again; --force-stale does, and a rerun then registers nothing.
TEST_F(MotoTest, StaleScanIsRefusedUnlessForced) {
  std::string before_dir = dir_.path() + "/before";
  ProcessResult seeded = Estate({"seed", endpoint_, before_dir});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  ProcessResult scan = Ecsguard({"scan", "snapshot", before_dir, "-f", "json"});
  std::string scan_file = dir_.Write("scan.json", scan.out);
  ProcessResult fixed = Estate({"hand-fix", endpoint_});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  json by_hand = State();
  ASSERT_EQ(by_hand["services"]["web"], "web:3");

  std::vector<std::string> apply = {
      "remediate",        "--from",         scan_file, "--priority",     "P1",  "--apply", "--yes",
      "--deregister-old", "--endpoint-url", endpoint_, "--wait-timeout", "60s", "-f",      "json"};
  ProcessResult refused = Ecsguard(apply);
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  json report = json::parse(refused.out);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["counts"]["refused"], 1);
  EXPECT_EQ(report["steps"][0]["state"], "refused");
  EXPECT_NE(report["steps"][0]["detail"].get<std::string>().find(
                "web:2 is no longer the newest ACTIVE revision of family web: web:3 is newer"),
            std::string::npos)
      << report.dump(2);
  EXPECT_NE(refused.err.find("rerun with --force-stale"), std::string::npos) << refused.err;
  EXPECT_EQ(State(), by_hand) << "nothing registered, moved or deregistered";

  std::vector<std::string> forced_args = apply;
  forced_args.push_back("--force-stale");
  ProcessResult forced = Ecsguard(forced_args);
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  json after = State();
  json fix = after["revisions"]["web:4"];
  EXPECT_EQ(fix["status"], "ACTIVE");
  EXPECT_EQ(fix["containerDefinitions"][0]["user"], "1000:1000");
  EXPECT_NE(fix["tags"].dump().find(R"({"key":"ecsguard:fixes","value":"arn:aws:ecs:eu-west-1:)"
                                    R"(123456789012:task-definition/web:2"})"),
            std::string::npos)
      << fix["tags"].dump();
  EXPECT_EQ(after["services"]["web"], "web:3") << "a service that moved on is left alone";
  EXPECT_EQ(after["revisions"]["web:3"]["status"], "ACTIVE");

  // The forced fix is ecsguard's own: a rerun (even without --force-stale) reuses it.
  ProcessResult rerun = Ecsguard(apply);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_EQ(json::parse(rerun.out)["revisions"][0]["reused"], true);
  EXPECT_EQ(State(), after);
}

// Several flagged revisions of one family (web:2 run by the service, the newer web:3 only by a
// standalone task) and a standalone-task family (batch:1): every rerun registers nothing, and the
// family's newest revision is the fix of its newest original.
TEST_F(MotoTest, SeveralFlaggedRevisionsRerunsRegisterNothing) {
  std::string before_dir = dir_.path() + "/before";
  ProcessResult seeded = Estate({"seed", endpoint_, before_dir});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  ProcessResult flagged = Estate({"add-flagged", endpoint_});
  ASSERT_EQ(flagged.exit_code, 0) << flagged.err;
  ProcessResult snapped = Estate({"snapshot", endpoint_, before_dir});
  ASSERT_EQ(snapped.exit_code, 0) << snapped.err;
  ProcessResult scan = Ecsguard({"scan", "snapshot", before_dir, "-f", "json"});
  std::string scan_file = dir_.Write("scan.json", scan.out);
  std::set<std::string> failing;
  json scanned = json::parse(scan.out);
  for (const json& f : scanned["findings"]) {
    if (f["status"] == "FAIL") failing.insert(f["resource"]["name"].get<std::string>());
  }
  ASSERT_EQ(failing, (std::set<std::string>{"batch:1", "web:2", "web:3"})) << scan.out;

  std::vector<std::string> apply = {
      "remediate", "--from",         scan_file, "--apply", "--yes", "--endpoint-url",
      endpoint_,   "--wait-timeout", "60s",     "-f",      "json"};
  ProcessResult first = Ecsguard(apply);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  json after = State();
  // web:4 fixes web:2 (and runs the service), web:5 fixes web:3 and is the newest.
  EXPECT_EQ(after["revisions"]["web:5"]["containerDefinitions"][0]["image"],
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.1");
  EXPECT_EQ(after["revisions"]["web:4"]["containerDefinitions"][0]["image"],
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.0");
  EXPECT_EQ(after["services"]["web"], "web:4");
  EXPECT_TRUE(after["revisions"].contains("batch:2"));

  for (int run = 0; run < 2; ++run) {
    ProcessResult again = Ecsguard(apply);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    json report = json::parse(again.out);
    for (const json& r : report["revisions"]) EXPECT_EQ(r["reused"], true) << r.dump();
    EXPECT_EQ(report["revisions"].size(), 3u);
    EXPECT_EQ(State(), after) << "run " << run;
  }
}

// `scan aws --save-snapshot` writes "<redacted>" for environment values: --apply reads the
// originals live, so the new revision keeps the real values.
TEST_F(MotoTest, ApplyFromASavedSnapshotReadsValuesLive) {
  ProcessResult seeded = Estate({"seed", endpoint_, dir_.path() + "/ignored"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  std::string saved = dir_.path() + "/saved";
  ProcessResult scan = Ecsguard({"scan", "aws", "--endpoint-url", endpoint_, "--region",
                                 "eu-west-1", "--save-snapshot", saved, "-f", "json"});
  ASSERT_NE(scan.exit_code, 3) << scan.err;

  std::string out = dir_.path() + "/plan";
  ProcessResult planned =
      Ecsguard({"remediate", "--snapshot", saved, "--family", "web", "-o", out});
  EXPECT_EQ(planned.exit_code, 2) << planned.err;
  EXPECT_NE(planned.err.find("must be read live"), std::string::npos) << planned.err;
  EXPECT_FALSE(fs::exists(out + "/123456789012-eu-west-1-web-2.json"));

  ProcessResult applied =
      Ecsguard({"remediate", "--snapshot", saved, "--family", "web", "--apply", "--yes",
                "--endpoint-url", endpoint_, "--wait-timeout", "60s", "-f", "json"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  json fix = State()["revisions"]["web:3"];
  ASSERT_TRUE(fix.is_object()) << State().dump(2);
  EXPECT_EQ(fix["containerDefinitions"][0]["environment"][0]["value"],
            "postgres://web:Moto-S3cret-EXAMPLE@db:5432/web");
  EXPECT_EQ(applied.out.find("Moto-S3cret"), std::string::npos);
}

// The commands plan is a script the AWS CLI runs as written.
TEST_F(MotoTest, CommandsScriptRunsWithTheAwsCli) {
  if (!testing::OnPath("aws")) GTEST_SKIP() << "the AWS CLI is not installed";
  std::string snapshot = dir_.path() + "/before", plan = dir_.path() + "/plan";
  ProcessResult seeded = Estate({"seed", endpoint_, snapshot});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  ProcessResult planned = Ecsguard({"remediate", "--snapshot", snapshot, "--priority", "P1", "-o",
                                    plan, "--endpoint-url", endpoint_});
  ASSERT_EQ(planned.exit_code, 0) << planned.err;
  ProcessResult ran = RunProcess({"sh", plan + "/remediation-plan.sh"}, Env());
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(ran.out.find("Moto-S3cret"), std::string::npos);
  EXPECT_EQ(ran.err.find("Moto-S3cret"), std::string::npos);
  json state = State();
  EXPECT_EQ(state["services"]["web"], "web:3");
  EXPECT_EQ(state["revisions"]["web:2"]["status"], "INACTIVE");
  EXPECT_EQ(state["revisions"]["web:3"]["containerDefinitions"][1]["privileged"], false);
  EXPECT_TRUE(fs::exists(plan + "/rescan/batch-1/new-123456789012-eu-west-1-web-2.json"));
}

}  // namespace
}  // namespace ecsguard::remediate
