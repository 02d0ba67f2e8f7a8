// Templates: `{{ }}` holes in prompts and tool arguments.
#include "router/workflows/template.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/router/workflows/json_resolver.h"

namespace switchyard::workflows {
namespace {

using testing::JsonResolver;

const JsonResolver& Doc() {
  static const JsonResolver* r = new JsonResolver(nlohmann::json::parse(R"({
    "inputs": {"spec": "fizzbuzz", "k": 5, "flag": true, "none": null},
    "steps": {"run": {"result": {"exit_code": 1, "lines": [1, 2]}}}
  })"));
  return *r;
}

std::string Render(const std::string& text) {
  auto t = Template::Parse(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  if (!t.ok()) return "<parse error>";
  auto s = t->Render(Doc());
  EXPECT_TRUE(s.ok()) << text << ": " << s.status();
  return s.ok() ? *s : "<render error>";
}

std::string ParseError(const std::string& text) {
  auto t = Template::Parse(text);
  return t.ok() ? "parsed" : std::string(t.status().message());
}

TEST(TemplateTest, RendersHoles) {
  EXPECT_EQ(Render("Write {{ inputs.spec }} now."), "Write fizzbuzz now.");
  EXPECT_EQ(Render("{{inputs.spec}}{{inputs.spec}}"), "fizzbuzzfizzbuzz");
  EXPECT_EQ(Render("k={{ inputs.k }} flag={{ inputs.flag }} none=[{{ inputs.none }}]"), "k=5 flag=true none=[]");
  EXPECT_EQ(Render("{{ steps.run.result }}"), R"({"exit_code":1,"lines":[1,2]})");
  EXPECT_EQ(Render("exit {{ steps.run.result.exit_code == 0 }}"), "exit false");
  EXPECT_EQ(Render("no holes } here }}"), "no holes } here }}");
  EXPECT_EQ(Render(""), "");
}

TEST(TemplateTest, LiteralBracesThroughStrings) {
  EXPECT_EQ(Render("{{ '{{' }} x {{ '}}' }}"), "{{ x }}");
  EXPECT_EQ(Render("{{ \"a}}b\" }}"), "a}}b");
}

TEST(TemplateTest, ASingleHoleKeepsItsType) {
  auto t = Template::Parse("{{ inputs.k }}");
  ASSERT_TRUE(t.ok());
  auto v = t->Evaluate(Doc());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 5);
  auto lines = Template::Parse("{{ steps.run.result.lines }}")->Evaluate(Doc());
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(*lines, nlohmann::json::parse("[1, 2]"));
  // Anything around the hole makes it text.
  auto text = Template::Parse(" {{ inputs.k }}")->Evaluate(Doc());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, " 5");
}

TEST(TemplateTest, ParseErrorsCountColumnsInTheWholeTemplate) {
  EXPECT_EQ(ParseError("abc {{ inputs.spec"), "at column 5: \"{{\" is never closed by \"}}\"");
  EXPECT_EQ(ParseError("abc {{   }}"), "at column 5: empty \"{{ }}\"");
  EXPECT_EQ(ParseError("abc {{ a == }}"), "at column 13: expected a value, found the end");
  EXPECT_EQ(ParseError("{{ 'x }}"), "at column 1: \"{{\" is never closed by \"}}\"");
}

TEST(TemplateTest, RenderErrorsNameTheHole) {
  auto t = Template::Parse("x {{  steps.run.result.nope  }} y");
  ASSERT_TRUE(t.ok());
  auto s = t->Render(Doc());
  EXPECT_EQ(s.status().message(), "{{ steps.run.result.nope }}: steps.run.result.nope: not found");
}

TEST(TemplateTest, HolesAreListed) {
  auto t = Template::Parse("{{ a }} and {{ b or c }}");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->holes().size(), 2u);
  EXPECT_EQ(t->holes()[1]->paths().size(), 2u);
  EXPECT_TRUE(t->has_holes());
  EXPECT_FALSE(Template::Parse("plain")->has_holes());
}

}  // namespace
}  // namespace switchyard::workflows
