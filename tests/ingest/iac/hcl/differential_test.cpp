// Differential test against HashiCorp's own parser: tests/iac-oracle/oracle.js runs
// @cdktf/hcl2json (hcl2json compiled to WebAssembly) and our ToHcl2JsonView must produce the
// same JSON, compared structurally, for every file of the corpus and for a list of small edge
// cases (where both sides must also agree on which inputs are rejected). Skipped when node or
// the oracle package is not installed (npm ci --prefix tests/iac-oracle).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ingest/iac/hcl/hcl.h"
#include "support.h"

namespace ecsguard::ingest::hcl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// The oracle's JSON for each file ({path: view | {"error": message}}), or nothing with the
// reason it cannot run here.
std::optional<json> RunOracle(const std::vector<std::string>& files, std::string* why) {
  std::string dir = ecsguard::testing::SourcePath("tests/iac-oracle");
  if (!fs::exists(dir + "/node_modules/@cdktf/hcl2json/package.json")) {
    *why = "the hcl2json oracle is not installed; run: npm ci --prefix tests/iac-oracle";
    return std::nullopt;
  }
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    *why = "node is not installed (needed to run the hcl2json oracle)";
    return std::nullopt;
  }
  std::string cmd = "node " + ShellQuote(dir + "/oracle.js");
  for (const std::string& f : files) cmd += " " + ShellQuote(f);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    *why = "cannot start node";
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  if (pclose(pipe) != 0) {
    *why = "the oracle failed: " + out.substr(0, 500);
    return std::nullopt;
  }
  return json::parse(out);
}

struct Ours {
  std::optional<json> view;
  std::string error;
};

Ours ViewOf(const std::string& path) {
  File file = Parse(ecsguard::testing::ReadFileOrDie(path), path);
  Result<std::string> view = ToHcl2JsonView(file);
  if (!view.ok()) return {std::nullopt, view.error().ToString()};
  return {json::parse(*view), ""};
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::directory_iterator(ecsguard::testing::SourcePath("tests/ingest/iac/hcl_corpus"))) {
    if (entry.path().extension() == ".tf") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(HclDifferentialTest, CorpusMatchesHcl2json) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_GE(files.size(), 40u);
  std::string why;
  std::optional<json> oracle = RunOracle(files, &why);
  if (!oracle) GTEST_SKIP() << why;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const json& expected = (*oracle)[path];
    ASSERT_FALSE(expected.contains("error") && expected.size() == 1)
        << "hcl2json rejects a corpus file: " << expected["error"];
    Ours ours = ViewOf(path);
    ASSERT_TRUE(ours.view.has_value()) << ours.error;
    EXPECT_EQ(*ours.view, expected) << "difference (RFC 6902, from hcl2json to ours): "
                                    << json::diff(expected, *ours.view).dump();
  }
}

// Edge cases of the syntax and of the converter; invalid ones must be rejected by both.
const char* const kSnippets[] = {
    "a = 1\n",
    "a = 1",
    "",
    "\n\n# only a comment\n",
    "a = -0\nb = - 2\nc = !false\nd = -(2)\ne = !!true\n",
    "a = 1.50\nb = 1e3\nc = 00012\nd = 0.000\ne = 1E+2\nf = 1.5e-7\ng = 12345678901234567890\n",
    "a = \"$${x}\"\nb = \"%%{y}\"\nc = \"\\u0024{a}\"\nd = \"$$${a}\"\ne = \"$\"\nf = \"a$b%c\"\n",
    "a = \"${1}\"\nb = \"${true}x${1.50}\"\nc = \"${null}x\"\nd = \"${\"${true}\"}\"\n",
    "a = \"${a ? b : c}x\"\nb = \"x${a ? \"\" : \"b\"}\"\nc = \"${a ? \"\" : \"b\"}\"\n",
    "a = \"%{ if a ~} yes %{~ endif }\"\nb = \"%{for k, v in m}${k}=${v},%{endfor}\"\n",
    "a = \"%{if a}x%{else}%{endif}\"\nb = \"%{if a}%{endif}\"\n",
    "a = \"  ${~ a ~}  b \"\nb = \"${ a }\"\n",
    "a = <<EOT\n  keep\n  EOT\nb = <<-EOT\n    x\n      y\n\n    ${z}\n    EOT\n",
    "a = <<-EOT\n  %{ for x in y ~}\n    item ${x}\n  %{ endfor ~}\n  EOT\n",
    "a = <<EOT\nEOT\nb = <<-X\n\tt\n\t  u\nX\n",
    "a = <<EOT\r\nx\r\nEOT\r\nb = \"q\"\r\n",
    "o = { \"$${x}\" = 1, \"a${b}\" = 2, (c) = 3, d.e = 4, 5 = 6, true = 7, null = 8, \"p\" : 9 "
    "}\n",
    "o = { 1.50 = 1, f(x) = 2, \"${k}\" = 3 }\n",
    "o = {\n  a = 1\n  b = 2,\n  c = [\n    1,\n  ]\n}\n",
    "x = a.b[0].c[\"d\"][e].f.0.g\ny = a[*].b\nz = a.*.b.c\nw = a.*.b[0]\nv = f(x)[0].y\n",
    "x = [for i, v in var.l : upper(v) if v != \"\"]\ny = {for k, v in m : k => v...}\n",
    "x = f(\n  a, # c\n  b, /* d */\n)\ny = f(a...)\nz = provider::aws::arn_parse(a)\n",
    "x = a ? b : c ? d : e\ny = a || b && !c == d != e < f + g * h % i / j - k\n",
    "x = (a)\ny = [(a)]\nz = { k = (b) }\nw = \"${(c)}x\"\n",
    "locals { a = 1 }\nlocals {\n  b = 2\n}\nresource \"a\" \"b\" { x = 1 }\nresource \"a\" \"b\" "
    "{}\n",
    "resource \"a\" c {\n  x = 3\n}\nx { y = 1 }\nx = 5\n",
    "a \"b\" {}\na {}\n",
    "a {}\na \"b\" {}\n",
    "a \"b\" \"c\" {}\na \"b\" {}\n",
    "a \"$${x}\" {}\nb \"%%{\" \"\\n\" {}\n",
    "résumé = \"naïve ☃ 日本\"\n_x = 1\na-b = 2\n",
    "a = \"\\t\\\"\\\\\\n\\r\\u00e9\\U0001F600\"\n",
    "a = \"<>&\"\nb = \"\\u2028\"\n",
    "a = [1, -2, \"x\", null, true]\nb = []\nc = {}\n",
    "a = -true\n",
    "a = !1\n",
    "a = 1\na = 2\n",
    "a = \"unterminated\n",
    "a = <<EOT\nno end\n",
    "a = [1, 2\n",
    "a = {b = 1 c = 2}\n",
    "block {\n",
    "a = \"${\"\n",
    "a = b.0.1\n",
    "a = \"\\q\"\n",
    "a = 1.2.3\n",
    "a = 'single'\n",
    "a = 1;\n",
    "a = b & c\n",
    "\"quoted\" = 1\n",
    "a = [for x in y: x => x]\n",
    "a = {for x in y: x}\n",
    "a = \"%{ if a }x\"\n",
    "a = \"%{ endif }\"\n",
    "a = \"%{ bogus }\"\n",
    "a { b = 1, c = 2 }\n",
    "a = x\nb\n",
    "a = \"\\uD800\"\n",
    "a = <<EOT\nx\n  EOT  \nb = 1\n",
    "a = <<EOT\n${x} EOT\nEOT\n",
    "a = <<-EOT\n  \n    x\n   \n  y\n  EOT\n",
    "a = <<-EOT\n  ${x}\n    y\n  EOT\n",
    "a = f(<<EOT\nx\nEOT\n, 2)\n",
    "a = <<EOT",
    "a = \"${f(\n  a)}\"\n",
    "a = \"${a # c\n}\"\n",
    "a = b\n  .c\n",
    "a = (a)[*].b\nb = a.*.b.0\nc = a[*][0]\n",
    "a = 1.\n",
    "a = 1.e5\n",
    "x = a-b\ny = a - b\nz = a-1\n",
    "for = 1\nin = 2\nif = 3\n",
    "b \"a\\\"b\" \"\\u00e9\" {}\n",
    "\xEF\xBB\xBF"
    "a = 1\n",
    "a = \"${}\"\n",
    "a = \"${a}}\"\n",
    "a = {\n  for k, v in m:\n  k => v\n}\n",
    "a = \"\\\\${a}\"\n",
    "x = <<EOT\n$${a} %%{b} $$ %% ${c}$\nEOT\n",
    "x = \"${\"${\"${a}\"}\"}\"\n",
    "a = 1 /* multi\nline */\n",
    // Not here: invalid UTF-8. The oracle hands HCL a JavaScript string, so bad bytes arrive as
    // U+FFFD and are accepted; HCL itself rejects them (see errors_test.cpp).
};

TEST(HclDifferentialTest, SnippetsAgreeWithHcl2json) {
  fs::path dir = fs::path(ecsguard::testing::BinaryPath("hcl_snippets"));
  fs::create_directories(dir);
  std::vector<std::string> files;
  for (size_t i = 0; i < std::size(kSnippets); ++i) {
    std::string path = (dir / ("snippet_" + std::to_string(i) + ".tf")).string();
    std::ofstream(path, std::ios::binary) << kSnippets[i];
    files.push_back(path);
  }
  std::string why;
  std::optional<json> oracle = RunOracle(files, &why);
  if (!oracle) GTEST_SKIP() << why;
  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(std::string("snippet: ") + kSnippets[i]);
    const json& expected = (*oracle)[files[i]];
    Ours ours = ViewOf(files[i]);
    bool oracle_rejects =
        expected.is_object() && expected.size() == 1 && expected.contains("error");
    if (oracle_rejects) {
      EXPECT_FALSE(ours.view.has_value())
          << "hcl2json rejects it: " << expected["error"] << "\nours: " << ours.view->dump();
      continue;
    }
    ASSERT_TRUE(ours.view.has_value()) << ours.error;
    EXPECT_EQ(*ours.view, expected) << json::diff(expected, *ours.view).dump();
  }
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
