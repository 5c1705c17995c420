#include <gtest/gtest.h>

#include <string>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

// Cells of a table row as GitHub splits them: on pipes not preceded by a backslash.
size_t UnescapedPipes(std::string_view line) {
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) n += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
  return n;
}

std::string LineWith(const std::string& text, std::string_view needle) {
  size_t pos = text.find(needle);
  if (pos == std::string::npos) return "";
  size_t start = text.rfind('\n', pos) + 1;
  return text.substr(start, text.find('\n', pos) - start);
}

TEST(MarkdownReportTest, Summary) {
  std::string md = RenderMarkdown(testing::LiveScan(), {});
  EXPECT_EQ(md.rfind("## ecsguard: 3 failing assets, scan incomplete\n", 0), 0u);
  EXPECT_NE(md.find("Snapshot scan of `examples/estate` at 2026-11-28T10:00:05Z, 1 control."),
            std::string::npos);
  EXPECT_NE(md.find("> [!WARNING]\n> Scan incomplete: 1 asset not evaluated."), std::string::npos);
  EXPECT_NE(md.find("| 3 | 1 | 1 | 1 | 1 | 1 | 0 | 1 |\n"), std::string::npos);
  // Most urgent first: P1 web:3, P2 api:12, P4 batch:7.
  size_t p1 = md.find(
      "| P1 | high | `aws-ecs-1-privileged-network-mode` | `web:3` | "
      "`111111111111 eu-west-1` | container app: privileged=true, "
      "user=\"root\" |");
  size_t p2 = md.find("| P2 | high |");
  size_t p4 = md.find("| P4 | high |");
  ASSERT_NE(p1, std::string::npos);
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p4);
  EXPECT_NE(md.find("### Not evaluated\n\n- `cron:9` (`aws-ecs-1-privileged-network-mode`): in use "
                    "by running task 77 but not described in the snapshot\n"),
            std::string::npos);
  EXPECT_NE(md.find("### Exceptions expiring within 30 days"), std::string::npos);
  EXPECT_NE(md.find("| `EX-7` | `platform-team` | 2026-12-10 | 1 | monitoring agent needs host "
                    "access |"),
            std::string::npos);
}

TEST(MarkdownReportTest, EscapesMarkupInCells) {
  posture::ScanResult scan = testing::LiveScan();
  scan.findings[0].reason = "a | b *c* [x](http://e) <b>@team</b>\nnext";
  scan.findings[0].resource.name = "we|b`1";
  std::string md = RenderMarkdown(scan, {});
  std::string row = LineWith(md, "| P1 | high |");
  EXPECT_EQ(UnescapedPipes(row), 7u) << row;  // six cells
  EXPECT_NE(row.find("``we\\|b`1``"), std::string::npos) << row;
  EXPECT_NE(row.find("a \\| b \\*c\\* \\[x\\]\\(http://e\\) \\<b\\>\\@team\\</b\\> next"),
            std::string::npos)
      << row;
}

TEST(MarkdownReportTest, LongListsAreCapped) {
  std::string md = RenderMarkdown(testing::ManyFindings(30), {});
  EXPECT_NE(md.find("...and 10 more (see the full report)."), std::string::npos);
  size_t rows = 0;
  for (size_t pos = md.find("\n| P4 | high |"); pos != std::string::npos;
       pos = md.find("\n| P4 | high |", pos + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 20u);
}

TEST(MarkdownReportTest, CleanScan) {
  posture::ScanResult scan = testing::ManyFindings(0);
  std::string md = RenderMarkdown(scan, {});
  EXPECT_EQ(md.rfind("## ecsguard: no failing assets\n", 0), 0u);
  EXPECT_EQ(md.find("[!WARNING]"), std::string::npos);
  EXPECT_EQ(md.find("### Top failures"), std::string::npos);
}

}  // namespace
}  // namespace ecsguard::report
