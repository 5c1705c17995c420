#include <gtest/gtest.h>

#include "ingest/iac/hcl/hcl.h"

namespace ecsguard::ingest::hcl {
namespace {

Position Pos(uint32_t line, uint32_t column, uint32_t offset) { return {line, column, offset}; }

File ParseOk(std::string text) {
  File file = Parse(std::move(text), "test.tf");
  for (const Error& e : file.errors) ADD_FAILURE() << e.ToString();
  return file;
}

const Expression& AttrExpr(const Body& body, size_t i = 0) { return *body.attributes.at(i).expr; }

std::string_view SourceOf(const File& f, const Expression& e) {
  return std::string_view(f.source).substr(e.range.start.offset,
                                           e.range.end.offset - e.range.start.offset);
}

TEST(HclParserTest, AttributeAndLiteralPositions) {
  File f = ParseOk("a = 1\nbb  = true\n");
  ASSERT_EQ(f.body.attributes.size(), 2u);
  const Attribute& a = f.body.attributes[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.name_range.start, Pos(1, 1, 0));
  EXPECT_EQ(a.name_range.end, Pos(1, 2, 1));
  EXPECT_EQ(a.expr->kind, ExprKind::kLiteral);
  EXPECT_EQ(a.expr->As<LiteralExpr>().value.text, "1");
  EXPECT_EQ(a.expr->range.start, Pos(1, 5, 4));
  EXPECT_EQ(a.range.end, Pos(1, 6, 5));
  const Attribute& b = f.body.attributes[1];
  EXPECT_EQ(b.name_range.start, Pos(2, 1, 6));
  EXPECT_EQ(b.expr->range.start, Pos(2, 7, 12));
  EXPECT_TRUE(b.expr->As<LiteralExpr>().value.bool_value);
}

TEST(HclParserTest, BlocksWithQuotedAndBareLabels) {
  File f = ParseOk(
      "resource \"aws_ecs_task_definition\" web {\n  family = \"x\"\n\n  volume {\n  }\n}\n");
  ASSERT_EQ(f.body.blocks.size(), 1u);
  const Block& b = f.body.blocks[0];
  EXPECT_EQ(b.type, "resource");
  ASSERT_EQ(b.labels.size(), 2u);
  EXPECT_EQ(b.labels[0].value, "aws_ecs_task_definition");
  EXPECT_TRUE(b.labels[0].quoted);
  EXPECT_EQ(b.labels[0].range.start, Pos(1, 10, 9));
  EXPECT_EQ(b.labels[1].value, "web");
  EXPECT_FALSE(b.labels[1].quoted);
  EXPECT_EQ(b.labels[1].range.start, Pos(1, 36, 35));
  EXPECT_EQ(b.open_brace_range.start, Pos(1, 40, 39));
  EXPECT_EQ(b.close_brace_range.start, Pos(6, 1, 72));
  EXPECT_EQ(b.range.start, Pos(1, 1, 0));
  EXPECT_EQ(b.range.end, Pos(6, 2, 73));
  ASSERT_EQ(b.body.attributes.size(), 1u);
  EXPECT_EQ(b.body.attributes[0].name_range.start, Pos(2, 3, 43));
  ASSERT_EQ(b.body.blocks.size(), 1u);
  EXPECT_EQ(b.body.blocks[0].type, "volume");
  EXPECT_EQ(b.body.blocks[0].range.start, Pos(4, 3, 59));
}

TEST(HclParserTest, OneLineBlockAndEmptyBlock) {
  File f = ParseOk("a { b = 1 }\nc \"d\" {}\n");
  ASSERT_EQ(f.body.blocks.size(), 2u);
  ASSERT_EQ(f.body.blocks[0].body.attributes.size(), 1u);
  EXPECT_EQ(f.body.blocks[0].body.attributes[0].name, "b");
  EXPECT_TRUE(f.body.blocks[1].body.attributes.empty());
  EXPECT_EQ(f.body.blocks[1].labels[0].value, "d");
}

TEST(HclParserTest, ColumnsCountCodePoints) {
  File f = ParseOk("x = \"é€😀\" # é\ny = 1\n");
  const Expression& x = AttrExpr(f.body);
  EXPECT_EQ(x.range.start, Pos(1, 5, 4));
  EXPECT_EQ(x.range.end, Pos(1, 10, 15));  // 3 characters, 9 bytes, plus quotes
  EXPECT_EQ(f.body.attributes[1].name_range.start.line, 2u);
}

TEST(HclParserTest, TemplateWithInterpolationAndEscapes) {
  File f = ParseOk("s = \"a\\n${var.x}b$${c}%%{d}\\u00e9\"\n");
  const auto& t = AttrExpr(f.body).As<TemplateExpr>();
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(t.parts[0]->As<LiteralExpr>().value.text, "a\n");
  EXPECT_EQ(t.parts[0]->range.start, Pos(1, 6, 5));
  const auto& ref = t.parts[1]->As<ScopeTraversalExpr>();
  EXPECT_EQ(ref.root, "var");
  ASSERT_EQ(ref.steps.size(), 1u);
  EXPECT_EQ(ref.steps[0].name, "x");
  EXPECT_EQ(ref.range.start, Pos(1, 11, 10));
  EXPECT_EQ(ref.range.end, Pos(1, 16, 15));
  EXPECT_EQ(t.parts[2]->As<LiteralExpr>().value.text, "b${c}%{d}\xC3\xA9");
}

TEST(HclParserTest, SingleInterpolationIsWrapped) {
  File f = ParseOk("s = \"${a}\"\nt = \"${a}${b}\"\n");
  EXPECT_EQ(AttrExpr(f.body, 0).kind, ExprKind::kTemplateWrap);
  EXPECT_EQ(AttrExpr(f.body, 1).kind, ExprKind::kTemplate);
}

TEST(HclParserTest, StripMarkers) {
  File f = ParseOk("s = \"a  ${~ x ~}  b\"\n");
  const auto& t = AttrExpr(f.body).As<TemplateExpr>();
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(t.parts[0]->As<LiteralExpr>().value.text, "a");
  EXPECT_EQ(t.parts[2]->As<LiteralExpr>().value.text, "b");
}

TEST(HclParserTest, IfAndForDirectives) {
  File f = ParseOk("s = \"%{ if a }yes%{ else }no%{ endif }%{ for k, v in m }${k}%{ endfor }\"\n");
  const auto& t = AttrExpr(f.body).As<TemplateExpr>();
  ASSERT_EQ(t.parts.size(), 2u);
  const auto& if_node = t.parts[0]->As<TemplateIfExpr>();
  EXPECT_EQ(if_node.condition->As<ScopeTraversalExpr>().root, "a");
  EXPECT_EQ(if_node.then_part->As<TemplateExpr>().parts[0]->As<LiteralExpr>().value.text, "yes");
  ASSERT_NE(if_node.else_part, nullptr);
  EXPECT_EQ(if_node.range.start, Pos(1, 6, 5));
  const auto& for_node = t.parts[1]->As<TemplateForExpr>();
  EXPECT_EQ(for_node.key_var, "k");
  EXPECT_EQ(for_node.value_var, "v");
  EXPECT_EQ(for_node.collection->As<ScopeTraversalExpr>().root, "m");
}

TEST(HclParserTest, HeredocAndIndentedHeredoc) {
  File f = ParseOk("a = <<EOT\n  x\n${y}\nEOT\nb = <<-EOT\n    one\n      two\n\n    EOT\n");
  const auto& a = AttrExpr(f.body, 0).As<TemplateExpr>();
  EXPECT_TRUE(a.heredoc);
  ASSERT_EQ(a.parts.size(), 3u);
  EXPECT_EQ(a.parts[0]->As<LiteralExpr>().value.text, "  x\n");
  EXPECT_EQ(a.range.start, Pos(1, 5, 4));
  EXPECT_EQ(a.range.end, Pos(4, 4, 22));
  const auto& b = AttrExpr(f.body, 1).As<TemplateExpr>();
  ASSERT_EQ(b.parts.size(), 1u);
  EXPECT_EQ(b.parts[0]->As<LiteralExpr>().value.text, "one\n  two\n\n");
  EXPECT_EQ(b.parts[0]->range.start, Pos(6, 5, 38));  // after the stripped indentation
}

TEST(HclParserTest, TuplesAndObjects) {
  File f = ParseOk("t = [1, \"x\",\n  null,]\no = { a = 1, \"b\": 2\n  (c) = 3 }\n");
  const auto& t = AttrExpr(f.body, 0).As<TupleExpr>();
  ASSERT_EQ(t.elements.size(), 3u);
  EXPECT_EQ(t.range.end, Pos(2, 9, 21));
  const auto& o = AttrExpr(f.body, 1).As<ObjectExpr>();
  ASSERT_EQ(o.items.size(), 3u);
  EXPECT_EQ(o.items[0].key->As<ScopeTraversalExpr>().root, "a");
  EXPECT_EQ(o.items[1].key->kind, ExprKind::kTemplate);
  EXPECT_TRUE(o.items[2].key_parenthesized);
  EXPECT_EQ(o.items[2].key->kind, ExprKind::kParentheses);
}

TEST(HclParserTest, FunctionCalls) {
  File f = ParseOk("x = f(a, [b]...)\ny = provider::aws::arn_parse(z)\nz = g(\n  1,\n)\n");
  const auto& x = AttrExpr(f.body, 0).As<FunctionCallExpr>();
  EXPECT_EQ(x.name, "f");
  EXPECT_TRUE(x.expand_final);
  EXPECT_EQ(x.args.size(), 2u);
  EXPECT_EQ(SourceOf(f, x), "f(a, [b]...)");
  EXPECT_EQ(AttrExpr(f.body, 1).As<FunctionCallExpr>().name, "provider::aws::arn_parse");
  EXPECT_EQ(AttrExpr(f.body, 2).As<FunctionCallExpr>().args.size(), 1u);
}

TEST(HclParserTest, TraversalsIndexesAndLegacyIndex) {
  File f = ParseOk("x = a.b[0][\"k\"].c.1\ny = a[var.i].d\n");
  const auto& x = AttrExpr(f.body, 0).As<ScopeTraversalExpr>();
  EXPECT_EQ(x.root, "a");
  ASSERT_EQ(x.steps.size(), 5u);
  EXPECT_EQ(x.steps[1].kind, TraversalStep::Kind::kIndex);
  EXPECT_EQ(x.steps[1].key.text, "0");
  EXPECT_EQ(x.steps[2].key.kind, LiteralKind::kString);
  EXPECT_EQ(x.steps[2].key.text, "k");
  EXPECT_EQ(x.steps[4].kind, TraversalStep::Kind::kIndex);  // legacy .1
  EXPECT_EQ(x.steps[4].key.text, "1");
  EXPECT_EQ(SourceOf(f, x), "a.b[0][\"k\"].c.1");
  const auto& y = AttrExpr(f.body, 1).As<RelativeTraversalExpr>();
  EXPECT_EQ(y.source->kind, ExprKind::kIndex);
  EXPECT_EQ(y.steps[0].name, "d");
}

TEST(HclParserTest, Splats) {
  File f = ParseOk("x = a[*].b.c\ny = a.*.b[0]\n");
  const auto& x = AttrExpr(f.body, 0).As<SplatExpr>();
  EXPECT_FALSE(x.attr_only);
  EXPECT_EQ(x.each->As<RelativeTraversalExpr>().steps.size(), 2u);
  EXPECT_EQ(x.each->As<RelativeTraversalExpr>().source->kind, ExprKind::kAnonSymbol);
  EXPECT_EQ(SourceOf(f, x), "a[*].b.c");
  // The attribute-only splat stops at the index, which applies to the splat's result.
  const auto& y = AttrExpr(f.body, 1).As<RelativeTraversalExpr>();
  ASSERT_EQ(y.source->kind, ExprKind::kSplat);
  EXPECT_TRUE(y.source->As<SplatExpr>().attr_only);
  EXPECT_EQ(y.steps[0].key.text, "0");
}

TEST(HclParserTest, OperatorPrecedence) {
  File f = ParseOk("x = a || b && c == d + e * -f\n");
  const auto& orx = AttrExpr(f.body).As<BinaryExpr>();
  EXPECT_EQ(orx.op, BinaryOp::kOr);
  const auto& andx = orx.rhs->As<BinaryExpr>();
  EXPECT_EQ(andx.op, BinaryOp::kAnd);
  const auto& eq = andx.rhs->As<BinaryExpr>();
  EXPECT_EQ(eq.op, BinaryOp::kEqual);
  const auto& add = eq.rhs->As<BinaryExpr>();
  EXPECT_EQ(add.op, BinaryOp::kAdd);
  const auto& mul = add.rhs->As<BinaryExpr>();
  EXPECT_EQ(mul.op, BinaryOp::kMultiply);
  EXPECT_EQ(mul.rhs->As<UnaryExpr>().op, UnaryOp::kNegate);
}

TEST(HclParserTest, LeftAssociativity) {
  File f = ParseOk("x = a - b - c\n");
  const auto& outer = AttrExpr(f.body).As<BinaryExpr>();
  EXPECT_EQ(outer.lhs->kind, ExprKind::kBinary);
  EXPECT_EQ(outer.rhs->As<ScopeTraversalExpr>().root, "c");
}

TEST(HclParserTest, ConditionalsNestToTheRight) {
  File f = ParseOk("x = a ? b : c ? d : e\n");
  const auto& c = AttrExpr(f.body).As<ConditionalExpr>();
  EXPECT_EQ(c.false_result->kind, ExprKind::kConditional);
  EXPECT_EQ(SourceOf(f, c), "a ? b : c ? d : e");
}

TEST(HclParserTest, ForExpressions) {
  File f = ParseOk("x = [for i, v in l : v if i > 0]\ny = {for k, v in m : v => k...}\n");
  const auto& x = AttrExpr(f.body, 0).As<ForExpr>();
  EXPECT_FALSE(x.object);
  EXPECT_EQ(x.key_var, "i");
  EXPECT_EQ(x.value_var, "v");
  EXPECT_NE(x.condition, nullptr);
  const auto& y = AttrExpr(f.body, 1).As<ForExpr>();
  EXPECT_TRUE(y.object);
  EXPECT_TRUE(y.group);
  EXPECT_NE(y.key, nullptr);
  EXPECT_EQ(y.range.end, Pos(2, 32, 64));
}

TEST(HclParserTest, ParenthesesKeepTheirRange) {
  File f = ParseOk("x = (\n  a +\n  b\n)\n");
  const Expression& e = AttrExpr(f.body);
  EXPECT_EQ(e.kind, ExprKind::kParentheses);
  EXPECT_EQ(e.range.start, Pos(1, 5, 4));
  EXPECT_EQ(e.range.end, Pos(4, 2, 17));
}

TEST(HclParserTest, CommentsEverywhere) {
  File f = ParseOk(
      "# c1\n// c2\n/* c3\n*/ a = [ # c4\n  1, /* c5 */ 2 // c6\n] # c7\nb { # c8\n} // c9");
  EXPECT_EQ(f.body.attributes[0].expr->As<TupleExpr>().elements.size(), 2u);
  EXPECT_EQ(f.body.blocks.size(), 1u);
}

TEST(HclParserTest, ByteOrderMarkIsSkipped) {
  File f = ParseOk(
      "\xEF\xBB\xBF"
      "a = 1\n");
  EXPECT_EQ(f.body.attributes[0].name_range.start.offset, 3u);
}

TEST(HclParserTest, StandaloneExpressionAndTemplate) {
  ParsedExpression e = ParseExpression("a +\n b", "expr");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.expr->kind, ExprKind::kBinary);
  ParsedExpression t = ParseTemplate("Hello ${name}!\n%{ if x }y%{ endif }", "t.tpl");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.expr->As<TemplateExpr>().parts.size(), 4u);
}

}  // namespace
}  // namespace ecsguard::ingest::hcl
