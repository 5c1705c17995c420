// The register-task-definition input: only the offending fields change, everything else is
// carried over exactly as AWS returned it.

#include "remediate/fix.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "remediate/revision_source.h"

namespace ecsguard::remediate {
namespace {

using nlohmann::ordered_json;
using testing::kArn;
using testing::kDescribe;
using testing::MakeFinding;

RevisionDocument Document(const char* text = kDescribe) {
  Result<RevisionDocument> doc = ParseDescribeTaskDefinition(text);
  EXPECT_TRUE(doc.ok());
  return *doc;
}

const ordered_json& Container(const ordered_json& input, std::string_view name) {
  for (const ordered_json& c : input["containerDefinitions"]) {
    if (c["name"] == name) return c;
  }
  static const ordered_json kNone;
  ADD_FAILURE() << "no container " << name;
  return kNone;
}

RevisionFix Fix(const std::vector<std::string>& containers = {"app"},
                FixOptions options = FixOptions{}) {
  posture::Finding f = MakeFinding("f1", "aws-ecs-1-privileged-network-mode", kArn,
                                   posture::Priority::kP1, containers);
  Result<RevisionFix> fix = ComputeFix(Document(), {&f}, options);
  EXPECT_TRUE(fix.ok()) << (fix.ok() ? "" : fix.error().ToString());
  return *fix;
}

TEST(IsRootUser, ByNameOrUidWithOrWithoutGroup) {
  for (const char* user : {"root", "0", "00", "root:root", "0:0", "root:1000", "0:1000"}) {
    EXPECT_TRUE(IsRootUser(user)) << user;
  }
  for (const char* user :
       {"", "1000", "1000:1000", "1000:root", "rootless", "nonroot", "ROOT", "10", ":0", "app"}) {
    EXPECT_FALSE(IsRootUser(user)) << user;
  }
}

TEST(ComputeFix, ChangesOnlyPrivilegedAndRootUsers) {
  RevisionFix fix = Fix();
  ASSERT_EQ(fix.changes.size(), 3u);
  EXPECT_EQ(fix.changes[0].Describe(), "container app: privileged true -> false");
  EXPECT_EQ(fix.changes[1].Describe(), "container app: user \"root\" -> \"1000:1000\"");
  // Not named by the finding, but root: one new revision fixes every container.
  EXPECT_EQ(fix.changes[2].Describe(), "container sidecar: user \"0:0\" -> \"1000:1000\"");

  EXPECT_EQ(Container(fix.input, "app")["privileged"], false);
  EXPECT_EQ(Container(fix.input, "app")["user"], "1000:1000");
  EXPECT_EQ(Container(fix.input, "sidecar")["user"], "1000:1000");
  EXPECT_EQ(Container(fix.input, "plain")["privileged"], false);
  EXPECT_FALSE(Container(fix.input, "plain").contains("user")) << "an absent user stays absent";
  EXPECT_EQ(Container(fix.input, "grouproot")["user"], "1000:root") << "UID 1000 is not root";
}

// Security Hub ECS.5 and ECS.20 (issue 11): a read-only root filesystem on every container, and a
// user where none is set; the host-mode controls' fixes leave both alone (the test above).
TEST(ComputeFix, SecurityHubEcs5AndEcs20AddTheirFields) {
  posture::Finding rofs =
      MakeFinding("f1", "aws-securityhub-ecs-5", kArn, posture::Priority::kP3, {"app"});
  posture::Finding user =
      MakeFinding("f2", "aws-securityhub-ecs-20", kArn, posture::Priority::kP3, {"plain"});
  Result<RevisionFix> fix = ComputeFix(Document(), {&rofs, &user}, {});
  ASSERT_TRUE(fix.ok()) << fix.error().ToString();
  std::vector<std::string> changes;
  for (const FieldChange& c : fix->changes) changes.push_back(c.Describe());
  EXPECT_EQ(changes, (std::vector<std::string>{
                         "container app: privileged true -> false",
                         "container app: user \"root\" -> \"1000:1000\"",
                         "container app: readonlyRootFilesystem false -> true",
                         "container sidecar: user \"0:0\" -> \"1000:1000\"",
                         "container sidecar: readonlyRootFilesystem null -> true",
                         "container plain: user null -> \"1000:1000\"",
                         "container plain: readonlyRootFilesystem null -> true",
                         "container grouproot: readonlyRootFilesystem null -> true",
                     }));
  EXPECT_EQ(Container(fix->input, "plain")["user"], "1000:1000");
  EXPECT_EQ(Container(fix->input, "grouproot")["user"], "1000:root");
  EXPECT_EQ(Container(fix->input, "sidecar")["readonlyRootFilesystem"], true);
  EXPECT_TRUE(fix->notes.empty() || fix->notes[0].find("flagged") == std::string::npos);
}

TEST(ComputeFix, EverythingElseIsExactlyTheOriginalInAwsOrder) {
  RevisionFix fix = Fix();
  // Undo the changes: what is left must be the original minus the read-only fields, byte for
  // byte (same keys, same order, same values).
  ordered_json undone = fix.input;
  for (ordered_json& c : undone["containerDefinitions"]) {
    if (c["name"] == "app") {
      c["privileged"] = true;
      c["user"] = "root";
    }
    if (c["name"] == "sidecar") c["user"] = "0:0";
  }
  ordered_json original = ordered_json::parse(kDescribe);
  ordered_json expected = ordered_json::object();
  for (auto it = original["taskDefinition"].begin(); it != original["taskDefinition"].end(); ++it) {
    bool read_only = false;
    for (const std::string& f : ReadOnlyFields()) read_only |= it.key() == f;
    if (!read_only) expected[it.key()] = it.value();
  }
  expected["tags"] = original["tags"];
  // ecsguard's own tags come last: what the fix is of, and which controls flagged it.
  expected["tags"].push_back({{"key", "ecsguard:fixes"}, {"value", kArn}});
  expected["tags"].push_back(
      {{"key", "ecsguard:control"}, {"value", "aws-ecs-1-privileged-network-mode"}});
  EXPECT_EQ(undone.dump(), expected.dump());

  std::vector<std::string> keys;
  for (auto it = fix.input.begin(); it != fix.input.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"containerDefinitions", "family", "taskRoleArn",
                                            "executionRoleArn", "networkMode", "volumes",
                                            "placementConstraints", "requiresCompatibilities",
                                            "cpu", "memory", "tags"}));
}

TEST(ComputeFix, ReadOnlyFieldsRemovedTagsCarriedSecretsAndEnvironmentKept) {
  RevisionFix fix = Fix();
  for (const std::string& f : ReadOnlyFields()) EXPECT_FALSE(fix.input.contains(f)) << f;
  EXPECT_EQ(fix.input["tags"].dump(),
            R"([{"key":"team","value":"frontend"},{"key":"environment","value":"production"},)"
            R"({"key":"ecsguard:fixes","value":")" +
                std::string(kArn) +
                R"("},{"key":"ecsguard:control","value":"aws-ecs-1-privileged-network-mode"}])");
  const ordered_json& app = Container(fix.input, "app");
  EXPECT_EQ(app["secrets"][0]["valueFrom"],
            "arn:aws:ssm:eu-west-1:111122223333:parameter/web/api-key");
  EXPECT_EQ(app["environment"][0]["value"], testing::kSecretValue)
      << "the document for the API keeps environment values";
  EXPECT_TRUE(fix.notes.empty()) << fix.notes.front();
}

TEST(ComputeFix, OnlyTheSidecarIsBad) {
  ordered_json doc = ordered_json::parse(kDescribe);
  ordered_json& app = doc["taskDefinition"]["containerDefinitions"][0];
  app["privileged"] = false;
  app["user"] = "1000";
  posture::Finding f =
      MakeFinding("f1", "aws-ecs-1-strict", kArn, posture::Priority::kP1, {"sidecar"});
  Result<RevisionFix> fix = ComputeFix(*ParseDescribeTaskDefinition(doc.dump()), {&f}, {});
  ASSERT_TRUE(fix.ok());
  ASSERT_EQ(fix->changes.size(), 1u);
  EXPECT_EQ(fix->changes[0].Describe(), "container sidecar: user \"0:0\" -> \"1000:1000\"");
  EXPECT_EQ(Container(fix->input, "app")["privileged"], false);
  EXPECT_EQ(Container(fix->input, "app")["user"], "1000");
}

TEST(ComputeFix, UserOption) {
  RevisionFix fix = Fix({"app"}, FixOptions{"app:app"});
  EXPECT_EQ(Container(fix.input, "app")["user"], "app:app");
  for (const char* bad : {"root", "0:0", "", "a b"}) {
    posture::Finding f = MakeFinding("f1", "c", kArn, posture::Priority::kP1);
    Result<RevisionFix> r = ComputeFix(Document(), {&f}, FixOptions{bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
  }
}

TEST(ComputeFix, FlaggedContainerThatIsNotRootIsLeftAloneWithANote) {
  posture::Finding f = MakeFinding("f1", "aws-ecs-1-privileged-network-mode", kArn,
                                   posture::Priority::kP1, {"grouproot", "gone"});
  Result<RevisionFix> fix = ComputeFix(Document(), {&f}, {});
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(Container(fix->input, "grouproot")["user"], "1000:root");
  ASSERT_EQ(fix->notes.size(), 2u);
  EXPECT_NE(fix->notes[0].find("container grouproot is flagged by "
                               "aws-ecs-1-privileged-network-mode but is neither privileged nor "
                               "root (user \"1000:root\")"),
            std::string::npos)
      << fix->notes[0];
  EXPECT_NE(fix->notes[1].find("container gone named by a finding is not in"), std::string::npos);
}

TEST(ComputeFix, UnknownTagsAndFieldsAreNoted) {
  ordered_json doc = ordered_json::parse(kDescribe);
  doc.erase("tags");
  doc["taskDefinition"]["someFutureField"] = 1;
  RevisionDocument d;
  d.task_definition = doc["taskDefinition"];
  posture::Finding f = MakeFinding("f1", "c", kArn, posture::Priority::kP1);
  Result<RevisionFix> fix = ComputeFix(d, {&f}, {});
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(fix->input["tags"].size(), 2u) << "only ecsguard's own";
  EXPECT_EQ(fix->input["someFutureField"], 1);
  ASSERT_EQ(fix->notes.size(), 2u);
  EXPECT_NE(fix->notes[0].find("someFutureField"), std::string::npos);
  EXPECT_NE(fix->notes[1].find("tags are unknown"), std::string::npos);
}

TEST(ComputeFix, OwnTagsReplaceTheOriginalsAndNameEveryControl) {
  ordered_json doc = ordered_json::parse(kDescribe);
  // The original is itself an earlier fix (edited since): its ecsguard tags describe that one.
  doc["tags"].push_back({{"key", "ecsguard:fixes"}, {"value", "arn:older"}});
  doc["tags"].push_back({{"key", "ecsguard:control"}, {"value", "old"}});
  posture::Finding a = MakeFinding("a", "aws-ecs-1-strict", kArn, posture::Priority::kP1);
  posture::Finding b = MakeFinding("b", "ctl\n`x`;,", kArn, posture::Priority::kP1);
  Result<RevisionFix> fix = ComputeFix(*ParseDescribeTaskDefinition(doc.dump()), {&b, &a}, {});
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(fix->input["tags"].dump(),
            R"([{"key":"team","value":"frontend"},{"key":"environment","value":"production"},)"
            R"({"key":"ecsguard:fixes","value":")" +
                std::string(kArn) +
                R"("},{"key":"ecsguard:control","value":"aws-ecs-1-strict ctl__x___"}])")
      << "a control id is cut down to what a tag value may hold";
}

TEST(ComputeFix, TooManyTagsIsAValidationError) {
  ordered_json doc = ordered_json::parse(kDescribe);
  doc["tags"] = ordered_json::array();
  for (int i = 0; i < 49; ++i)
    doc["tags"].push_back({{"key", fmt::format("k{}", i)}, {"value", "v"}});
  posture::Finding f = MakeFinding("f1", "c", kArn, posture::Priority::kP1);
  Result<RevisionFix> fix = ComputeFix(*ParseDescribeTaskDefinition(doc.dump()), {&f}, {});
  ASSERT_FALSE(fix.ok());
  EXPECT_EQ(fix.error().code(), ErrorCode::kValidation);
  EXPECT_NE(fix.error().message().find("it has 49 tags and ECS allows 50"), std::string::npos)
      << fix.error().message();
}

// A snapshot saved by `scan aws --save-snapshot` holds "<redacted>" instead of environment
// values: a revision built from it would run with the placeholder.
TEST(ComputeFix, RedactedDocumentIsNeverARegisterInput) {
  ordered_json doc = ordered_json::parse(kDescribe);
  doc["taskDefinition"]["containerDefinitions"][0]["environment"][0]["value"] = "<redacted>";
  posture::Finding f = MakeFinding("f1", "c", kArn, posture::Priority::kP1);
  Result<RevisionFix> fix = ComputeFix(*ParseDescribeTaskDefinition(doc.dump()), {&f}, {});
  ASSERT_FALSE(fix.ok());
  EXPECT_EQ(fix.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(fix.error().message(),
            std::string(kArn) +
                ": the document holds redacted values (\"<redacted>\", as in a snapshot saved by "
                "`scan aws --save-snapshot`); a revision built from it would replace the real "
                "values with the placeholder. Its values must be read live: remediate without "
                "--snapshot, or with --apply");
}

TEST(ComputeFix, NoContainerDefinitionsIsAValidationError) {
  RevisionDocument d;
  d.task_definition = {{"taskDefinitionArn", kArn}};
  Result<RevisionFix> fix = ComputeFix(d, {}, {});
  ASSERT_FALSE(fix.ok());
  EXPECT_EQ(fix.error().code(), ErrorCode::kValidation);
}

TEST(SameRevision, IgnoresKeyOrderEmptiesAndTagOrder) {
  ordered_json a = Fix().input;
  ordered_json b = ordered_json::object();
  // Same content, keys reversed, tags reversed, empty lists dropped.
  std::vector<std::string> keys;
  for (auto it = a.begin(); it != a.end(); ++it) keys.push_back(it.key());
  for (auto k = keys.rbegin(); k != keys.rend(); ++k) {
    if (*k == "placementConstraints") continue;
    b[*k] = a[*k];
  }
  std::reverse(b["tags"].begin(), b["tags"].end());
  EXPECT_TRUE(SameRevision(a, b));
  b["containerDefinitions"][0]["image"] = "other";
  EXPECT_FALSE(SameRevision(a, b));
  EXPECT_FALSE(SameRevision(a, RegisterInput(Document()))) << "the original is not the fix";
}

TEST(SameRevision, IgnoresEcsguardsOwnTags) {
  ordered_json a = Fix().input;
  ordered_json b = a;
  b["tags"].back()["value"] = "another-control";  // the same fix, selected by another control
  EXPECT_TRUE(SameRevision(a, b));
  b["tags"].push_back({{"key", "owner"}, {"value", "x"}});
  EXPECT_FALSE(SameRevision(a, b)) << "other tags still count";
}

TEST(FixesTag, ValueAndLookup) {
  EXPECT_EQ(FixesTagValue(kArn), kArn);
  std::string long_arn =
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/" + std::string(240, 'f') + ":7";
  EXPECT_EQ(FixesTagValue(long_arn).size(), 256u);
  EXPECT_TRUE(FixesTagValue(long_arn).ends_with("f:7")) << "the tail names the revision";
  RevisionDocument doc = Document();
  EXPECT_EQ(FixesTagOf(doc), "");
  doc.tags.push_back({{"key", "ecsguard:fixes"}, {"value", "arn:x"}});
  EXPECT_EQ(FixesTagOf(doc), "arn:x");
}

TEST(SnapshotRevisionSource, IndexesDescribeOutputsBareObjectsAndJsonLines) {
  SnapshotRevisionSource source;
  ordered_json other = ordered_json::parse(kDescribe)["taskDefinition"];
  other["taskDefinitionArn"] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:13";
  std::string jsonl = ordered_json::parse(kDescribe).dump() + "\n" + other.dump() + "\n";
  source.AddText(jsonl, "tds.jsonl");
  source.AddText("{not json", "broken.json");
  EXPECT_EQ(source.size(), 2u);
  Result<RevisionDocument> web12 = source.Get(kArn);
  ASSERT_TRUE(web12.ok());
  EXPECT_TRUE(web12->tags_known);
  EXPECT_EQ(web12->tags.size(), 2u);
  Result<RevisionDocument> web13 =
      source.Get("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:13");
  ASSERT_TRUE(web13.ok());
  EXPECT_FALSE(web13->tags_known);
  Result<RevisionDocument> missing = source.Get("arn:aws:ecs:eu-west-1:1:task-definition/x:1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  ASSERT_EQ(source.problems().size(), 1u);
  EXPECT_EQ(source.problems()[0].location().file, "broken.json");
}

TEST(SnapshotRevisionSource, ReadsTheExampleEstate) {
  SnapshotRevisionSource source =
      SnapshotRevisionSource::Load({fmt::format("{}/examples/estate", ECSGUARD_SOURCE_DIR)});
  EXPECT_TRUE(source.problems().empty());
  Result<RevisionDocument> web12 = source.Get(kArn);
  ASSERT_TRUE(web12.ok());
  EXPECT_EQ(web12->task_definition["family"], "web");
}

}  // namespace
}  // namespace ecsguard::remediate
