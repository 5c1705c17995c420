// SnapshotOptions::Revisions::kReferenced (issue 12): only the revisions a task or a service
// refers to become nodes, the others are read and checked but not built, and are read again from
// their files at the end. The graph must be the whole graph without the unreferenced revisions,
// node for node, and the problems and gaps must be the same, whatever the input looks like.

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "graph_matchers.h"
#include "ingest/snapshot/snapshot.h"
#include "support.h"

namespace ecsguard::ingest {
namespace {
namespace referenced {  // the unity build shares the other files' anonymous namespace

using namespace ::ecsguard::ingest::testing;
using Revisions = SnapshotOptions::Revisions;

const std::string kAccount = "111122223333";

std::string Arn(std::string_view family, int revision) {
  return fmt::format("arn:aws:ecs:eu-west-1:{}:task-definition/{}:{}", kAccount, family, revision);
}

// A task definition object; Td is it as describe-task-definition prints it.
std::string Bare(std::string_view family, int revision, std::string_view user = "root") {
  return fmt::format(
      R"({{"taskDefinitionArn": "{}", "family": "{}", "revision": {}, "status": "ACTIVE",)"
      R"( "networkMode": "host", "containerDefinitions": [{{"name": "c", "image": "nginx",)"
      R"( "user": "{}"}}]}})",
      Arn(family, revision), family, revision, user);
}

std::string Td(std::string_view family, int revision, std::string_view user = "root",
               std::string_view extra = "") {
  return fmt::format(
      R"({{"taskDefinition": {{"taskDefinitionArn": "{}", "family": "{}", "revision": {},)"
      R"( "status": "ACTIVE", "networkMode": "host", "containerDefinitions": [{{"name": "c",)"
      R"( "image": "nginx", "user": "{}"{}}}]}}, "tags": [{{"key": "env", "value": "prod"}}]}})",
      Arn(family, revision), family, revision, user, extra);
}

std::string Task(std::string_view id, const std::string& td, std::string_view status = "RUNNING") {
  return fmt::format(
      R"({{"tasks": [{{"taskArn": "arn:aws:ecs:eu-west-1:{}:task/prod/{}", "clusterArn":)"
      R"( "arn:aws:ecs:eu-west-1:{}:cluster/prod", "taskDefinitionArn": "{}", "lastStatus":)"
      R"( "{}", "desiredStatus": "{}"}}]}})",
      kAccount, id, kAccount, td, status, status);
}

// The node ids a line of Dump() names.
std::vector<std::string> IdsOf(const std::string& line) {
  size_t edge = line.find(")-[:");
  if (edge != std::string::npos) {
    size_t to = line.find("->(", edge);
    return {line.substr(1, edge - 1), line.substr(to + 3, line.size() - to - 4)};
  }
  std::string inner = line.substr(1, line.find(')') - 1);
  return {inner.substr(0, inner.rfind(':'))};
}

// Dump(g) without the task definitions `arns` and the nodes under them (containers, entries).
std::string DumpWithout(const graph::Graph& g, const std::set<std::string>& arns) {
  std::string dump = Dump(g), out;
  size_t start = 0;
  while (start < dump.size()) {
    size_t end = dump.find('\n', start);
    std::string line = dump.substr(start, end - start);
    start = end + 1;
    bool drop = false;
    for (const std::string& id : IdsOf(line)) {
      std::string owner = id.substr(0, id.find('#'));
      drop |= arns.contains(owner);
    }
    if (!drop) out += line + "\n";
  }
  return out;
}

// Task definitions of the whole graph that no task (of any status) or service refers to.
std::set<std::string> Unreferenced(const graph::Graph& g) {
  std::set<std::string> referenced, out;
  for (graph::NodeIndex n : g.NodesWithLabel("ECSTask")) {
    graph::Value ref = g.GetProp(n, "taskDefinitionArn");
    if (ref.kind() == graph::Value::Kind::kString) referenced.emplace(ref.as_string());
  }
  for (graph::NodeIndex n : g.NodesWithLabel("ECSTaskDefinition")) {
    std::string id(g.Id(n));
    if (!referenced.contains(id) && In(g, id, "HAS_TASK_DEFINITION").empty()) out.insert(id);
  }
  return out;
}

std::vector<std::string> GapStrings(const SnapshotResult& r) {
  std::vector<std::string> out;
  for (const Gap& g : r.gaps) out.push_back(fmt::format("{} {}: {}", g.asset_type, g.id, g.reason));
  return out;
}

// Every name in `g` but isLatestRevision, which needs every revision (kReferenced builds them
// all when it is read, and reads it without a projection).
std::vector<std::string> NamesButLatest(const graph::Graph& g) {
  std::set<std::string> names = {"HAS_CONTAINER_DEFINITION",
                                 "HAS_ENV_ENTRY",
                                 "HAS_TASK_DEFINITION",
                                 "HAS_TASK",
                                 "HAS_SERVICE",
                                 "HAS_CONTAINER_INSTANCE",
                                 "HAS_TARGET_GROUP",
                                 "IS_INSTANCE",
                                 "MEMBER_OF_SECURITY_GROUP",
                                 "HAS_SECRET",
                                 "HAS_VOLUME",
                                 "HAS_SETTING",
                                 "HAS_TASK_SET",
                                 "value"};
  for (graph::NodeIndex n = 0; n < g.node_count(); ++n) {
    names.emplace(g.LabelName(n));
    for (const auto& prop : g.Props(n)) names.emplace(g.Name(prop.key));
  }
  names.erase("isLatestRevision");
  return {names.begin(), names.end()};
}

// Loads `load` both ways, projected to every name but isLatestRevision, and checks the
// referenced graph against the whole one. Returns the revisions that were left out.
template <typename Load>
std::set<std::string> ExpectTheWholeGraphWithoutUnreferenced(Load&& load,
                                                             SnapshotOptions options = {}) {
  options.graph_names = NamesButLatest(load(options).graph);
  SnapshotResult whole = load(options);
  options.revisions = Revisions::kReferenced;
  SnapshotResult referenced = load(options);
  std::set<std::string> left_out = Unreferenced(whole.graph);
  EXPECT_EQ(Dump(referenced.graph), DumpWithout(whole.graph, left_out));
  for (const std::string& arn : left_out) EXPECT_FALSE(HasNode(referenced.graph, arn)) << arn;
  EXPECT_EQ(ProblemStrings(referenced), ProblemStrings(whole));
  EXPECT_EQ(GapStrings(referenced), GapStrings(whole));
  EXPECT_EQ(referenced.stats.task_definitions, whole.stats.task_definitions);
  EXPECT_EQ(referenced.stats.documents, whole.stats.documents);
  // Every cell the whole graph's revisions come from is still known.
  std::set<std::pair<std::string, std::string>> cells(referenced.unbuilt_cells.begin(),
                                                      referenced.unbuilt_cells.end());
  for (graph::NodeIndex n : referenced.graph.NodesWithLabel("ECSTaskDefinition")) {
    cells.emplace(referenced.graph.GetProp(n, "accountId").as_string(),
                  referenced.graph.GetProp(n, "region").as_string());
  }
  for (graph::NodeIndex n : whole.graph.NodesWithLabel("ECSTaskDefinition")) {
    EXPECT_TRUE(cells.contains({std::string(whole.graph.GetProp(n, "accountId").as_string()),
                                std::string(whole.graph.GetProp(n, "region").as_string())}))
        << whole.graph.Id(n);
  }
  return left_out;
}

// kReferenced, projected to what a scan of the seed control reads (no isLatestRevision).
SnapshotOptions Referenced() {
  SnapshotOptions options;
  options.revisions = Revisions::kReferenced;
  options.graph_names = {{"ECSTask", "ECSTaskContainerSpec", "ECSTaskDefinition",
                          "HAS_CONTAINER_DEFINITION", "HAS_TASK_DEFINITION", "accountId", "arn",
                          "networkMode", "privileged", "region", "user"}};
  return options;
}

SnapshotResult Text(const std::string& text, const SnapshotOptions& options) {
  return LoadSnapshotText(text, "in.jsonl", options);
}

TEST(ReferencedRevisionsTest, TheEstateWithoutItsUnusedRevisions) {
  std::string estate = ::ecsguard::testing::SourcePath("tests/ingest/snapshot/data/estate");
  // Every revision of the estate is used; add an old one of the same family that is not.
  std::string old = ::testing::TempDir() + "/referenced_old_" + std::to_string(::getpid());
  std::ofstream(old) << Td("web", 2) << "\n";
  std::set<std::string> left_out =
      ExpectTheWholeGraphWithoutUnreferenced([&](const SnapshotOptions& o) {
        return LoadSnapshot({estate, old}, o);
      });
  EXPECT_THAT(left_out, ::testing::ElementsAre(Arn("web", 2)));
  std::filesystem::remove(old);
}

TEST(ReferencedRevisionsTest, InUseStoppedAndUnusedRevisionsInJsonLines) {
  std::string text = Td("a", 1) + "\n" + Td("a", 2, "1000") + "\n" + Td("b", 1) + "\n" +
                     Task("t1", Arn("a", 2)) + "\n" + Td("c", 4) + "\n" +
                     Task("t2", Arn("c", 4), "STOPPED") + "\n";
  std::set<std::string> left_out = ExpectTheWholeGraphWithoutUnreferenced(
      [&](const SnapshotOptions& o) { return Text(text, o); });
  EXPECT_THAT(left_out, ::testing::ElementsAre(Arn("a", 1), Arn("b", 1)));
}

// The same revision described twice with different values: the later copy wins either way.
TEST(ReferencedRevisionsTest, ARevisionDescribedTwiceMergesTheSameWay) {
  std::string text = Td("a", 1, "root") + "\n" + Task("t1", Arn("a", 1)) + "\n" + Td("b", 1) +
                     "\n" + Td("a", 1, "1000", R"(, "privileged": true)") + "\n";
  ExpectTheWholeGraphWithoutUnreferenced([&](const SnapshotOptions& o) { return Text(text, o); });
  SnapshotOptions options = Referenced();
  SnapshotResult r = Text(text, options);
  EXPECT_EQ(Str(r.graph, Arn("a", 1) + "#c", "user"), "1000");
}

// A malformed copy is a gap unless a good copy is built; an unused malformed one stays a gap.
TEST(ReferencedRevisionsTest, UnreadableCopiesGiveTheSameGaps) {
  std::string bad_a = Td("a", 1, "root", R"(, "privileged": "yes")");
  std::string bad_b = Td("b", 1, "root", R"(, "privileged": "yes")");
  std::string text = bad_a + "\n" + Task("t1", Arn("a", 1)) + "\n" + bad_b + "\n" + Td("a", 1) +
                     "\n" + Td("d", 1) + "\n" + Task("t2", Arn("e", 1)) + "\n";
  ExpectTheWholeGraphWithoutUnreferenced([&](const SnapshotOptions& o) { return Text(text, o); });
  SnapshotResult r = Text(text, Referenced());
  EXPECT_EQ(r.problems.size(), 2u);
  EXPECT_THAT(
      GapStrings(r),
      ::testing::ElementsAre(
          ::testing::StartsWith("ECSTaskDefinition " + Arn("b", 1) + ": not read: "),
          ::testing::StartsWith("ECSTaskDefinition " + Arn("e", 1) + ": in use by running task")));
}

// Without describe-tasks output every revision is a gap, and they are all built to name them.
TEST(ReferencedRevisionsTest, WithoutATaskListEveryRevisionIsStillAGap) {
  std::string text = Td("a", 1) + "\n" + Td("b", 2) + "\n";
  SnapshotOptions options = Referenced();
  SnapshotResult r = Text(text, options);
  options.revisions = Revisions::kAll;
  SnapshotResult whole = Text(text, options);
  EXPECT_EQ(Dump(r.graph), Dump(whole.graph));
  EXPECT_EQ(GapStrings(r), GapStrings(whole));
  EXPECT_EQ(r.gaps.size(), 2u);
  EXPECT_EQ(ProblemStrings(r), ProblemStrings(whole));
}

// Pretty-printed documents, a bare array of revisions, and a document too large to parse whole
// whose taskDefinitions array is read item by item, in chunks of every size.
TEST(ReferencedRevisionsTest, DocumentsArraysAndItemsOfLargeDocuments) {
  std::string array = "[\n" + Td("p", 1) + ",\n" + Td("p", 2) + "\n]\n";
  std::string items = R"({"taskDefinitions": [)" + Bare("q", 1) + ",\n" + Bare("q", 2) + ",\n" +
                      Bare("q", 3, "1000") + "]}\n";
  std::string text = array + Task("t1", Arn("p", 2)) + "\n" + items + "\n" +
                     Task("t2", Arn("q", 3)) + "\n" + Task("t3", Arn("q", 1)) + "\n";
  for (size_t chunk : {size_t{1} << 20, size_t{64}, size_t{7}}) {
    SnapshotOptions small;
    small.max_document_bytes = 600;
    small.read_chunk_bytes = chunk;
    std::set<std::string> left_out = ExpectTheWholeGraphWithoutUnreferenced(
        [&](const SnapshotOptions& o) { return Text(text, o); }, small);
    EXPECT_THAT(left_out, ::testing::ElementsAre(Arn("p", 1), Arn("q", 2))) << chunk;
  }
}

// isLatestRevision is decided over every revision of a family: reading it builds them all.
TEST(ReferencedRevisionsTest, ReadingIsLatestRevisionBuildsEveryRevision) {
  std::string text = Td("a", 1) + "\n" + Td("a", 2) + "\n" + Task("t1", Arn("a", 1)) + "\n";
  SnapshotOptions options;
  options.graph_names = {{"ECSTaskDefinition", "isLatestRevision"}};
  SnapshotResult all = Text(text, options);
  options.revisions = Revisions::kReferenced;
  SnapshotResult r = Text(text, options);
  EXPECT_EQ(Dump(r.graph), Dump(all.graph));
  EXPECT_EQ(Bool(r.graph, Arn("a", 1), "isLatestRevision"), false);
  EXPECT_TRUE(r.unbuilt_cells.empty());
}

// A pipe cannot be read twice: its documents with revisions are kept until the end instead.
TEST(ReferencedRevisionsTest, APipeIsReadOnce) {
  std::string text = Td("a", 1) + "\n" + Td("b", 1) + "\n" + Task("t1", Arn("a", 1)) + "\n";
  std::string dir = ::testing::TempDir() + "/referenced_pipe_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string fifo = dir + "/in.jsonl", file = dir + "/copy.jsonl";
  std::ofstream(file) << text;
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo) << text; });
  SnapshotOptions options = Referenced();
  SnapshotResult piped = LoadSnapshot({fifo}, options);
  writer.join();
  SnapshotResult copied = LoadSnapshot({file}, options);
  EXPECT_THAT(ProblemStrings(piped), ::testing::IsEmpty());
  EXPECT_TRUE(HasNode(piped.graph, Arn("a", 1)));
  EXPECT_FALSE(HasNode(piped.graph, Arn("b", 1)));
  EXPECT_EQ(Dump(piped.graph, /*with_source=*/false), Dump(copied.graph, /*with_source=*/false));
  std::filesystem::remove_all(dir);
}

// A file that changes between the two reads: the revision is not found again, which is said,
// and the task's revision is a gap (never an empty node that could pass).
TEST(ReferencedRevisionsTest, AFileThatChangesBetweenReadsIsAProblemAndAGap) {
  std::string dir = ::testing::TempDir() + "/referenced_changed_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  // Files are read in name order: the revision first, then the task, then a file whose reading
  // cannot change the first; so truncate the first file from a third input: a pipe read last.
  std::string td = dir + "/1-td.jsonl", task = dir + "/2-task.jsonl", fifo = dir + "/3-pipe";
  std::ofstream(td) << Td("a", 1) << "\n";
  std::ofstream(task) << Task("t1", Arn("a", 1)) << "\n";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo);
    out << Task("t2", Arn("a", 1)) << "\n";
    out.flush();
    std::ofstream(td, std::ios::trunc) << "{}\n";
  });
  SnapshotOptions options = Referenced();
  SnapshotResult r = LoadSnapshot({td, task, fifo}, options);
  writer.join();
  EXPECT_FALSE(HasNode(r.graph, Arn("a", 1)));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_THAT(r.problems[0].ToString(),
              ::testing::HasSubstr("1-td.jsonl:1:1: task definition " + Arn("a", 1) +
                                   " was not found again where it was read"));
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].id, Arn("a", 1));
  std::filesystem::remove_all(dir);
}

// Reader threads (SnapshotOptions::jobs) never change the result: thousands of lines in several
// batches, with tasks between the revisions, bad lines past the per-file problem limit, CRLF,
// blank lines, duplicates and a line too long to parse whole, in a file and from a pipe.
TEST(ReferencedRevisionsTest, ReaderThreadsGiveTheResultOfOne) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    std::string family = "f" + std::to_string(i % 97);
    if (i % 7 == 3) {
      text += Td(family, i, "root", R"(, "privileged": "no")");  // a problem, and a gap
    } else if (i % 11 == 5) {
      text += Td(family, i, "1000") + "\r";
    } else {
      text += Td(family, i);
    }
    text += "\n";
    if (i % 10 == 0) text += Task("t" + std::to_string(i), Arn(family, i / 2)) + "\n";
    if (i % 500 == 1) text += "{\"taskDefinition\": [\n\n";  // invalid JSON, then a blank line
    if (i % 999 == 2) text += Td("f1", 1, "0") + "\n";       // described again
  }
  text += R"({"taskDefinitions": [)" + Bare("big", 1) + "," + Bare("big", 2) + "]}\n";
  text += Task("last", Arn("big", 2)) + "\n";
  SnapshotOptions options = Referenced();
  options.max_problems_per_file = 20;
  options.max_document_bytes = 2048;  // the line of two revisions is read item by item
  SnapshotResult one = Text(text, options);
  EXPECT_EQ(one.problems.size(), 21u);  // 20 and "N more problems"
  EXPECT_TRUE(HasNode(one.graph, Arn("big", 2)));
  EXPECT_EQ(one.stats.documents_on_threads, 0u);
  for (unsigned jobs : {2u, 3u}) {
    options.jobs = jobs;
    SnapshotResult many = Text(text, options);
    EXPECT_EQ(Dump(many.graph), Dump(one.graph)) << jobs;
    EXPECT_EQ(ProblemStrings(many), ProblemStrings(one)) << jobs;
    EXPECT_EQ(GapStrings(many), GapStrings(one)) << jobs;
    EXPECT_EQ(many.stats.documents, one.stats.documents);
    EXPECT_EQ(many.stats.task_definitions, one.stats.task_definitions);
    EXPECT_EQ(many.unbuilt_cells, one.unbuilt_cells);
    // The threads did read most lines: the good revisions, not the tasks or the bad ones.
    EXPECT_GT(many.stats.documents_on_threads, 2000u) << jobs;
  }
  // The same from a pipe, whose revisions are copied instead of read again.
  std::string dir = ::testing::TempDir() + "/referenced_jobs_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string fifo = dir + "/in.jsonl";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo) << text; });
  options.jobs = 2;
  SnapshotResult piped = LoadSnapshot({fifo}, options);
  writer.join();
  EXPECT_EQ(Dump(piped.graph, false), Dump(one.graph, false));
  EXPECT_EQ(GapStrings(piped).size(), GapStrings(one).size());
  std::filesystem::remove_all(dir);
}

// With reader threads, the file is read in blocks straight into their batches and they frame
// the lines (LineBatches::SubmitBlock): blank and white-space lines, leading white space, CRLF,
// lines longer than a read or a block, a line longer than a document may be (read item by item
// on the calling thread, then blocks again), a first line not at column 1, and a last line
// without "\n". Every place (line:column in the problems, the revisions' positions) must be the
// one reading alone gives, at every read size.
TEST(ReferencedRevisionsTest, BlocksFrameLinesAsReadingAloneDoes) {
  std::string long_user(700, 'u');  // a line longer than several reads
  std::string body;
  body += "\n  \t\n";  // blank lines
  body += "   " + Td("a", 1) + "\n";
  body += Td("a", 2, long_user) + "\r\n";
  body += "\r\n\t \r\n";
  body += Task("t1", Arn("a", 2)) + "\n";
  body += R"({"taskDefinition": {"taskDefinitionArn": 7}})"
          "\n";                                                          // a problem at line:column
  body += "\t" + Td("b", 1, "root", R"(, "privileged": "yes")") + "\n";  // another
  body += R"({"taskDefinitions": [)" + Bare("big", 1) + "," + Bare("big", 2) + "]}\n";
  body += Task("t2", Arn("big", 2)) + "\n";
  for (int i = 0; i < 40; ++i) body += Td("c", i, i % 3 ? "root" : "1000") + "\n";
  body += Task("t3", Arn("c", 39)) + "\n";
  for (const std::string& start : {std::string(), std::string("\xEF\xBB\xBF"), std::string("  ")}) {
    for (const std::string& end : {std::string(), std::string("\n\n")}) {
      std::string text = start + body + Td("d", 1);  // the last line, maybe without "\n"
      text += end;
      for (size_t chunk : {size_t{7}, size_t{64}, size_t{1000}, size_t{1} << 20}) {
        for (size_t max_document : {size_t{900}, size_t{32} << 20}) {
          SnapshotOptions options = Referenced();
          options.read_chunk_bytes = chunk;
          options.max_document_bytes = max_document;
          SnapshotResult one = Text(text, options);
          options.jobs = 2;
          SnapshotResult two = Text(text, options);
          std::string where = fmt::format("start {} end {} chunk {} max {}", start.size(),
                                          end.size(), chunk, max_document);
          EXPECT_EQ(Dump(two.graph), Dump(one.graph)) << where;
          EXPECT_EQ(ProblemStrings(two), ProblemStrings(one)) << where;
          EXPECT_EQ(GapStrings(two), GapStrings(one)) << where;
          EXPECT_EQ(two.stats.documents, one.stats.documents) << where;
          EXPECT_GT(two.stats.documents_on_threads, 30u) << where;
          // Framed there too: every document after the first line, but the long ones read item
          // by item when a document may be at most 900 bytes. (Blocks start only where what is
          // read already holds no line longer than a document: with 1 MiB reads and 900-byte
          // documents, near the end.)
          if (chunk <= max_document) {
            EXPECT_GE(two.stats.documents_framed_on_threads, two.stats.documents - 3) << where;
          }
          EXPECT_EQ(one.stats.documents_framed_on_threads, 0u) << where;
          // a:2's line is longer than a document may be when that is 900 bytes.
          EXPECT_EQ(one.problems.size(), max_document < 1000 ? 4u : 3u) << where;
        }
      }
    }
  }
}

}  // namespace referenced
}  // namespace
}  // namespace ecsguard::ingest
