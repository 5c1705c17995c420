// The peer corpus: every IaC fixture row of _cross_peer/peer_fixtures_vs_cyscale.json is ingested
// and the seed control's preventive check must give the row's `cyscale_query_would` verdict
// (FLAG <-> FAIL; not flagged <-> PASS or no resource). Rows that are not IaC are skipped with
// the reason; the test prints one line per row.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "base/strings.h"
#include "controls/controls.h"
#include "graph/graph.h"
#include "iac_test_util.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

namespace fs = std::filesystem;
using ecsguard::testing::ReadFileOrDie;
using ecsguard::testing::SharedPath;
using ecsguard::testing::SourcePath;

constexpr std::string_view kControl = "aws-ecs-1-privileged-network-mode";

std::string PeersDir() { return SourcePath("tests/ingest/iac/peers"); }

// The verdict for the resources a row names.
struct Verdict {
  size_t resources = 0;  // matched task-definition nodes
  bool flagged = false;
  std::vector<std::string> gaps;  // matched resources that could not be evaluated
  std::string problems;
};

class CorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto schema = graph::Schema::Parse(ReadFileOrDie(SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = new graph::Schema(std::move(*schema));
    auto catalog = controls::Catalog::LoadDirectory(SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = new controls::Catalog(std::move(*catalog));
  }
  static void TearDownTestSuite() {
    delete schema_;
    delete catalog_;
  }

  // Evaluates the seed control's iac check over `r` for the resources `match` accepts (by the
  // task definition's name: logical id or address).
  static Verdict Judge(const IacResult& r, const std::function<bool(std::string_view)>& match) {
    Verdict v;
    for (const Error& e : r.problems) {
      if (e.code() == ErrorCode::kParse || e.code() == ErrorCode::kIo) v.problems += e.ToString();
    }
    const controls::Control* control = catalog_->Find(kControl);
    EXPECT_NE(control, nullptr);
    if (!control) return v;
    auto eval = controls::Evaluate(*control, *schema_, r.graph, controls::Mode::kIac);
    EXPECT_TRUE(eval.ok()) << eval.error().ToString();
    if (!eval.ok()) return v;
    for (const controls::AssetVerdict& a : eval->verdicts) {
      graph::Value name = r.graph.GetProp(a.node, "name");
      if (!match(name.as_string())) continue;
      ++v.resources;
      v.flagged |= a.failed;
      // Decided but for unknown values that could change the verdict.
      if (!a.failed && !a.not_evaluated.empty()) {
        v.gaps.push_back(std::string(r.graph.Id(a.node)) + ": " + a.not_evaluated);
      }
    }
    for (const Gap& g : r.gaps) {
      std::string_view name = std::string_view(g.id).substr(g.id.find('#') + 1);
      if (match(name)) v.gaps.push_back(g.id + ": " + g.reason);
    }
    return v;
  }

  static graph::Schema* schema_;
  static controls::Catalog* catalog_;
};

graph::Schema* CorpusTest::schema_ = nullptr;
controls::Catalog* CorpusTest::catalog_ = nullptr;

// A row's fixture path, which may abbreviate folders with "...", resolved under `root`.
std::string ResolveFixture(const std::string& pattern, const std::string& root) {
  std::string re;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 3, "...") == 0) {
      re += ".*";
      i += 2;
    } else if (std::string_view("\\^$.|?*+()[]{}").find(pattern[i]) != std::string_view::npos) {
      re += std::string("\\") + pattern[i];
    } else {
      re += pattern[i];
    }
  }
  std::regex rx(re);
  std::vector<std::string> found;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string rel = fs::relative(it->path(), root).generic_string();
    if (std::regex_match(rel, rx)) found.push_back(rel);
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? "" : root + "/" + found.front();
}

// The `input:` documents of a cfn-guard unit-test file, in order, as standalone YAML texts.
std::vector<std::string> GuardInputs(const std::string& text) {
  std::vector<std::string> inputs;
  std::vector<std::string_view> lines = Split(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.starts_with("  input:")) continue;
    std::string_view inline_value = Trim(line.substr(8));
    if (!inline_value.empty()) {
      inputs.emplace_back(inline_value);
      continue;
    }
    std::string doc;
    for (size_t k = i + 1; k < lines.size(); ++k) {
      std::string_view l = lines[k];
      if (!Trim(l).empty() && !l.starts_with("   ")) break;
      doc += std::string(l.size() >= 4 ? l.substr(4) : "") + "\n";
    }
    inputs.push_back(std::move(doc));
  }
  return inputs;
}

bool NameMatches(std::string_view name, std::string_view wanted) {
  return name == wanted || (name.size() > wanted.size() && name.ends_with(wanted) &&
                            name[name.size() - wanted.size() - 1] == '.');
}

bool TerraformAvailable() {
  IacResult r = LoadIacText("", "probe.tf");
  for (const Error& e : r.problems) {
    if (e.code() == ErrorCode::kUnsupported) return false;
  }
  return true;
}

TEST_F(CorpusTest, EveryIacRowGetsTheMappedVerdict) {
  nlohmann::json rows =
      nlohmann::json::parse(
          ReadFileOrDie(PeersDir() + "/_cross_peer/peer_fixtures_vs_cyscale.json"))
          .at("rows");
  ASSERT_EQ(rows.size(), 61u);
  nlohmann::json cdk_nag = nlohmann::json::parse(ReadFileOrDie(
      PeersDir() + "/cdk-nag/test/rules/ECS.test.ECSTaskDefinitionUserForHostMode.cases.json"));
  std::vector<std::string> guard_inputs = GuardInputs(
      ReadFileOrDie(PeersDir() + "/aws-guard-rules-registry/rules/aws/amazon_ecs/tests/"
                                 "ecs_task_definition_user_for_host_mode_check_tests.yml"));
  ASSERT_EQ(guard_inputs.size(), 24u);
  const bool terraform = TerraformAvailable();

  size_t matched = 0, skipped = 0, skipped_terraform = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json& row = rows[i];
    std::string peer = row.at("peer"), fixture = row.at("fixture"), resource = row.at("resource");
    std::string want = row.at("cyscale_query_would");
    bool want_flag = want.starts_with("FLAG");
    ASSERT_TRUE(want_flag || want.starts_with("not flagged")) << want;
    SCOPED_TRACE(fmt::format("row {}: {} {} [{}]", i, peer, fixture, resource));
    auto skip = [&](std::string_view why) {
      ++skipped;
      std::cout << fmt::format("row {:2} SKIP  {} [{}]: {}\n", i, peer, resource, why);
    };
    if (peer.starts_with("prowler") || peer.starts_with("cloud-custodian")) {
      skip("live API sample: belongs to the snapshot adapter's corpus");
      continue;
    }
    if (peer.starts_with("hashicorp-sentinel")) {
      skip("Sentinel mock, not a template; BUSL-1.1 and absent from the shared corpus");
      continue;
    }

    Verdict v;
    std::vector<std::string> wanted;  // resource names; empty: every task definition
    if (peer == "guard-registry") {
      int n = std::stoi(resource.substr(5));  // "case N"
      ASSERT_GE(n, 1);
      ASSERT_LE(n, 24);
      IacResult r = LoadIacText(guard_inputs[n - 1], fmt::format("guard-case-{}.yaml", n));
      v = Judge(r, [](std::string_view) { return true; });
    } else if (peer == "cdk-nag") {
      std::string test = resource, only;
      if (resource.starts_with("Compliance ")) {
        test = "Compliance";
        only = resource.substr(11);
      }
      const nlohmann::json* c = nullptr;
      for (const auto& x : cdk_nag.at("cases")) {
        if (x.at("test") == test) c = &x;
      }
      ASSERT_NE(c, nullptr) << test;
      nlohmann::json tpl;
      for (const auto& [logical_id, props] : c->at("task_definitions").items()) {
        tpl["Resources"][logical_id] = {{"Type", "AWS::ECS::TaskDefinition"},
                                        {"Properties", props}};
      }
      IacResult r = LoadIacText(tpl.dump(2), fmt::format("cdk-nag-{}.template.json", i));
      v = Judge(r, [&](std::string_view name) { return only.empty() || name == only; });
    } else {
      std::string path = ResolveFixture(fixture, PeersDir());
      ASSERT_FALSE(path.empty()) << "fixture not found: " << fixture;
      if (path.ends_with(".tf") && !terraform) {
        ++skipped_terraform;
        skip("Terraform reader not available in this build");
        continue;
      }
      for (std::string_view part : Split(resource, '/')) wanted.emplace_back(Trim(part));
      IacOptions options;
      options.root = PeersDir();
      IacResult r = LoadIac({path}, options);
      v = Judge(r, [&](std::string_view name) {
        for (const std::string& w : wanted) {
          if (NameMatches(name, w)) return true;
        }
        return false;
      });
      if (!want_flag) {
        EXPECT_EQ(v.resources, wanted.size()) << "every named resource is evaluated";
      }
    }
    EXPECT_TRUE(v.problems.empty()) << v.problems;
    EXPECT_TRUE(v.gaps.empty()) << Join(v.gaps, "\n");
    EXPECT_EQ(v.flagged, want_flag) << "expected: " << want;
    if (want_flag) {
      EXPECT_GT(v.resources, 0u);
    }
    ++matched;
    std::cout << fmt::format("row {:2} {}  {} [{}]: {} resource(s), {}\n", i,
                             v.flagged == want_flag ? "OK  " : "DIFF", peer, resource, v.resources,
                             v.flagged ? "FAIL" : "PASS/none");
  }
  std::cout << fmt::format("{} rows matched, {} skipped ({} for want of Terraform)\n", matched,
                           skipped, skipped_terraform);
  EXPECT_EQ(matched + skipped_terraform, 44u);
  EXPECT_EQ(skipped - skipped_terraform, 17u);
}

// What each shipped example demonstrates, through the seed control.
TEST_F(CorpusTest, ExamplesGiveTheVerdictTheirDescriptionsPromise) {
  struct Case {
    const char* file;
    const char* verdict;  // FAIL, PASS or NOT_EVALUATED
    size_t suppressions;
  } cases[] = {
      {"cloudformation/awsvpc.yaml", "PASS", 0},
      {"cloudformation/host-nonroot.yaml", "PASS", 0},
      {"cloudformation/host-privileged.yaml", "FAIL", 0},
      {"cloudformation/host-root.yaml", "FAIL", 0},
      {"cloudformation/host-uid0.yaml", "PASS", 0},  // the seed control's UID-0 blind spot
      {"cloudformation/intrinsics-long-form.json", "FAIL", 0},
      {"cloudformation/intrinsics-short-form.yaml", "FAIL", 0},
      {"cloudformation/suppressed-comment.yaml", "FAIL", 1},
      {"cloudformation/suppressed-metadata.yaml", "FAIL", 1},
      {"cloudformation/unresolvable-parameter.yaml", "NOT_EVALUATED", 0},
      {"terraform/jsonencode", "FAIL", 0},
      {"terraform/heredoc", "FAIL", 0},
      {"terraform/file", "FAIL", 0},
      {"terraform/templatefile", "FAIL", 0},
      {"terraform/local-module", "FAIL", 0},
      {"terraform/variables", "PASS", 0},
      {"terraform/unresolvable-variable", "NOT_EVALUATED", 0},
      {"terraform/suppressed-comment", "FAIL", 1},
      {"terraform/plan", "FAIL", 0},
  };
  const bool terraform = TerraformAvailable();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    std::string path = SourcePath("examples/iac/") + c.file;
    if (!fs::exists(path)) {
      ADD_FAILURE() << "missing example";
      continue;
    }
    if (std::string_view(c.file).starts_with("terraform/") && !terraform &&
        std::string_view(c.file) != "terraform/plan") {
      continue;
    }
    IacOptions options;
    options.root = SourcePath("examples/iac");
    IacResult r = LoadIac({path}, options);
    Verdict v = Judge(r, [](std::string_view) { return true; });
    EXPECT_TRUE(v.problems.empty()) << v.problems;
    std::string got = !v.gaps.empty() ? "NOT_EVALUATED" : v.flagged ? "FAIL" : "PASS";
    EXPECT_EQ(got, c.verdict) << Join(v.gaps, "\n");
    EXPECT_EQ(r.suppressions.size(), c.suppressions);
    for (const Suppression& s : r.suppressions) {
      EXPECT_EQ(s.control_id, kControl);
      EXPECT_FALSE(s.reason.empty());
      EXPECT_FALSE(s.owner.empty());
      EXPECT_EQ(s.expires.size(), 10u);
    }
  }
}

// The copies in tests/ingest/iac/peers must stay equal to the shared originals.
TEST(CorpusCopies, EqualTheSharedOriginals) {
  std::string shared = SharedPath("corpus/peers");
  if (shared.empty()) GTEST_SKIP() << "../shared/corpus/peers is absent";
  size_t compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(PeersDir())) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), PeersDir()).generic_string();
    if (rel == "README.md") continue;
    std::string original = shared + "/" + rel;
    ASSERT_TRUE(fs::exists(original)) << rel;
    EXPECT_EQ(ReadFileOrDie(e.path().string()), ReadFileOrDie(original)) << rel;
    ++compared;
  }
  EXPECT_GT(compared, 10u);
}

}  // namespace
}  // namespace ecsguard::ingest
