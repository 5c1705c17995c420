// The one Finding <-> JSON mapping: every field survives the round trip, and a code ecsguard
// never writes is an error naming the field, never a default.
#include "posture/finding_json.h"

#include <gtest/gtest.h>

namespace ecsguard::posture {
namespace {

using nlohmann::json;

Finding Full() {
  Finding f;
  f.id = "0123abcd";
  f.control_id = "aws-ecs-1-strict";
  f.control_title = "title";
  f.status = Status::kExcepted;
  f.severity = controls::Severity::kCritical;
  f.resource = Resource{"ECSTaskDefinition",
                        "id",
                        "arn:aws:ecs:eu-west-1:1:task-definition/w:3",
                        "111122223333",
                        "eu-west-1",
                        "w",
                        3,
                        "w:3",
                        "ACTIVE",
                        SourceLocation{"t.yaml", 4, 7}};
  f.evidence = {Evidence{"containerSpecs",
                         "nginx",
                         {{"privileged", "true"}, {"user", "\"root\""}},
                         SourceLocation{"t.yaml", 9, 11}},
                Evidence{"containerSpecs.envEntries", "K", {{"value", "\"<redacted>\""}}, {}}};
  f.reason = "why";
  f.context.tasks = {"t1"};
  f.context.services = {"s1"};
  f.context.clusters = {"c1"};
  f.context.exposure = Exposure::kInternet;
  f.context.exposure_reasons = {"public load balancer"};
  f.context.environment = "production";
  f.context.environment_source = "tag env=prod";
  f.context.priority = Priority::kP2;
  f.context.priority_context = "incomplete: x";
  f.exception = AppliedException{"e1", "accepted", "team@example.com", "2027-01-31", "SEC-1"};
  return f;
}

TEST(FindingJsonTest, RoundTripsEveryField) {
  Finding f = Full();
  json j = FindingToJson(f);
  Result<Finding> back = FindingFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(FindingToJson(*back), j);
  EXPECT_EQ(back->status, Status::kExcepted);
  EXPECT_EQ(back->severity, controls::Severity::kCritical);
  EXPECT_EQ(back->context.priority, Priority::kP2);
  EXPECT_EQ(back->context.exposure, Exposure::kInternet);
  EXPECT_EQ(back->evidence[0].fields, f.evidence[0].fields);
  EXPECT_EQ(back->evidence[0].location.line, 9u);
  EXPECT_EQ(back->resource.location.column, 7u);
  ASSERT_TRUE(back->exception.has_value());
  EXPECT_EQ(back->exception->ticket, "SEC-1");
  EXPECT_EQ(j["priority"], "P2");
}

TEST(FindingJsonTest, UnknownCodesAreErrorsNamingTheField) {
  const json good = FindingToJson(Full());
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{{"status", "BOGUS"},
                                                        {"severity", "extreme"},
                                                        {"priority", "P0"},
                                                        {"priority", "P12"},
                                                        {"exposure", "far"},
                                                        {"controlId", "../x"}}) {
    json j = good;
    j[field] = value;
    Result<Finding> r = FindingFromJson(j);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().code(), ErrorCode::kValidation);
    EXPECT_EQ(r.error().message(), field + ": invalid value \"" + value + "\"");
  }
  json wrong_type = good;
  wrong_type["status"] = 3;
  ASSERT_FALSE(FindingFromJson(wrong_type).ok());
  EXPECT_EQ(FindingFromJson(wrong_type).error().code(), ErrorCode::kParse);
  json missing = good;
  missing.erase("resource");
  EXPECT_EQ(FindingFromJson(missing).error().code(), ErrorCode::kParse);
}

TEST(FindingJsonTest, NamesParseBack) {
  for (Status s : {Status::kFail, Status::kPass, Status::kExcepted, Status::kNotEvaluated}) {
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
  }
  for (Priority p : {Priority::kP1, Priority::kP2, Priority::kP3, Priority::kP4}) {
    EXPECT_EQ(ParsePriority(PriorityName(p)), p);
  }
  for (Exposure e : {Exposure::kUnknown, Exposure::kInternal, Exposure::kInternet}) {
    EXPECT_EQ(ParseExposure(ExposureName(e)), e);
  }
  EXPECT_FALSE(ParseStatus("pass").has_value());
}

}  // namespace
}  // namespace ecsguard::posture
