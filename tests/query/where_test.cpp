// The `where` rule families of QUERY-LANGUAGE.md, one test per family, on the conformance
// fixture. Case ids refer to the spec; those not in the public file (EQ-02, NOT-02, ...) were
// written from the spec text and checked with spec/oracle/refeval.py.

#include <gtest/gtest.h>

#include "query_test_util.h"

namespace ecsguard::query {
namespace {

class WhereTest : public EcsFixtureTest {};

TEST_F(WhereTest, EqualityIsCaseSensitiveInEverySpelling) {  // EQ-01, EQ-02
  EXPECT_EQ(Tds(R"({pidMode: "HOST"})"), Ids({"td5"}));
  EXPECT_EQ(Tds(R"({pidMode: {eq: "host"}})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({pidMode_EQ: "host"})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({networkMode: "host"})"), Ids({"td1", "td2", "td4"}));
}

TEST_F(WhereTest, NumbersCompareAcrossIntAndFloat) {  // EQ-03, NUM-01..03
  EXPECT_EQ(Tds("{cpu: 256}"), Ids({"td1"}));
  EXPECT_EQ(Tds("{cpu: 256.0}"), Ids({"td1"}));
  EXPECT_EQ(Tds("{cpu_GT: 500}"), Ids({"td2", "td3"}));
  EXPECT_EQ(Tds("{cpu: {gte: 256, lt: 1024}}"), Ids({"td1", "td2"}));
  EXPECT_EQ(Tds("{revision_GTE: 2, revision_LT: 10}"), Ids({"td1", "td3", "td5"}));
  EXPECT_EQ(Tds("{revision_LTE: 100}"), Ids({"td1", "td2", "td3", "td5", "td6"}));
  EXPECT_EQ(Tds("{revision_IN: [1, 3, 7]}"), Ids({"td1", "td2", "td3"}));
}

TEST_F(WhereTest, NullArgumentsAreNullTests) {  // EQ-04, EQ-05, IN-04
  EXPECT_EQ(Tds("{networkMode: null}"), Ids({"td5"}));
  EXPECT_EQ(Tds("{networkMode_EQ: null}"), Ids({"td5"}));
  EXPECT_EQ(Tds("{networkMode: {eq: null}}"), Ids({"td5"}));
  EXPECT_EQ(Tds("{networkMode_IN: null}"), Ids({"td5"}));
  EXPECT_EQ(Tds("{networkMode_CONTAINS: null}"), Ids({"td5"}));
  EXPECT_EQ(Tds("{revision_GT: null}"), Ids({"td4"}));
  EXPECT_EQ(Tds("{networkMode_NOT: null}"), Ids({"td1", "td2", "td3", "td4", "td6"}));
  EXPECT_EQ(Tds("{networkMode_NOT_IN: null}"), Ids({"td1", "td2", "td3", "td4", "td6"}));
  EXPECT_EQ(Tds("{NOT: {networkMode: {eq: null}}}"), Ids({"td1", "td2", "td3", "td4", "td6"}));
}

TEST_F(WhereTest, NegationIsThreeValued) {  // NOT-01, NOT-02, LOG-03
  EXPECT_EQ(Tds(R"({networkMode_NOT: "host"})"), Ids({"td3", "td6"}));
  EXPECT_EQ(Tds(R"({NOT: {networkMode: "host"}})"), Ids({"td3", "td6"}));
  EXPECT_EQ(Tds(R"({NOT: {OR: [{networkMode: "host"}, {revision: 10}]}})"), Ids({"td3"}));
  EXPECT_EQ(Tds(R"({NOT: {OR: [{networkMode: "host"}, {NOT: {revision_GT: 5}}]}})"),
            Ids({"td3", "td6"}));
  EXPECT_EQ(Tds(R"({networkMode_NOT_IN: ["host"]})"), Ids({"td3", "td6"}));
}

TEST_F(WhereTest, InFollowsCypherNullRules) {  // IN-01..05
  EXPECT_EQ(Tds(R"({networkMode_IN: ["awsvpc", "bridge"]})"), Ids({"td3", "td6"}));
  EXPECT_EQ(Tds(R"({networkMode_IN: "awsvpc"})"), Ids({"td3"}));  // list input coercion
  EXPECT_EQ(Tds(R"({networkMode: {in: "awsvpc"}})"), Ids({"td3"}));
  EXPECT_EQ(Tds("{networkMode_IN: []}"), Ids({}));
  EXPECT_EQ(Tds("{networkMode_NOT_IN: []}"), kAllTds);  // null IN [] is FALSE
  EXPECT_EQ(Tds(R"({OR: [{networkMode_IN: []}, {networkMode: "host"}]})"),
            Ids({"td1", "td2", "td4"}));
  EXPECT_EQ(Tds(R"({id_IN: [1, "td2"]})"), Ids({"td2"}));  // ID accepts an Int literal
}

TEST_F(WhereTest, LongStringListsUseTheHashedPath) {
  // More than eight strings take the set lookup; it must agree with the linear scan.
  EXPECT_EQ(Tds(R"({family_IN: ["a", "b", "c", "d", "e", "f", "g", "web", "api", ""]})"),
            Ids({"td1", "td2", "td6"}));
  EXPECT_EQ(Tds(R"({family_NOT_IN: ["a", "b", "c", "d", "e", "f", "g", "web", "api", ""]})"),
            Ids({"td3", "td5"}));
}

TEST_F(WhereTest, StringOperatorsAreCaseSensitive) {  // STR-01..05
  EXPECT_EQ(Tds(R"({family_CONTAINS: "Web"})"), Ids({"td5"}));
  EXPECT_EQ(Tds(R"({family_CONTAINS: ""})"), Ids({"td1", "td2", "td3", "td5", "td6"}));
  EXPECT_EQ(Tds(R"({family: {startsWith: "W"}})"), Ids({"td5"}));
  EXPECT_EQ(Tds(R"({family_ENDS_WITH: "end"})"), Ids({"td5"}));
  EXPECT_EQ(Tds(R"({family_NOT_CONTAINS: "e"})"), Ids({"td2", "td3", "td6"}));
  EXPECT_EQ(Tds(R"({family_LT: "b"})"), Ids({"td2", "td5", "td6"}));
}

TEST_F(WhereTest, MatchesIsAFullMatchWithInlineFlags) {  // RX-01..03
  EXPECT_EQ(Tds(R"({family_MATCHES: "web"})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({pidMode_MATCHES: "host"})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({family_MATCHES: "(?i)web.*"})"), Ids({"td1", "td5"}));
  EXPECT_EQ(Tds(R"({family: {matches: "web|api"}})"), Ids({"td1", "td2"}));
}

TEST_F(WhereTest, ListFields) {  // LST-01..03
  EXPECT_EQ(Tds(R"({tags_INCLUDES: "prod"})"), Ids({"td1", "td5"}));
  EXPECT_EQ(Tds(R"({tags: {includes: "prod"}})"), Ids({"td1", "td5"}));
  EXPECT_EQ(Tds(R"({tags_NOT_INCLUDES: "prod"})"), Ids({"td2", "td3"}));
  EXPECT_EQ(Tds("{tags: []}"), Ids({"td3"}));
  EXPECT_EQ(Tds(R"({tags: ["prod", "web"]})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({tags: "dev"})"), Ids({"td2"}));
  EXPECT_EQ(Tds(R"({tags_NOT: ["dev"]})"), Ids({"td1", "td3", "td5"}));
}

TEST_F(WhereTest, Booleans) {  // BOOL-01, BOOL-02
  EXPECT_EQ(Match("{ ecsTaskContainerSpecs(where: {privileged: false}) { id } }"),
            Ids({"s2", "s3", "s6", "s7"}));
  EXPECT_EQ(Match("{ ecsTaskContainerSpecs(where: {privileged_NOT: true}) { id } }"),
            Ids({"s2", "s3", "s6", "s7"}));
}

TEST_F(WhereTest, LogicalOperators) {  // LOG-01..09
  EXPECT_EQ(Tds(R"({OR: [{networkMode: "awsvpc"}, {revision: 1}]})"), Ids({"td2", "td3"}));
  EXPECT_EQ(Tds(R"({networkMode: "host", OR: [{revision: 3}, {revision: 1}],
                    NOT: {family: "api"}})"),
            Ids({"td1"}));                                           // LOG-02
  EXPECT_EQ(Tds(R"({OR: {networkMode: "awsvpc"}})"), Ids({"td3"}));  // LOG-04
  EXPECT_EQ(Tds(R"({AND: [{networkMode: "host"}, {tags_INCLUDES: "prod"}]})"), Ids({"td1"}));
  EXPECT_EQ(Tds(R"({AND: [{networkMode: "host", revision_GT: 1}, {tags_INCLUDES: "prod"}]})"),
            Ids({"td1"}));               // LOG-06
  EXPECT_EQ(Tds("{OR: []}"), kAllTds);   // LOG-07
  EXPECT_EQ(Tds("{NOT: {}}"), kAllTds);  // LOG-08
  EXPECT_EQ(Tds("{AND: []}"), kAllTds);
  EXPECT_EQ(Tds("{OR: null, AND: null, NOT: null}"), kAllTds);
  EXPECT_EQ(Tds(R"({OR: [{}, {networkMode: "bridge"}]})"), Ids({"td6"}));  // LOG-09
  EXPECT_EQ(Tds("{}"), kAllTds);
}

TEST_F(WhereTest, ListQuantifiers) {  // REL-01..11
  EXPECT_EQ(Tds("{containerSpecs_SOME: {privileged: true}}"), Ids({"td1", "td3", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs_NONE: {privileged: true}}"), Ids({"td2", "td4", "td5"}));
  EXPECT_EQ(Tds("{containerSpecs_NONE: {readOnlyRootFS: false}}"), Ids({"td2", "td4", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs_ALL: {privileged: true}}"), Ids({"td3", "td6"}));  // ∅: FALSE
  EXPECT_EQ(Tds("{containerSpecs_ALL: {privileged: false}}"), Ids({"td2", "td5"}));
  EXPECT_EQ(Tds("{containerSpecs_SINGLE: {privileged: true}}"), Ids({"td1", "td3"}));
  EXPECT_EQ(Tds("{containerSpecs_SINGLE: {privileged: false}}"), Ids({"td1", "td2"}));
  EXPECT_EQ(Tds(R"({containerSpecs_SOME: {privileged: false, user_CONTAINS: "root"}})"),
            Ids({"td5"}));  // REL-06
  EXPECT_EQ(Tds(R"({AND: [{containerSpecs_SOME: {privileged: false}},
                          {containerSpecs_SOME: {user_CONTAINS: "root"}}]})"),
            Ids({"td1", "td5"}));  // REL-07
  EXPECT_EQ(Tds(R"({containerSpecs_SOME: {OR: [{envEntries_SOME: {key_STARTS_WITH: "AWS_"}},
                                               {user: "admin"}]}})"),
            Ids({"td1", "td5", "td6"}));  // REL-08
  EXPECT_EQ(Tds("{containerSpecs_NOT: {privileged: true}}"), Ids({"td2", "td4", "td5"}));
  EXPECT_EQ(Tds("{containerSpecs: {privileged: true}}"), Ids({"td1", "td3", "td6"}));
}

TEST_F(WhereTest, NestedV7Quantifiers) {
  EXPECT_EQ(Tds("{containerSpecs: {some: {privileged: {eq: true}}}}"), Ids({"td1", "td3", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs: {none: {privileged: {eq: true}}}}"), Ids({"td2", "td4", "td5"}));
  EXPECT_EQ(Tds(R"({containerSpecs: {all: {privileged: {eq: false}}, some: {user: {eq: "app"}}}})"),
            Ids({}));
  EXPECT_EQ(
      Tds(R"({containerSpecs: {all: {privileged: {eq: false}}, some: {user: {eq: "Root"}}}})"),
      Ids({"td2"}));
}

TEST_F(WhereTest, OneToOneRelationships) {  // ONE-01..04
  EXPECT_EQ(Tds(R"({task: {lastStatus: "RUNNING"}})"), Ids({"td1", "td4", "td5"}));
  EXPECT_EQ(Tds(R"({task_NOT: {lastStatus: "RUNNING"}})"), Ids({"td2", "td3", "td6"}));
  EXPECT_EQ(Tds(R"({NOT: {task: {lastStatus: {eq: "RUNNING"}}}})"), Ids({"td2", "td3", "td6"}));
  EXPECT_EQ(
      Match(R"({ ecsTaskContainerSpecs(where: {taskDefinition: {networkMode: "host"}}) { id } })"),
      Ids({"s1", "s2", "s3", "s4"}));
  EXPECT_EQ(Match("{ ecsTasks(where: {taskDefinition: {containerSpecs_SOME: {privileged: true}}}) "
                  "{ id } }"),
            Ids({"t1"}));
  EXPECT_EQ(Tds(R"({task: {lastStatus_IN: ["RUNNING", "STOPPED"]},
                    containerSpecs_SOME: {memory_GTE: 1000}})"),
            Ids({"td2", "td5"}));
}

TEST_F(WhereTest, RelationshipExistenceTests) {         // RNULL-01..07
  EXPECT_EQ(Tds("{task: null}"), Ids({"td3", "td6"}));  // td3's ECSService is not an ECSTask
  EXPECT_EQ(Tds("{task_NOT: null}"), Ids({"td1", "td2", "td4", "td5"}));
  EXPECT_EQ(Tds("{NOT: {task: null}}"), Ids({"td1", "td2", "td4", "td5"}));
  EXPECT_EQ(Tds("{containerSpecs: null}"), Ids({"td4"}));
  EXPECT_EQ(Tds("{containerSpecs_NOT: null}"), Ids({"td1", "td2", "td3", "td5", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs_SOME: null}"), Ids({"td4"}));  // §5.6: NOT EXISTS
  EXPECT_EQ(Tds("{containerSpecs: {some: null}}"), Ids({"td1", "td2", "td3", "td5", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs: {none: null}}"), Ids({"td4"}));
}

TEST_F(WhereTest, EmptyRelationshipFilters) {  // EMPTY-01..06
  EXPECT_EQ(Tds("{containerSpecs_SOME: {}}"), kAllTds);
  EXPECT_EQ(Tds("{containerSpecs_NONE: {}}"), kAllTds);
  EXPECT_EQ(Tds("{containerSpecs_ALL: {}}"), kAllTds);
  EXPECT_EQ(Tds("{containerSpecs: {some: {}}}"), kAllTds);
  EXPECT_EQ(Tds("{task: {}}"), kAllTds);
  // Keys without a predicate: SOME / 1:1 test existence, NONE non-existence, ALL/SINGLE nothing.
  EXPECT_EQ(Tds("{containerSpecs_SOME: {NOT: {}}}"), Ids({"td1", "td2", "td3", "td5", "td6"}));
  EXPECT_EQ(Tds("{containerSpecs_NONE: {NOT: {}}}"), Ids({"td4"}));
  EXPECT_EQ(Tds("{containerSpecs: {none: {NOT: {}}}}"), Ids({"td4"}));
  EXPECT_EQ(Tds("{containerSpecs_ALL: {NOT: {}}}"), kAllTds);
  EXPECT_EQ(Tds("{containerSpecs_SINGLE: {OR: []}}"), kAllTds);
  EXPECT_EQ(Tds("{task: {NOT: {}}}"), Ids({"td1", "td2", "td4", "td5"}));
  EXPECT_EQ(Tds("{task_NOT: {NOT: {}}}"), Ids({"td3", "td6"}));
}

TEST_F(WhereTest, DroppedFiltersAreWarnedAbout) {  // §7.4
  auto q = Compile(
      "{ ecsTaskDefinitions(where: {\n  containerSpecs_SOME: {}, OR: [], NOT: {}\n"
      "}) { id } }");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  ASSERT_EQ(q->warnings().size(), 3u);
  EXPECT_EQ(q->warnings()[0],
            "2:3: \"containerSpecs_SOME: {}\" applies no filter: every node matches, with or "
            "without related containerSpecs (QUERY-LANGUAGE §5.5)");
  EXPECT_TRUE(q->warnings()[1].starts_with("2:28: OR without any filter"));
  EXPECT_TRUE(q->warnings()[2].starts_with("2:36: NOT over an empty filter"));
  auto clean = Compile(R"({ ecsTaskDefinitions(where: {networkMode: "host"}) { id } })");
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->warnings().empty());
}

TEST_F(WhereTest, SeedQueryInBothSyntaxes) {  // SEED-01, SEED-02, CYS-01
  EXPECT_EQ(Match("ecsTaskDefinitions(\nwhere: {\nnetworkMode: \"host\", task_NOT: null,\nOR:[\n"
                  "{containerSpecs_SOME: { privileged: true }},\n"
                  "{containerSpecs_SOME: { user_CONTAINS: \"root\" }}\n] }\n) {...AssetFragment}"),
            Ids({"td1"}));
  EXPECT_EQ(Tds(R"({ networkMode: { eq: "host" }, NOT: { task: null }, OR: [
                     { containerSpecs_SOME: { privileged: { eq: true } } },
                     { containerSpecs_SOME: { user_CONTAINS: "root" } }] })"),
            Ids({"td1"}));
  EXPECT_EQ(Tds("{task_NOT: null, containerSpecs_SOME: {readOnlyRootFS: false}}"),
            Ids({"td1", "td5"}));
}

}  // namespace
}  // namespace ecsguard::query
