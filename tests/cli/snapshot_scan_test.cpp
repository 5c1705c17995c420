// `scan snapshot` wiring that its reports cannot show (issue 12): what the scan asks ingest to
// build, and the progress line on a terminal.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands.h"
#include "support.h"

namespace ecsguard::cli {
namespace {

using Revisions = ingest::SnapshotOptions::Revisions;

struct Loaded {
  graph::Schema schema;
  controls::Catalog catalog;
};

const Loaded& Bundled() {
  static const Loaded* loaded = [] {
    auto schema = LoadSchema("");
    EXPECT_TRUE(schema.ok());
    auto catalog = LoadCatalog("", *schema);
    EXPECT_TRUE(catalog.ok());
    return new Loaded{std::move(*schema), std::move(*catalog)};
  }();
  return *loaded;
}

ingest::SnapshotOptions Projected(const std::vector<std::string>& ids, bool full_graph = false) {
  std::vector<const controls::Control*> selected;
  for (const std::string& id : ids) {
    const controls::Control* c = Bundled().catalog.Find(id);
    EXPECT_NE(c, nullptr) << id;
    if (c) selected.push_back(c);
  }
  ingest::SnapshotOptions read;
  EXPECT_TRUE(ProjectFor(selected, Bundled().schema, full_graph, &read).ok());
  return read;
}

// Controls on in-use revisions never see an unused one: only referenced revisions are built, the
// graph is projected, and environment values stay out. A control on the latest revision of each
// family needs them all; --full-graph builds everything.
TEST(SnapshotScanTest, ProjectionAndRevisionsFollowTheControls) {
  ingest::SnapshotOptions seed =
      Projected({"aws-ecs-1-privileged-network-mode", "aws-ecs-1-strict"});
  EXPECT_EQ(seed.revisions, Revisions::kReferenced);
  ASSERT_TRUE(seed.graph_names.has_value());
  EXPECT_THAT(*seed.graph_names, ::testing::Contains("networkMode"));
  EXPECT_THAT(*seed.graph_names, ::testing::Not(::testing::Contains("isLatestRevision")));
  EXPECT_EQ(seed.environment, ingest::SnapshotOptions::Environment::kNone);

  ingest::SnapshotOptions latest =
      Projected({"aws-ecs-1-privileged-network-mode", "aws-securityhub-ecs-1"});
  EXPECT_EQ(latest.revisions, Revisions::kAll);
  ASSERT_TRUE(latest.graph_names.has_value());

  ingest::SnapshotOptions full = Projected({"aws-ecs-1-privileged-network-mode"}, true);
  EXPECT_EQ(full.revisions, Revisions::kAll);
  EXPECT_FALSE(full.graph_names.has_value());
}

int Scan(const std::vector<std::string>& args, bool err_is_terminal, std::string* err) {
  std::vector<std::string> argv_storage = {"ecsguard"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  std::ostringstream out, errors;
  Io io{out, errors, false, err_is_terminal};
  int code = Run(static_cast<int>(argv.size()), argv.data(), io);
  *err = errors.str();
  return code;
}

// A long read shows where it is on a terminal, on one line rewritten in place and cleared after;
// never when stderr is a file or with --quiet. --jobs takes 1 to 256.
TEST(SnapshotScanTest, ProgressOnATerminalOnlyAndJobsInRange) {
  std::string estate = ::ecsguard::testing::SourcePath("tests/ingest/snapshot/data/estate");
  std::string dir = ::testing::TempDir() + "/snapshot_scan_test";
  std::vector<std::string> args = {"scan", "snapshot", estate, "--no-history",
                                   "-f",   "json",     "-o",   dir};
  std::string err;
  Scan(args, true, &err);
  EXPECT_THAT(err, ::testing::HasSubstr("\r\033[Kreading "));
  EXPECT_THAT(err, ::testing::HasSubstr("(100%)\r\033[K"));
  Scan(args, false, &err);
  EXPECT_THAT(err, ::testing::Not(::testing::HasSubstr("reading")));
  args.push_back("-q");
  Scan(args, true, &err);
  EXPECT_THAT(err, ::testing::Not(::testing::HasSubstr("reading")));
  args.push_back("--jobs");
  args.push_back("0");
  EXPECT_EQ(Scan(args, false, &err), kExitUsage);
  EXPECT_THAT(err, ::testing::HasSubstr("--jobs"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ecsguard::cli
