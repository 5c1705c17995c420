#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "scan/scan.h"
#include "scan_fixture.h"

namespace ecsguard::scan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kControl;

class SuppressionsTest : public testing::ScanFixture {
 protected:
  void SetUp() override {
    ScanFixture::SetUp();
    for (const char* id : {"a.yaml#One", "a.yaml#Two"}) {
      posture::Finding f;
      f.control_id = kControl;
      f.status = posture::Status::kFail;
      f.resource.id = id;
      findings_.push_back(f);
    }
  }

  static ingest::Suppression Complete() {
    ingest::Suppression s;
    s.control_id = kControl;
    s.resource_id = "a.yaml#One";
    s.reason = "r";
    s.owner = "o";
    s.expires = "2026-06-15";  // the last day it applies is today
    s.location = SourceLocation{"a.yaml", 3, 1};
    return s;
  }

  std::vector<std::string> Apply(const ingest::Suppression& s) {
    return ApplySuppressions({s}, catalog_, clock_, &findings_);
  }

  std::vector<posture::Finding> findings_;
};

TEST_F(SuppressionsTest, ACompleteUnexpiredSuppressionExceptsOnlyItsResource) {
  EXPECT_THAT(Apply(Complete()), IsEmpty());
  EXPECT_EQ(findings_[0].status, posture::Status::kExcepted);
  ASSERT_TRUE(findings_[0].exception.has_value());
  EXPECT_EQ(findings_[0].exception->id, "inline:a.yaml:3:1");
  EXPECT_EQ(findings_[0].exception->owner, "o");
  EXPECT_EQ(findings_[0].exception->expires, "2026-06-15");
  EXPECT_EQ(findings_[1].status, posture::Status::kFail);
}

TEST_F(SuppressionsTest, ASuppressionThatDoesNotApplyIsAWarningAndSuppressesNothing) {
  const std::string of = "a.yaml:3:1: suppression of " + std::string(kControl) + " for a.yaml#One";
  struct Case {
    std::function<void(ingest::Suppression*)> change;
    std::string warning;
  };
  const std::vector<Case> cases = {
      {[](ingest::Suppression* s) { s->reason.clear(), s->expires.clear(); },
       of + " ignored: missing reason, expires"},
      {[](ingest::Suppression* s) { s->expires = "2026-02-30"; },
       "a.yaml:3:1: suppression ignored: expires \"2026-02-30\" is not a YYYY-MM-DD date"},
      // From the day after its expiry it no longer applies.
      {[](ingest::Suppression* s) { s->expires = "2026-06-14"; },
       of + " expired on 2026-06-14 and no longer applies"},
      {[](ingest::Suppression* s) { s->control_id = "no-such-control"; },
       "a.yaml:3:1: suppression names unknown control no-such-control"},
  };
  for (const Case& c : cases) {
    ingest::Suppression s = Complete();
    c.change(&s);
    EXPECT_THAT(Apply(s), ElementsAre(c.warning));
    EXPECT_EQ(findings_[0].status, posture::Status::kFail) << c.warning;
  }
}

TEST_F(SuppressionsTest, ASuppressionThatMatchesNoFailureIsReportedByControlId) {
  ingest::Suppression s = Complete();
  s.control_id = "ECS.1";
  s.resource_id = "a.yaml#Three";
  EXPECT_THAT(Apply(s), ElementsAre("a.yaml:3:1: suppression of " + std::string(kControl) +
                                    " for a.yaml#Three matched no failure"));
}

TEST_F(SuppressionsTest, PassAndNotEvaluatedFindingsAreNeverSuppressed) {
  findings_[0].status = posture::Status::kNotEvaluated;
  ingest::Suppression s = Complete();
  EXPECT_THAT(Apply(s), ElementsAre("a.yaml:3:1: suppression of " + std::string(kControl) +
                                    " for a.yaml#One matched no failure"));
  EXPECT_EQ(findings_[0].status, posture::Status::kNotEvaluated);
}

}  // namespace
}  // namespace ecsguard::scan
