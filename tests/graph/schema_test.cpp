#include "graph/schema.h"

#include <gtest/gtest.h>

#include "support.h"

namespace ecsguard::graph {
namespace {

TEST(SchemaTest, RootFieldNamesFollowTheLibrary) {
  EXPECT_EQ(RootFieldName("ECSTaskDefinition"), "ecsTaskDefinitions");
  EXPECT_EQ(RootFieldName("ECSEnvEntry"), "ecsEnvEntries");
  EXPECT_EQ(RootFieldName("ECSTask"), "ecsTasks");
  EXPECT_EQ(RootFieldName("IAMUser"), "iamUsers");
  EXPECT_EQ(RootFieldName("CloudSQLInstance"), "cloudSqlInstances");
  EXPECT_EQ(RootFieldName("NetworkACL"), "networkAcls");
  EXPECT_EQ(RootFieldName("VM"), "vms");
  EXPECT_EQ(RootFieldName("EBSSettings"), "ebsSettings");
  EXPECT_EQ(RootFieldName("EC2Instance"), "ec2Instances");
  EXPECT_EQ(RootFieldName("AWSAccount"), "awsAccounts");
}

TEST(SchemaTest, ParsesRelationshipsAndScalars) {
  auto schema = Schema::Parse(R"(
    "A task definition"
    type ECSTaskDefinition @node(labels: ["AWSECSTaskDefinition"]) {
      id: ID!
      revision: Int
      tags: [String!]
      containerSpecs: [ECSTaskContainerSpec!]! @relationship(type: "HAS_CONTAINER_DEFINITION", direction: OUT)
      task: ECSTask @relationship(type: "HAS_TASK_DEFINITION", direction: IN)
    }
    type ECSTaskContainerSpec { id: ID! privileged: Boolean }
    type ECSTask { id: ID! }
  )");
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  const TypeDef* td = schema->RootType("ecsTaskDefinitions");
  ASSERT_NE(td, nullptr);
  EXPECT_EQ(td->label, "AWSECSTaskDefinition");
  const FieldDef* specs = td->Field("containerSpecs");
  ASSERT_NE(specs, nullptr);
  EXPECT_EQ(specs->kind, FieldDef::Kind::kRelationship);
  EXPECT_TRUE(specs->is_list);
  EXPECT_EQ(specs->rel_type, "HAS_CONTAINER_DEFINITION");
  const FieldDef* task = td->Field("task");
  EXPECT_FALSE(task->is_list);
  EXPECT_EQ(task->direction, Direction::kIn);
  EXPECT_EQ(td->Field("revision")->scalar, ScalarType::kInt);
  EXPECT_TRUE(td->Field("tags")->is_list);
}

TEST(SchemaTest, ErrorsCarryPosition) {
  auto bad = Schema::Parse("type A {\n  id: ID!\n  b: Nope\n}", "s.graphql");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kValidation);
  EXPECT_EQ(bad.error().location().line, 3u);
  auto syntax = Schema::Parse("type A {\n  id ID!\n}", "s.graphql");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code(), ErrorCode::kParse);
  EXPECT_EQ(syntax.error().location().ToString(), "s.graphql:2:6");
}

TEST(SchemaTest, BundledSchemaLoads) {
  auto schema = Schema::Parse(testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")));
  ASSERT_TRUE(schema.ok()) << schema.error().ToString();
  EXPECT_NE(schema->RootType("ecsTaskDefinitions"), nullptr);
  EXPECT_TRUE(schema->Type("ECSTaskDefinition")->Implements("Asset"));
}

}  // namespace
}  // namespace ecsguard::graph
