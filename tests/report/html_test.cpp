#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"
#include "report/internal/text.h"
#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

std::string Html(const posture::ScanResult& scan) {
  static const controls::Control control = testing::SampleControl();
  return RenderHtml(scan, RenderOptions{.controls = {&control}});
}

TEST(HtmlReportTest, HostileValuesAreEscaped) {
  posture::ScanResult scan = testing::LiveScan();
  posture::Finding& f = scan.findings[0];
  f.control_title = "</script><script>alert(1)</script>";
  f.resource.arn = "arn:aws:ecs:eu-west-1:1:task-definition/<img src=x onerror=alert(2)>";
  f.resource.name = "web\" onmouseover=\"alert(3)";
  f.reason = "<!-- --><style>body{display:none}</style>";
  scan.findings[3].exception->owner = "\"><svg onload=alert(4)>";
  scan.info.inputs = {"</title><script>alert(5)</script>"};
  scan.coverage[3].detail = "\" onclick=\"alert(6)";
  controls::Control control = testing::SampleControl();
  control.title = "</script><script>alert(7)</script>";
  control.remediation.cli = "</pre></template><script>alert(8)</script>";
  std::string html = RenderHtml(scan, RenderOptions{.controls = {&control}});

  EXPECT_EQ(Count(html, "<script"), 1u);  // ours only
  EXPECT_EQ(Count(html, "</script>"), 1u);
  EXPECT_EQ(Count(html, "<style"), 1u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_EQ(html.find("\" onmouseover=\""), std::string::npos);
  EXPECT_EQ(html.find("\" onclick=\""), std::string::npos);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(7)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("task-definition/&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("web&quot; onmouseover=&quot;alert(3)"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;svg onload=alert(4)&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;/template&gt;&lt;script&gt;alert(8)"), std::string::npos);
}

TEST(HtmlReportTest, SelfContainedWithStrictPolicy) {
  std::string html = Html(testing::LiveScan());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing is loaded from anywhere: no external resources, no event-handler attributes.
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find(" onclick="), std::string::npos);

  size_t open = html.find("<script>");
  size_t close = html.find("</script>");
  ASSERT_NE(open, std::string::npos);
  std::string script = html.substr(open + 8, close - open - 8);
  std::string hash = internal::HexToBase64(Sha256Hex(script));
  std::string csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + hash +
                    "'; img-src data:; base-uri 'none'; form-action 'none'";
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"" +
                      internal::HtmlEscape(csp) + "\">"),
            std::string::npos);
}

TEST(HtmlReportTest, ShowsScopeCoverageCountsFiltersAndExceptions) {
  std::string html = Html(testing::LiveScan());
  EXPECT_NE(html.find("<dt>Inputs</dt><dd>examples/estate</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>Finished</dt><dd>2026-11-28T10:00:05Z</dd>"), std::string::npos);
  EXPECT_NE(html.find("Scan incomplete: 1 record not evaluated."), std::string::npos);
  EXPECT_NE(html.find("<div class=\"card fail\"><div class=\"n\">3</div>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"card p1\"><div class=\"n\">1</div>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"cov cov-denied\" title=\"AccessDeniedException on "
                      "ecs:ListClusters\">denied</td>"),
            std::string::npos);
  EXPECT_EQ(Count(html, "<td class=\"cov cov-evaluated\""), 3u);
  for (std::string_view id : {"f-status", "f-priority", "f-account", "f-region", "f-control"}) {
    EXPECT_NE(html.find(std::string("id=\"") + std::string(id) + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("<option value=\"222222222222\">222222222222</option>"), std::string::npos);
  EXPECT_EQ(Count(html, "<tbody class=\"finding\""), 6u);
  EXPECT_NE(html.find("data-status=\"FAIL\" data-priority=\"P1\""), std::string::npos);
  EXPECT_EQ(Count(html, "<th data-key="), 7u);  // sortable headers
  // Exceptions panel, and the fix from the catalog in a template cloned into the details.
  EXPECT_NE(html.find("<section id=\"exceptions\">"), std::string::npos);
  EXPECT_NE(html.find("<td>platform-team</td><td>2026-12-10 <span class=\"badge "
                      "s-NOT_EVALUATED\">in 12 days</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<template id=\"fix-0\">"), std::string::npos);
  EXPECT_NE(html.find("aws ecs register-task-definition --cli-input-json file://td.json"),
            std::string::npos);
  EXPECT_NE(html.find("<div class=\"fix\" data-control=\"0\"></div>"), std::string::npos);
  EXPECT_NE(html.find("<li>container app: privileged=true, user=&quot;root&quot;</li>"),
            std::string::npos);
}

}  // namespace
}  // namespace ecsguard::report
