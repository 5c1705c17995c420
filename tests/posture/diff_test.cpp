#include "posture/diff.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace ecsguard::posture {
namespace {

constexpr char kControl[] = "aws-ecs-1-privileged-network-mode";
constexpr char kProd[] = "111122223333";

Finding Live(std::string region, std::string family, int64_t revision, Status status) {
  Finding f;
  f.control_id = kControl;
  f.status = status;
  f.resource.account_id = kProd;
  f.resource.region = std::move(region);
  f.resource.family = std::move(family);
  f.resource.revision = revision;
  f.resource.arn = fmt::format("arn:aws:ecs:{}:{}:task-definition/{}:{}", f.resource.region, kProd,
                               f.resource.family, revision);
  f.id = FindingId(kControl, f.resource);
  if (status == Status::kExcepted) f.exception = AppliedException{"exc", "r", "o", "2027-01-01"};
  return f;
}

Finding Iac(std::string path, std::string logical_id, Status status) {
  Finding f;
  f.control_id = kControl;
  f.status = status;
  f.resource.id = path + "#" + logical_id;
  f.resource.location = SourceLocation{path, 4, 7};
  f.id = FindingId(kControl, f.resource);
  return f;
}

ScanResult LiveScan(std::vector<std::string> evaluated_regions, std::vector<Finding> findings) {
  ScanResult scan;
  scan.info.kind = "aws";
  for (std::string& r : evaluated_regions) scan.coverage.push_back({kProd, std::move(r)});
  scan.findings = std::move(findings);
  return scan;
}

// "family:revision" of each entry, in order.
std::vector<std::string> Names(const std::vector<DiffEntry>& entries) {
  std::vector<std::string> out;
  for (const DiffEntry& e : entries) {
    const Resource& r = e.latest().resource;
    out.push_back(r.arn.empty() ? r.id : fmt::format("{}:{}", r.family, r.revision));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(DiffTest, TransitionsWithinCommonCoverage) {
  ScanResult before =
      LiveScan({"eu-west-1"}, {
                                  Live("eu-west-1", "still", 1, Status::kFail),
                                  Live("eu-west-1", "gone", 1, Status::kFail),
                                  Live("eu-west-1", "fixed", 1, Status::kFail),
                                  Live("eu-west-1", "accepted", 1, Status::kFail),
                                  Live("eu-west-1", "lapsed", 1, Status::kExcepted),
                                  Live("eu-west-1", "kept", 1, Status::kExcepted),
                                  Live("eu-west-1", "dropped-excepted", 1, Status::kExcepted),
                                  Live("eu-west-1", "unknown-now", 1, Status::kFail),
                                  Live("eu-west-1", "was-pass", 1, Status::kPass),
                                  Live("eu-west-1", "was-unknown", 1, Status::kNotEvaluated),
                              });
  ScanResult after =
      LiveScan({"eu-west-1"}, {
                                  Live("eu-west-1", "still", 1, Status::kFail),
                                  Live("eu-west-1", "fixed", 1, Status::kPass),
                                  Live("eu-west-1", "accepted", 1, Status::kExcepted),
                                  Live("eu-west-1", "lapsed", 1, Status::kFail),
                                  Live("eu-west-1", "kept", 1, Status::kExcepted),
                                  Live("eu-west-1", "unknown-now", 1, Status::kNotEvaluated),
                                  Live("eu-west-1", "was-pass", 1, Status::kFail),
                                  Live("eu-west-1", "was-unknown", 1, Status::kFail),
                                  Live("eu-west-1", "brand-new", 1, Status::kFail),
                                  Live("eu-west-1", "new-excepted", 1, Status::kExcepted),
                              });
  after.findings[5].reason = "revision could not be described";

  ScanDiff d = Diff(before, after);
  EXPECT_EQ(Names(d.still_failing), V({"still:1"}));
  EXPECT_EQ(Names(d.resolved), V({"dropped-excepted:1", "fixed:1", "gone:1"}));
  EXPECT_EQ(Names(d.new_failures), V({"brand-new:1", "was-pass:1", "was-unknown:1"}));
  EXPECT_EQ(Names(d.newly_excepted), V({"accepted:1", "new-excepted:1"}));
  EXPECT_EQ(Names(d.no_longer_excepted), V({"lapsed:1"}));
  ASSERT_EQ(Names(d.not_comparable), V({"unknown-now:1"}));
  EXPECT_EQ(d.not_comparable[0].note,
            "not evaluated in the later scan: revision could not be described");

  // Entries carry both records where they exist.
  const DiffEntry& gone = d.resolved[2];
  ASSERT_TRUE(gone.before);
  EXPECT_FALSE(gone.after);
  EXPECT_EQ(gone.before->status, Status::kFail);
  const DiffEntry& accepted = d.newly_excepted[0];
  ASSERT_TRUE(accepted.before && accepted.after);
  EXPECT_EQ(accepted.after->exception->id, "exc");
}

TEST(DiffTest, ARegionNotScannedTheSecondTimeIsNotResolved) {
  ScanResult before = LiveScan({"eu-west-1", "us-east-1"},
                               {
                                   Live("eu-west-1", "web", 11, Status::kFail),
                                   Live("us-east-1", "edge-proxy", 21, Status::kFail),
                                   Live("us-east-1", "log-shipper", 2, Status::kExcepted),
                               });
  ScanResult after = LiveScan({"eu-west-1"}, {});
  ScanDiff d = Diff(before, after);
  EXPECT_EQ(Names(d.resolved), V({"web:11"}));
  EXPECT_EQ(Names(d.not_comparable), V({"edge-proxy:21", "log-shipper:2"}));
  EXPECT_EQ(d.not_comparable[0].note,
            "account 111122223333 region us-east-1 was not evaluated in the later scan");
  EXPECT_TRUE(d.new_failures.empty());
  EXPECT_TRUE(d.still_failing.empty());
}

TEST(DiffTest, DeniedOrNewRegionIsNotComparable) {
  ScanResult before =
      LiveScan({"eu-west-1", "us-east-1"}, {
                                               Live("us-east-1", "edge-proxy", 21, Status::kFail),
                                           });
  ScanResult after =
      LiveScan({"eu-west-1", "ap-south-1"}, {
                                                Live("ap-south-1", "fresh", 1, Status::kFail),
                                            });
  after.coverage.push_back({kProd, "us-east-1", Coverage::State::kDenied, "AccessDenied"});
  ScanDiff d = Diff(before, after);
  ASSERT_EQ(Names(d.not_comparable), V({"fresh:1", "edge-proxy:21"}));  // by ARN
  EXPECT_EQ(d.not_comparable[1].note,
            "account 111122223333 region us-east-1 was not evaluated in the later scan");
  EXPECT_EQ(d.not_comparable[0].note,
            "account 111122223333 region ap-south-1 was not evaluated in the earlier scan");
  EXPECT_TRUE(d.resolved.empty());
  EXPECT_TRUE(d.new_failures.empty());
}

TEST(DiffTest, ACellReportedBothEvaluatedAndFailedIsNotCovered) {
  ScanResult before = LiveScan({"eu-west-1"}, {Live("eu-west-1", "web", 1, Status::kFail)});
  ScanResult after = LiveScan({"eu-west-1"}, {});
  after.coverage.push_back({kProd, "eu-west-1", Coverage::State::kFailed, "throttled"});
  ScanDiff d = Diff(before, after);
  EXPECT_TRUE(d.resolved.empty());
  EXPECT_EQ(Names(d.not_comparable), V({"web:1"}));
}

TEST(DiffTest, WithoutACoverageTableTheCellsAreThoseTheFindingsName) {
  ScanResult before = LiveScan({}, {Live("eu-west-1", "web", 11, Status::kFail),
                                    Live("us-east-1", "edge-proxy", 21, Status::kFail),
                                    Live("ap-south-1", "batch", 2, Status::kFail)});
  ScanResult after = LiveScan({}, {Live("eu-west-1", "web", 12, Status::kPass),
                                   Live("ap-south-1", "batch", 3, Status::kPass),
                                   Live("ap-south-1", "etl", 9, Status::kNotEvaluated)});
  ScanDiff d = Diff(before, after);
  EXPECT_EQ(Names(d.resolved), V({"web:11"}));
  // us-east-1 has no record the second time; ap-south-1 holds a NOT_EVALUATED record.
  EXPECT_EQ(Names(d.not_comparable), V({"batch:2", "edge-proxy:21"}));
}

TEST(DiffTest, IacFindingsCompareByFilesReadInBothScans) {
  ScanResult before;
  before.info.kind = "iac";
  before.info.inputs = {"infra", "other/service.json"};
  before.findings = {Iac("infra/web.json", "Web", Status::kFail),
                     Iac("infra/api.json", "Api", Status::kFail),
                     Iac("infra/broken.json", "Job", Status::kFail),
                     Iac("other/service.json", "Svc", Status::kFail)};
  ScanResult after;
  after.info.kind = "iac";
  after.info.inputs = {"./infra/"};
  after.findings = {Iac("infra/web.json", "Web", Status::kFail),
                    Iac("infra/new.json", "New", Status::kFail)};
  after.problems.emplace_back(ErrorCode::kParse, "unexpected token",
                              SourceLocation{"infra/broken.json", 3, 1});

  ScanDiff d = Diff(before, after);
  EXPECT_EQ(Names(d.still_failing), V({"infra/web.json#Web"}));
  EXPECT_EQ(Names(d.resolved), V({"infra/api.json#Api"}));
  EXPECT_EQ(Names(d.new_failures), V({"infra/new.json#New"}));
  ASSERT_EQ(Names(d.not_comparable), V({"infra/broken.json#Job", "other/service.json#Svc"}));
  EXPECT_EQ(d.not_comparable[0].note, "file infra/broken.json was not read in the later scan");
  EXPECT_EQ(d.not_comparable[1].note, "file other/service.json was not read in the later scan");
}

TEST(DiffTest, IdenticalScansHaveOnlyStillFailing) {
  ScanResult scan = LiveScan({"eu-west-1"}, {Live("eu-west-1", "web", 11, Status::kFail),
                                             Live("eu-west-1", "api", 7, Status::kPass),
                                             Live("eu-west-1", "db", 3, Status::kExcepted)});
  ScanDiff d = Diff(scan, scan);
  EXPECT_EQ(Names(d.still_failing), V({"web:11"}));
  EXPECT_TRUE(d.new_failures.empty() && d.resolved.empty() && d.newly_excepted.empty() &&
              d.no_longer_excepted.empty() && d.not_comparable.empty());
}

}  // namespace
}  // namespace ecsguard::posture
