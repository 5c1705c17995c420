#include "controls/framework.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support.h"

namespace ecsguard::controls {
namespace {

constexpr char kMinimal[] = R"(id: demo
name: Demo framework
requirements:
  - id: R.1
    title: first
    controls: [aws-securityhub-ecs-4, aws-ecs-1-strict]
  - id: R.2
    title: second
    controls: [aws-securityhub-ecs-4, not-a-control-yet]
  - id: R.3
    title: nothing maps here
    controls: []
)";

Result<Framework> Parse(const std::string& text) { return ParseFramework(text, "fw.yaml"); }

TEST(FrameworkTest, ParsesRequirementsInFileOrder) {
  auto f = Parse(kMinimal);
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(f->id, "demo");
  EXPECT_EQ(f->name, "Demo framework");
  ASSERT_EQ(f->requirements.size(), 3u);
  EXPECT_EQ(f->requirements[1].id, "R.2");
  EXPECT_EQ(f->requirements[1].location.line, 7u);
  EXPECT_TRUE(f->requirements[2].controls.empty());
  std::vector<const Requirement*> of = f->RequirementsOf("aws-securityhub-ecs-4");
  ASSERT_EQ(of.size(), 2u);
  EXPECT_EQ(of[0]->id, "R.1");
  EXPECT_EQ(of[1]->id, "R.2");
}

// Each error names the file and the line of what is wrong.
TEST(FrameworkTest, ErrorsNameFileAndLine) {
  struct Case {
    std::string text;
    uint32_t line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"id: demo\nname: N\nrequirements: []\n", 3, "\"requirements\" must be a non-empty list"},
      {"id: demo\nname: N\nowner: x\nrequirements:\n  - {id: A, title: t, controls: []}\n", 3,
       "unknown field \"owner\""},
      {"id: Demo\nname: N\nrequirements:\n  - {id: A, title: t, controls: []}\n", 1,
       "id must be lower-case"},
      {"id: demo\nname: N\nrequirements:\n  - {id: A, title: t, controls: []}\n"
       "  - {id: A, title: u, controls: []}\n",
       5, "requirement \"A\" is listed twice"},
      {"id: demo\nname: N\nrequirements:\n  - id: A\n    title: t\n    controls:\n"
       "      - ok-id\n      - Bad Id\n",
       8, "\"Bad Id\" is not a control id"},
      {"id: demo\nname: N\nrequirements:\n  - id: A\n    title: t\n", 4,
       "missing required field \"controls\""},
  };
  for (const Case& c : cases) {
    auto f = Parse(c.text);
    ASSERT_FALSE(f.ok()) << c.text;
    EXPECT_EQ(f.error().code(), ErrorCode::kConfiguration) << c.text;
    EXPECT_EQ(f.error().location().file, "fw.yaml");
    EXPECT_EQ(f.error().location().line, c.line) << f.error().ToString();
    EXPECT_NE(f.error().message().find(c.message), std::string::npos) << f.error().ToString();
  }
}

// A framework selects its controls whether they run by default or not, in catalog order, and
// reports the ids the catalog lacks with the requirement that names them.
TEST(FrameworkTest, SelectsMappedControlsAndNamesUnknownOnes) {
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  auto f = Parse(kMinimal);
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  std::vector<const Control*> selected = FrameworkControls(*f, *catalog);
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0]->id, "aws-ecs-1-strict");
  EXPECT_EQ(selected[1]->id, "aws-securityhub-ecs-4");
  EXPECT_FALSE(selected[1]->enabled_by_default);
  std::vector<UnknownControl> unknown = UnknownControls(*f, *catalog);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].id, "not-a-control-yet");
  EXPECT_EQ(unknown[0].requirement, "R.2");
  EXPECT_EQ(unknown[0].location.line, 7u);
}

// An alias is not a control id: "ECS.4" in a framework is unknown, so reports can match
// findings to requirements by the finding's control id alone.
TEST(FrameworkTest, AliasesDoNotResolve) {
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  auto f = Parse("id: demo\nname: N\nrequirements:\n  - {id: A, title: t, controls: [ecs.4]}\n");
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_TRUE(FrameworkControls(*f, *catalog).empty());
  EXPECT_EQ(UnknownControls(*f, *catalog).size(), 1u);
}

TEST(FrameworkTest, ShippedFrameworksResolveAgainstTheCatalog) {
  auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
  ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
  auto frameworks = LoadFrameworkDirectory(testing::SourcePath("frameworks"));
  ASSERT_TRUE(frameworks.ok()) << frameworks.error().ToString();
  ASSERT_FALSE(frameworks->empty());
  for (const Framework& f : *frameworks) {
    for (const UnknownControl& u : UnknownControls(f, *catalog)) {
      ADD_FAILURE() << u.location.ToString() << ": " << f.id << " maps unknown control " << u.id;
    }
  }
  const Framework& fsbp = frameworks->front();
  EXPECT_EQ(fsbp.id, "fsbp");
  std::vector<std::string> ids;
  for (const Requirement& r : fsbp.requirements) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"ECS.1", "ECS.2", "ECS.3", "ECS.4", "ECS.5", "ECS.8",
                                           "ECS.9", "ECS.10", "ECS.12", "ECS.16", "ECS.17",
                                           "ECS.18", "ECS.19", "ECS.20", "ECS.21"}));
  for (const Requirement& r : fsbp.requirements) {
    std::string number = r.id.substr(4);
    EXPECT_EQ(r.controls, std::vector<std::string>{"aws-securityhub-ecs-" + number}) << r.id;
  }
}

TEST(FrameworkTest, DuplicateIdsAcrossFilesAreAnError) {
  testing::TempDir dir;
  dir.Write("a.yaml", kMinimal);
  dir.Write("b.yaml", kMinimal);
  auto frameworks = LoadFrameworkDirectory(dir.path());
  ASSERT_FALSE(frameworks.ok());
  EXPECT_EQ(frameworks.error().code(), ErrorCode::kConfiguration);
  EXPECT_NE(frameworks.error().message().find("also defined in"), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::controls
