#include <expat.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "report/report.h"
#include "sample.h"

namespace ecsguard::report {
namespace {

// The elements of an XML document as an XML 1.0 parser sees them.
struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
};

struct Parsed {
  bool ok = false;
  std::string error;
  std::vector<Element> elements;
};

Parsed ParseXml(const std::string& xml) {
  Parsed parsed;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  struct State {
    Parsed* parsed;
    std::vector<size_t> open;
  } state{&parsed, {}};
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* s = static_cast<State*>(data);
        Element e{name, {}, ""};
        for (size_t i = 0; attrs[i] != nullptr; i += 2) e.attributes[attrs[i]] = attrs[i + 1];
        s->open.push_back(s->parsed->elements.size());
        s->parsed->elements.push_back(std::move(e));
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->open.pop_back(); });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int len) {
    auto* s = static_cast<State*>(data);
    if (!s->open.empty()) s->parsed->elements[s->open.back()].text.append(text, len);
  });
  parsed.ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!parsed.ok) {
    parsed.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                   std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  return parsed;
}

std::vector<const Element*> All(const Parsed& p, std::string_view name) {
  std::vector<const Element*> out;
  for (const Element& e : p.elements) {
    if (e.name == name) out.push_back(&e);
  }
  return out;
}

TEST(JunitReportTest, CountsAndOutcomes) {
  Parsed xml = ParseXml(RenderJunit(testing::LiveScan()));
  ASSERT_TRUE(xml.ok) << xml.error;
  const Element& root = xml.elements[0];
  EXPECT_EQ(root.name, "testsuites");
  EXPECT_EQ(root.attributes.at("tests"), "6");
  EXPECT_EQ(root.attributes.at("failures"), "3");
  EXPECT_EQ(root.attributes.at("errors"), "1");
  EXPECT_EQ(root.attributes.at("skipped"), "1");
  auto suites = All(xml, "testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0]->attributes.at("name"), testing::kControlId);
  EXPECT_EQ(suites[0]->attributes.at("tests"), "6");
  EXPECT_EQ(suites[0]->attributes.at("failures"), "3");
  EXPECT_EQ(suites[0]->attributes.at("timestamp"), "2026-11-28T10:00:05Z");

  auto cases = All(xml, "testcase");
  ASSERT_EQ(cases.size(), 6u);
  EXPECT_EQ(cases[0]->attributes.at("classname"), testing::kControlId);
  EXPECT_EQ(cases[0]->attributes.at("name"), "web:3 (111111111111 eu-west-1)");
  auto failures = All(xml, "failure");
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0]->attributes.at("message"), "container app: privileged=true, user=\"root\"");
  EXPECT_EQ(failures[0]->attributes.at("type"), "high");
  EXPECT_NE(failures[0]->text.find("container app: privileged=true, user=\"root\""),
            std::string::npos);
  EXPECT_NE(failures[0]->text.find("Priority: P1 (exposure internet, environment production)"),
            std::string::npos);
  auto skipped = All(xml, "skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]->attributes.at("message"),
            "excepted by EX-7 (owner platform-team, expires 2026-12-10, ticket SEC-42): "
            "monitoring agent needs host access");
  auto errors = All(xml, "error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->attributes.at("type"), "NOT_EVALUATED");
  EXPECT_EQ(errors[0]->attributes.at("message"),
            "not evaluated: in use by running task 77 but not described in the snapshot");
}

TEST(JunitReportTest, InputProblemsAreErrors) {
  Parsed xml = ParseXml(RenderJunit(testing::IacScan()));
  ASSERT_TRUE(xml.ok) << xml.error;
  EXPECT_EQ(xml.elements[0].attributes.at("tests"), "4");
  EXPECT_EQ(xml.elements[0].attributes.at("errors"), "1");
  auto suites = All(xml, "testsuite");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[1]->attributes.at("name"), "ecsguard.inputs");
  EXPECT_EQ(suites[1]->attributes.at("errors"), "1");
  auto cases = All(xml, "testcase");
  EXPECT_EQ(cases[0]->attributes.at("file"), "infra/web.yaml");
  EXPECT_EQ(cases[0]->attributes.at("line"), "20");
  EXPECT_EQ(cases[3]->attributes.at("name"), "infra/broken.yaml");
  auto errors = All(xml, "error");
  EXPECT_EQ(errors[0]->attributes.at("message"),
            "infra/broken.yaml:7:9: expected ':' after a mapping key");
  EXPECT_EQ(errors[0]->attributes.at("type"), "parse_error");
}

TEST(JunitReportTest, HostileTextStaysWellFormed) {
  posture::ScanResult scan = testing::LiveScan();
  posture::Finding& f = scan.findings[0];
  f.resource.name = "we\"b<&>'\x01\x1b]]>\xFF";
  f.reason = "multi\nline\treason </failure><x/> \x0b";
  f.control_title = "<![CDATA[";
  std::string text = RenderJunit(scan);
  Parsed xml = ParseXml(text);
  ASSERT_TRUE(xml.ok) << xml.error;
  auto cases = All(xml, "testcase");
  EXPECT_EQ(cases[0]->attributes.at("name"),
            "we\"b<&>'\xEF\xBF\xBD\xEF\xBF\xBD]]>\xEF\xBF\xBD (111111111111 eu-west-1)");
  auto failures = All(xml, "failure");
  EXPECT_EQ(failures[0]->attributes.at("message"), "multi line reason </failure><x/>  ");
  EXPECT_NE(failures[0]->text.find("Why: multi\nline\treason </failure><x/> \xEF\xBF\xBD"),
            std::string::npos);
  EXPECT_EQ(All(xml, "x").size(), 0u);
}

}  // namespace
}  // namespace ecsguard::report
