// The hcl2json view without the oracle: the rules the differential test checks, pinned here so
// they hold where node is not installed.

#include <gtest/gtest.h>

#include "ingest/iac/hcl/hcl.h"

namespace ecsguard::ingest::hcl {
namespace {

std::string View(const std::string& text) {
  Result<std::string> v = ToHcl2JsonView(Parse(text, "v.tf"));
  return v.ok() ? *v : "error: " + v.error().message();
}

TEST(HclJsonViewTest, BlocksNestByTypeThenLabels) {
  EXPECT_EQ(View("resource \"a\" \"b\" { x = 1 }\nresource \"a\" \"b\" {}\nresource \"a\" c {}\n"
                 "locals { y = 2 }\n"),
            R"({"locals":[{"y":2}],"resource":{"a":{"b":[{"x":1},{}],"c":[{}]}}})");
}

TEST(HclJsonViewTest, ExpressionsBecomeTheirSource) {
  EXPECT_EQ(
      View("a = var.x\nb = f(\n  1, # c\n)\nc = -x\nd = -1.50\ne = !true\nf = (1)\n"),
      R"({"a":"${var.x}","b":"${f(\n  1, # c\n)}","c":"${-x}","d":-1.5,"e":false,"f":"${(1)}"})");
}

TEST(HclJsonViewTest, TemplatesKeepInterpolationsAndReescapeLiterals) {
  EXPECT_EQ(
      View("a = \"x${ y }$${z}\"\nb = \"${c ? d : \"\"}!\"\nc = \"${1}\"\n"
           "d = \"%{ for k, v in m ~} ${k} %{ endfor }\"\n"),
      R"({"a":"x${y}$${z}","b":"%{if c}${d}%{endif}!","c":1,"d":"%{for k, v in m}${k} %{endfor}"})");
}

TEST(HclJsonViewTest, HeredocsAreStripped) {
  EXPECT_EQ(View("a = <<-EOT\n    x\n      y\n    EOT\n"), R"({"a":"x\n  y\n"})");
}

TEST(HclJsonViewTest, ObjectKeys) {
  EXPECT_EQ(View("o = { a.b = 1, \"c\" = 2, (d) = 3, 4 = 4, null = 5 }\n"),
            R"({"o":{"${(d)}":3,"4":4,"a.b":1,"c":2,"null":5}})");
}

TEST(HclJsonViewTest, ConverterRefusals) {
  EXPECT_EQ(View("a \"b\" {}\na {}\n"),
            "error: hcl2json: invalid HCL detected for \"a\" block, cannot have blocks with and "
            "without labels");
  EXPECT_EQ(View("a {}\na \"b\" {}\n"), "error: hcl2json: Unable to convert Block to JSON: a.b");
  EXPECT_EQ(View("a = -true\n").substr(0, 6), "error:");
  EXPECT_EQ(View("a = [1,\n").substr(0, 6), "error:");
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
