// Bad input never crashes and never loses data: each file is read on its own, each problem has a
// file:line:column, and whatever is readable around it is still read.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "base/strings.h"
#include "graph_matchers.h"
#include "ingest/snapshot/snapshot.h"
#include "support.h"

namespace ecsguard::ingest {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace ::ecsguard::ingest::testing;

std::string TdArn(int revision) {
  return fmt::format("arn:aws:ecs:us-east-1:123456789012:task-definition/web:{}", revision);
}

std::string Td(int revision) {
  return fmt::format(
      R"({{"taskDefinitionArn":"{}","family":"web","revision":{},"status":"ACTIVE",)"
      R"("networkMode":"host","containerDefinitions":[{{"name":"app","privileged":true}}]}})",
      TdArn(revision), revision);
}

using ::ecsguard::testing::TempDir;

// "line:column" of byte `offset` of `text`.
std::string At(std::string_view text, size_t offset) {
  LineColumn lc = LineColumnAt(text, offset);
  return fmt::format("{}:{}", lc.line, lc.column);
}

SnapshotResult Load(const std::string& text, const SnapshotOptions& options = {}) {
  return ReadText(text, "in.json", options);
}

TEST(BadInputTest, EmptyAndBlankFiles) {
  SnapshotResult empty = Load("");
  EXPECT_THAT(ProblemStrings(empty), ElementsAre("in.json:1:1: the file is empty: expected JSON"));
  EXPECT_EQ(empty.problems[0].code(), ErrorCode::kParse);
  EXPECT_EQ(empty.stats.files, 1u);
  EXPECT_TRUE(empty.graph.frozen());
  SnapshotResult blank = Load(" \n\n\t ");
  EXPECT_THAT(ProblemStrings(blank),
              ElementsAre("in.json:3:3: the file holds only white space: expected JSON"));
}

TEST(BadInputTest, ProseIsOneProblem) {
  SnapshotResult r = Load("Task definitions exported on Monday\nweb:7 and api:3\n");
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre("in.json:1:1: invalid JSON: expected a JSON value; the rest of the "
                          "file was not read"));
}

TEST(BadInputTest, BinaryIsOneProblem) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0", 20);
  std::mt19937 rng(7);
  for (int i = 0; i < 100000; ++i) png.push_back(static_cast<char>(rng()));
  SnapshotResult r = Load(png);
  EXPECT_THAT(ProblemStrings(r), ElementsAre("in.json:1:1: not JSON text (binary data or not "
                                             "UTF-8); the rest of the file was not read"));
  // Binary that starts like JSON: still one problem, where it goes wrong.
  SnapshotResult gz = Load(std::string("{\"a\": \x1f\x8b\x08\0", 10) + png);
  EXPECT_THAT(ProblemStrings(gz), ElementsAre("in.json:1:7: not JSON text (binary data or not "
                                              "UTF-8); the rest of the file was not read"));
}

TEST(BadInputTest, Utf16AndByteOrderMarks) {
  SnapshotResult utf16 = Load(std::string("\xFF\xFE{\0}\0", 6));
  ASSERT_EQ(utf16.problems.size(), 1u);
  EXPECT_THAT(utf16.problems[0].message(), HasSubstr("UTF-16"));
  SnapshotResult bom = Load("\xEF\xBB\xBF" + Td(1) + "\n");
  EXPECT_THAT(ProblemStrings(bom), IsEmpty());
  EXPECT_TRUE(HasNode(bom.graph, TdArn(1)));
}

TEST(BadInputTest, TruncatedPrettyDocument) {
  std::string full = ::ecsguard::testing::ReadFileOrDie(::ecsguard::testing::SourcePath(
      "tests/ingest/snapshot/data/estate/ecs/web-task-definition.json"));
  // Cut inside the registeredAt value: the string that never ends is the problem.
  std::string cut = full.substr(0, full.find("2024-05-10T14"));
  SnapshotResult r = Load(cut);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(),
            "in.json:" + At(cut, cut.size() - 1) + ": invalid JSON: unterminated string");
  EXPECT_EQ(r.graph.node_count(), 0u);
  // Cut between members: the end of the file is where it goes wrong.
  cut = full.substr(0, full.find("\"tags\""));
  SnapshotResult r2 = Load(cut);
  ASSERT_EQ(r2.problems.size(), 1u);
  EXPECT_EQ(r2.problems[0].ToString(), "in.json:" + At(cut, cut.size()) +
                                           ": invalid JSON: unexpected end of input: unclosed "
                                           "object");
  EXPECT_EQ(r2.graph.node_count(), 0u);
}

TEST(BadInputTest, JsonLinesKeepGoingPastABadLine) {
  const std::string bad = R"({"taskDefinition": {"taskDefinitionArn": "x", }})";
  const std::string truncated = Td(4).substr(0, 60);  // ends inside "arn:aws:..."
  std::string text = Td(1) + "\n" + bad + "\n" +      // line 2: a trailing comma
                     "\n" + Td(3) + "\r\n" +          // a blank line, then CRLF
                     truncated + "\n" +               // line 5
                     Td(5) + " " + Td(6) + "\n" +     // line 6: two values
                     Td(7);                           // no final newline
  SnapshotResult r = Load(text);
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre(fmt::format("in.json:2:{}: invalid JSON: expected a member name in "
                                      "double quotes",
                                      bad.find("}") + 1),
                          fmt::format("in.json:5:{}: invalid JSON: unterminated string",
                                      truncated.rfind('"') + 1),
                          fmt::format("in.json:6:{}: invalid JSON: unexpected content after the "
                                      "JSON value",
                                      Td(5).size() + 2)));
  for (int revision : {1, 3, 5, 7}) EXPECT_TRUE(HasNode(r.graph, TdArn(revision))) << revision;
  for (int revision : {4, 6}) EXPECT_FALSE(HasNode(r.graph, TdArn(revision))) << revision;
  EXPECT_EQ(r.stats.documents, 6u);
}

TEST(BadInputTest, JsonLinesWithABadFirstLine) {
  // However the file is cut into reads (a fuzzer finding: small reads missed the second line).
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{1} << 20}) {
    SnapshotOptions options;
    options.read_chunk_bytes = chunk;
    SnapshotResult r = Load("`{oops}\n\r\n" + Td(2) + "\n" + Td(3) + "\n", options);
    EXPECT_THAT(ProblemStrings(r),
                ElementsAre("in.json:1:1: invalid JSON: unexpected character: expected a JSON "
                            "value"))
        << chunk;
    EXPECT_EQ(r.stats.task_definitions, 2u) << chunk;
  }
}

TEST(BadInputTest, ProblemsPerFileAreCapped) {
  std::string text;
  for (int i = 0; i < 150; ++i) text += "{\"tasks\": 1}\n";  // one problem per line
  SnapshotOptions options;
  options.max_problems_per_file = 100;
  SnapshotResult r = Load(text, options);
  ASSERT_EQ(r.problems.size(), 101u);
  EXPECT_EQ(r.problems[99].location().line, 100u);
  EXPECT_EQ(r.problems[100].ToString(), "in.json: 50 more problems in this file were not listed");
}

TEST(BadInputTest, DeepNestingIsOneProblem) {
  TempDir dir;
  const int depth = 100000;
  std::string arrays = dir.Write("arrays.json", std::string(depth, '[') + std::string(depth, ']'));
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  std::string objects_file = dir.Write("objects.json", objects);
  std::string open_only = dir.Write("open.json", std::string(depth, '[') + "\n");
  SnapshotResult r = ReadPaths({arrays, objects_file, open_only});
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre(arrays + ":1:1025: invalid JSON: nesting deeper than 1024 levels; the "
                                   "rest of the file was not read",
                          objects_file + ":1:5121: invalid JSON: nesting deeper than 1024 levels; "
                                         "the rest of the file was not read",
                          open_only + ":1:1025: invalid JSON: nesting deeper than 1024 levels; "
                                      "the rest of the file was not read"));
  // A deep line inside JSON Lines costs that line only.
  std::string lines = dir.Write("deep.jsonl", Td(1) + "\n" + std::string(depth, '[') +
                                                  std::string(depth, ']') + "\n" + Td(3) + "\n");
  SnapshotResult jl = ReadPaths({lines});
  ASSERT_EQ(jl.problems.size(), 1u);
  EXPECT_EQ(jl.problems[0].location().line, 2u);
  EXPECT_EQ(jl.stats.task_definitions, 2u);
}

TEST(BadInputTest, FiftyMegabyteLines) {
  TempDir dir;
  const size_t kSize = 50u << 20;
  // Garbage on one line: one problem, and the memory stays bounded (not checked here: see bench).
  std::string garbage = dir.Write("garbage.json", std::string(kSize, 'x'));
  // One huge line that never ends its string.
  std::string unterminated =
      dir.Write("string.json", "{\"taskDefinitions\": [\"" + std::string(kSize, 'y'));
  // A valid 50 MB line of awscli output (a paginated list, printed compactly): read in full.
  // Items carry 100 KB of a field the graph does not keep, so that the test stays quick.
  const std::string padding =
      fmt::format(R"(,"volumes":[{{"name":"{}"}}]}})", std::string(100000, 'v'));
  std::string big = "{\"taskDefinitions\": [";
  int count = 0;
  while (big.size() < kSize) {
    if (count++) big += ",";
    std::string td = Td(count);
    big += td.substr(0, td.size() - 1) + padding;
  }
  big += "], \"nextToken\": null}\n" + Td(count + 1) + "\n";
  std::string valid = dir.Write("valid.jsonl", big);
  SnapshotResult r = ReadPaths({garbage, unterminated, valid});
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre(garbage + ":1:1: invalid JSON: expected a JSON value; the rest of the "
                                    "file was not read",
                          fmt::format("{}:1:{}: invalid JSON: unexpected end of file inside a "
                                      "value",
                                      unterminated, kSize + 23)));
  EXPECT_EQ(r.stats.task_definitions, static_cast<size_t>(count + 1));
  EXPECT_TRUE(HasNode(r.graph, TdArn(1)));
  EXPECT_TRUE(HasNode(r.graph, TdArn(count)));
  EXPECT_EQ(Str(r.graph, TdArn(count), "source"), valid);
}

TEST(BadInputTest, LargeDocumentsAreReadItemByItem) {
  // Pretty-printed describe-tasks output, larger than the document limit.
  std::string text = "{\n  \"tasks\": [\n";
  for (int i = 0; i < 40; ++i) {
    text += fmt::format(
        "    {}{{\n      \"taskArn\": \"arn:aws:ecs:us-east-1:123456789012:task/c/t{}\",\n"
        "      \"taskDefinitionArn\": \"{}\",\n      \"desiredStatus\": \"RUNNING\",\n"
        "      \"lastStatus\": \"RUNNING\"{}\n    }}\n",
        i ? "," : "", i, TdArn(1), i == 7 ? ", \"group\": 12" : "");
  }
  text +=
      "  ],\n  \"failures\": [{\"arn\": \"arn:aws:ecs:us-east-1:123456789012:task/c/gone\", "
      "\"reason\": \"MISSING\"}]\n}\n" +
      Td(1) + "\n";
  SnapshotOptions small;
  small.max_document_bytes = 512;
  small.read_chunk_bytes = 100;
  SnapshotResult split = Load(text, small);
  SnapshotResult whole = Load(text);
  EXPECT_EQ(ProblemStrings(split), ProblemStrings(whole));
  ASSERT_EQ(split.problems.size(), 1u);
  // Task 7 starts on line 3 + 7 * 6 = 45; its bad "group" is on line 49.
  EXPECT_EQ(split.problems[0].ToString(),
            "in.json:49:41: tasks[7].group: expected a string, found a number");
  EXPECT_EQ(split.stats.tasks, 39u);
  EXPECT_EQ(split.stats.documents, 2u);
  EXPECT_EQ(Dump(split.graph), Dump(whole.graph));
  // The `failures` entry, and task 7: it could run any revision, so it is not silently dropped.
  ASSERT_EQ(split.gaps.size(), 2u);
  EXPECT_EQ(split.gaps[0].asset_type, "ECSTask");
  EXPECT_EQ(split.gaps[1].id, "arn:aws:ecs:us-east-1:123456789012:task/c/t7");
  EXPECT_EQ(split.gaps[1].reason, "not read: " + split.problems[0].ToString());
}

TEST(BadInputTest, BrokenSkeletonOfALargeDocument) {
  std::string text = "{\"tasks\": [";
  for (int i = 0; i < 20; ++i) {
    text += fmt::format(R"({{"taskArn": "arn:aws:ecs:us-east-1:1:task/c/t{}"}} )", i);
    if (i != 9) text += ",";  // a missing comma after item 9
  }
  SnapshotOptions small;
  small.max_document_bytes = 256;
  SnapshotResult r = Load(text + "]}", small);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_THAT(r.problems[0].ToString(),
              HasSubstr("invalid JSON: expected ',' or ']' after an array element; the rest of "
                        "the file was not read"));
  EXPECT_EQ(r.stats.tasks, 10u);  // the items before the break
}

TEST(BadInputTest, OversizedItemIsSkippedAndTheRestRead) {
  std::string huge = Td(2);
  huge.insert(huge.size() - 1, fmt::format(R"(,"pad":"{}")", std::string(2000, 'p')));
  std::string text = "{\"taskDefinitions\": [" + Td(1) + "," + huge + "," + Td(3) + "]}";
  SnapshotOptions small;
  small.max_document_bytes = 1024;
  SnapshotResult r = Load(text, small);
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre(fmt::format("in.json:1:{}: an array item of more than 1024 bytes was not "
                                      "read",
                                      22 + Td(1).size() + 1)));
  EXPECT_TRUE(HasNode(r.graph, TdArn(1)));
  EXPECT_FALSE(HasNode(r.graph, TdArn(2)));
  EXPECT_TRUE(HasNode(r.graph, TdArn(3)));
}

// A line larger than a document may be is read item by item; when what follows its value is
// itself longer than that, the lines after it are still read, whatever the read size (they were
// dropped without a word when the value's tail did not fit in the reads).
TEST(BadInputTest, LongContentAfterALargeLinesValueKeepsTheNextLines) {
  std::string text = "{\"taskDefinitions\": [" + Td(1) + "]} " + std::string(3000, 'z') + "\n" +
                     Td(2) + "\n" + Td(3) + "\n";
  for (size_t chunk : {size_t{16}, size_t{100}, size_t{1} << 16}) {
    SnapshotOptions small;
    small.max_document_bytes = 1024;
    small.read_chunk_bytes = chunk;
    SnapshotResult r = Load(text, small);
    EXPECT_THAT(ProblemStrings(r),
                ElementsAre(fmt::format("in.json:1:{}: invalid JSON: unexpected content after the "
                                        "JSON value",
                                        22 + Td(1).size() + 3)))
        << chunk;
    EXPECT_TRUE(HasNode(r.graph, TdArn(1))) << chunk;
    EXPECT_TRUE(HasNode(r.graph, TdArn(2))) << chunk;
    EXPECT_TRUE(HasNode(r.graph, TdArn(3))) << chunk;
  }
}

// The problem that ends a large document's reading does not depend on where reads end: an
// empty window after a value too large to keep is not the end of the file.
TEST(BadInputTest, LargeDocumentErrorsDoNotDependOnTheReads) {
  for (size_t key = 70; key < 150; ++key) {
    std::string text =
        "{\"" + std::string(key, 'k') + "\": [1, 2, 3], \"tasks\": []}\n" + Td(1) + "\n";
    for (size_t chunk : {size_t{16}, size_t{4096}}) {
      SnapshotOptions small;
      small.max_document_bytes = 64;
      small.read_chunk_bytes = chunk;
      SnapshotResult r = Load(text, small);
      EXPECT_THAT(ProblemStrings(r),
                  ElementsAre(fmt::format("in.json:1:{}: invalid JSON: a member name too long to "
                                          "read; the rest of the file was not read",
                                          key + 4)))
          << key << " " << chunk;
    }
  }
}

TEST(BadInputTest, PathsThatCannotBeRead) {
  TempDir dir;
  std::string good = dir.Write("good.json", Td(1));
  std::string missing = dir.path() + "/nope.json";
  SnapshotResult r = ReadPaths({missing, good});
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.problems[0].ToString(), missing + ": no such file or directory");
  EXPECT_TRUE(HasNode(r.graph, TdArn(1)));
  EXPECT_EQ(r.stats.files, 1u);
}

TEST(BadInputTest, EachFileIsReadOnItsOwn) {
  TempDir dir;
  dir.Write("a.json", "{\"taskDefinitions\": [" + Td(1) + ",");  // truncated
  dir.Write("b.json", Td(2));
  fs::create_directories(dir.path() + "/sub/.git");
  dir.Write("sub/c.jsonl", Td(3) + "\n");
  dir.Write("sub/.git/HEAD", "ref: refs/heads/main\n");
  SnapshotResult r = ReadPaths({dir.path()});
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].location().file, dir.path() + "/a.json");
  EXPECT_EQ(r.stats.files, 3u);
  // The truncated file's first item was complete, but its document was not: nothing from it.
  EXPECT_THAT(Out(r.graph, TdArn(2), "HAS_CONTAINER_DEFINITION"), ElementsAre(TdArn(2) + "#app"));
  EXPECT_TRUE(HasNode(r.graph, TdArn(3)));
}

// An empty describe-tasks output: the in-use state was captured and nothing runs.
constexpr std::string_view kNoTasks = R"({"tasks": [], "failures": []})";

std::vector<std::string> GapStrings(const SnapshotResult& r) {
  std::vector<std::string> out;
  for (const Gap& g : r.gaps) out.push_back(fmt::format("{} {}: {}", g.asset_type, g.id, g.reason));
  return out;
}

// Which of two values ECS's JSON decoder keeps is not documented: a revision whose container
// says "privileged" twice could run privileged, so it is a gap (NOT_EVALUATED), never PASS.
TEST(BadInputTest, DuplicateKeyMakesTheAssetAGapWithItsLocation) {
  struct Case {
    std::string body;    // the task definition's members after its ARN
    std::string second;  // where the duplicate starts
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"("containerDefinitions": [{"name": "app", "privileged": true, "privileged": false}])",
       R"("privileged": false)",
       R"(duplicate key "privileged" in taskDefinition.containerDefinitions[0])"},
      {R"("containerDefinitions": [{"name": "app", "privileged": false, "privil\u0065ged": true}])",
       R"("privil\u0065ged")",
       R"(duplicate key "privileged" in taskDefinition.containerDefinitions[0])"},
      {R"("networkMode": "host", "networkMode": "bridge", "containerDefinitions": [{"name": "a"}])",
       R"("networkMode": "bridge")", R"(duplicate key "networkMode" in taskDefinition)"},
      {R"("containerDefinitions": [{"name": "a", "user": "root", "user": "1000"}])",
       R"("user": "1000")", R"(duplicate key "user" in taskDefinition.containerDefinitions[0])"},
      {R"("containerDefinitions": [{"name": "a", "environment": [{"name": "K", "value": "s", "value": "t"}]}])",
       R"("value": "t")",
       R"(duplicate key "value" in taskDefinition.containerDefinitions[0].environment[0])"},
  };
  for (const Case& c : cases) {
    std::string doc =
        fmt::format(R"({{"taskDefinition": {{"taskDefinitionArn": "{}", {}}}}})", TdArn(1), c.body);
    SnapshotResult r = Load(doc + "\n" + std::string(kNoTasks));
    std::string problem = fmt::format("in.json:{}: {}", At(doc, doc.find(c.second)), c.message);
    EXPECT_THAT(ProblemStrings(r), ElementsAre(problem)) << c.body;
    EXPECT_FALSE(HasNode(r.graph, TdArn(1))) << c.body;
    EXPECT_THAT(GapStrings(r),
                ElementsAre(fmt::format("ECSTaskDefinition {}: not read: {}", TdArn(1), problem)));
    EXPECT_EQ(r.stats.task_definitions, 0u);
  }
}

TEST(BadInputTest, DuplicateKeyInATaskMakesTheTaskAGap) {
  std::string task =
      R"({"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/c/1", "lastStatus": "RUNNING", )"
      R"("lastStatus": "STOPPED", "taskDefinitionArn": ")" +
      TdArn(1) + R"("})";
  std::string doc = R"({"tasks": [)" + task + "]}";
  SnapshotResult r = Load(doc);
  std::string problem = fmt::format("in.json:{}: duplicate key \"lastStatus\" in tasks[0]",
                                    At(doc, doc.find(R"("lastStatus": "STOPPED")")));
  EXPECT_THAT(ProblemStrings(r), ElementsAre(problem));
  EXPECT_THAT(
      GapStrings(r),
      ElementsAre("ECSTask arn:aws:ecs:us-east-1:123456789012:task/c/1: not read: " + problem));
}

// Task definitions without any describe-tasks output: whether any is in use was not captured.
// That is a problem, and every task definition a gap (an empty describe-tasks output is not).
TEST(BadInputTest, NoTaskListMeansTheInUseStateIsUnknown) {
  SnapshotResult r = LoadSnapshotText(Td(1) + "\n" + Td(2), "in.json");
  EXPECT_THAT(ProblemStrings(r),
              ElementsAre("no describe-tasks output found: in-use state unknown (controls on "
                          "in-use revisions are NOT_EVALUATED for every task definition)"));
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kNotFound);
  const std::string reason = "in-use state unknown: the snapshot has no describe-tasks output";
  EXPECT_THAT(GapStrings(r), ElementsAre("ECSTaskDefinition " + TdArn(1) + ": " + reason,
                                         "ECSTaskDefinition " + TdArn(2) + ": " + reason));
  EXPECT_TRUE(HasNode(r.graph, TdArn(1)));

  SnapshotResult captured = LoadSnapshotText(Td(1) + "\n" + std::string(kNoTasks), "in.json");
  EXPECT_THAT(ProblemStrings(captured), IsEmpty());
  EXPECT_THAT(captured.gaps, IsEmpty());
  SnapshotResult nothing = LoadSnapshotText(kNoTasks, "in.json");
  EXPECT_THAT(ProblemStrings(nothing), IsEmpty());
}

TEST(BadInputTest, EmptyFolderIsAProblem) {
  TempDir dir;
  fs::create_directories(dir.path() + "/sub/.git");
  dir.Write("sub/.git/HEAD", "ref: refs/heads/main\n");
  SnapshotResult r = LoadSnapshot({dir.path()});
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.problems[0].ToString(),
            dir.path() + ": no files to read in this folder (hidden entries are skipped)");
  EXPECT_EQ(r.stats.files, 0u);
}

}  // namespace
}  // namespace ecsguard::ingest
