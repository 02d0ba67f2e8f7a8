// The expression language of `if:`, `until:` and `{{ }}`: parsing, values, errors.
#include "router/workflows/condition.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/router/workflows/json_resolver.h"

namespace switchyard::workflows {
namespace {

using testing::JsonResolver;

const JsonResolver& Doc() {
  static const JsonResolver* r = new JsonResolver(nlohmann::json::parse(R"({
    "inputs": {"rounds": 3, "name": "Ada", "count": "5", "empty": "", "none": null},
    "steps": {"test": {"ok": true, "output": "3 passed, 1 TODO", "result": {"exit_code": 0, "lines": ["a", "b"],
                                                                               "key with space": 7}},
              "fix": {"ok": false, "output": "", "result": null}}
  })"));
  return *r;
}

nlohmann::json Eval(const std::string& text) {
  auto e = Expression::Parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status();
  if (!e.ok()) return "<parse error>";
  auto v = e->Evaluate(Doc());
  EXPECT_TRUE(v.ok()) << text << ": " << v.status();
  return v.ok() ? *v : nlohmann::json("<eval error>");
}

std::string ParseError(const std::string& text) {
  auto e = Expression::Parse(text);
  return e.ok() ? "parsed" : std::string(e.status().message());
}

std::string EvalError(const std::string& text) {
  auto e = Expression::Parse(text);
  if (!e.ok()) return "parse error";
  auto v = e->Evaluate(Doc());
  return v.ok() ? "evaluated" : std::string(v.status().message());
}

TEST(ConditionTest, Comparisons) {
  EXPECT_EQ(Eval("steps.test.result.exit_code == 0"), true);
  EXPECT_EQ(Eval("steps.test.result.exit_code != 0"), false);
  EXPECT_EQ(Eval("inputs.rounds > 2"), true);
  EXPECT_EQ(Eval("inputs.rounds >= 3"), true);
  EXPECT_EQ(Eval("inputs.rounds < 3"), false);
  EXPECT_EQ(Eval("inputs.rounds <= 2.5"), false);
  EXPECT_EQ(Eval("inputs.name == 'Ada'"), true);
  EXPECT_EQ(Eval("inputs.name < \"Bob\""), true);
  EXPECT_EQ(Eval("inputs.none == null"), true);
  EXPECT_EQ(Eval("steps.test.ok == true"), true);
}

TEST(ConditionTest, NumbersWrittenAsTextCompareAsNumbers) {
  EXPECT_EQ(Eval("inputs.count == 5"), true);
  EXPECT_EQ(Eval("inputs.count > 4.5"), true);
  EXPECT_EQ(Eval("inputs.name == 5"), false);  // not a number: simply unequal
  EXPECT_EQ(Eval("'5' == '5.0'"), false);      // two strings compare as text
}

TEST(ConditionTest, LogicFollowsPython) {
  EXPECT_EQ(Eval("steps.test.ok and steps.fix.ok"), false);
  EXPECT_EQ(Eval("steps.test.ok or steps.fix.ok"), true);
  EXPECT_EQ(Eval("not steps.fix.ok"), true);
  EXPECT_EQ(Eval("!steps.fix.ok && steps.test.ok || false"), true);
  EXPECT_EQ(Eval("not (steps.test.ok and steps.fix.ok)"), true);
  // and/or give the operand that decided: a fallback value, not just a boolean.
  EXPECT_EQ(Eval("steps.fix.output or inputs.name"), "Ada");
  EXPECT_EQ(Eval("inputs.empty or inputs.none or 'default'"), "default");
  EXPECT_EQ(Eval("inputs.name and inputs.rounds"), 3);
  // Short-circuit: the right side is not evaluated, so its missing path is no error.
  EXPECT_EQ(Eval("steps.fix.ok and steps.fix.nonexistent"), false);
}

TEST(ConditionTest, Contains) {
  EXPECT_EQ(Eval("steps.test.output contains 'TODO'"), true);
  EXPECT_EQ(Eval("steps.test.output contains 3"), true);
  EXPECT_EQ(Eval("steps.test.result.lines contains 'b'"), true);
  EXPECT_EQ(Eval("steps.test.result.lines contains 'c'"), false);
  EXPECT_EQ(Eval("steps.test.result contains 'exit_code'"), true);
  EXPECT_EQ(Eval("steps.fix.result contains 'x'"), false);  // nothing yet
}

TEST(ConditionTest, PathsWithIndexesAndQuotedKeys) {
  EXPECT_EQ(Eval("steps.test.result.lines[1]"), "b");
  EXPECT_EQ(Eval("steps.test.result[\"key with space\"] == 7"), true);
  auto e = Expression::Parse("steps.test.result.lines[1] == inputs.x");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->paths().size(), 2u);
  EXPECT_EQ(e->paths()[0].text, "steps.test.result.lines[1]");
  EXPECT_EQ(e->paths()[1].text, "inputs.x");
  EXPECT_EQ(e->paths()[0].parts.size(), 5u);
  EXPECT_EQ(std::get<int64_t>(e->paths()[0].parts[4]), 1);
}

TEST(ConditionTest, Literals) {
  EXPECT_EQ(Eval("'it\\'s'"), "it's");
  EXPECT_EQ(Eval("\"a\\nb\""), "a\nb");
  EXPECT_EQ(Eval("-2.5e1"), -25.0);
  EXPECT_EQ(Eval("null"), nullptr);
  EXPECT_EQ(Eval("(((1)))"), 1);
}

TEST(ConditionTest, Truthiness) {
  EXPECT_FALSE(Truthy(nullptr));
  EXPECT_FALSE(Truthy(0));
  EXPECT_FALSE(Truthy(""));
  EXPECT_FALSE(Truthy(nlohmann::json::array()));
  EXPECT_FALSE(Truthy(nlohmann::json::object()));
  EXPECT_TRUE(Truthy("0"));  // a non-empty string, as in Python
  EXPECT_TRUE(Truthy(0.5));
}

TEST(ConditionTest, ParseErrorsSayWhereAndWhat) {
  EXPECT_EQ(ParseError(""), "at column 1: empty expression");
  EXPECT_EQ(ParseError("a ="), "at column 3: \"=\" is not an operator: compare with \"==\"");
  EXPECT_EQ(ParseError("a == "), "at column 6: expected a value, found the end");
  EXPECT_EQ(ParseError("(a == 1"), "at column 8: expected \")\" to close the \"(\" at column 1, found the end");
  EXPECT_EQ(ParseError("a < b < c"), "at column 7: comparisons cannot be chained: join them with \"and\"");
  EXPECT_EQ(ParseError("a b"), "at column 3: expected an operator or the end, found \"b\"");
  EXPECT_EQ(ParseError("'abc"), "at column 1: unterminated string");
  EXPECT_EQ(ParseError("a.[0]"), "at column 3: expected a field name after \".\", found \"[\"");
  EXPECT_EQ(ParseError("a[-1]"), "at column 3: expected an index (0, 1, ...) or a quoted key inside [ ]");
  EXPECT_EQ(ParseError("a[0"), "at column 4: expected \"]\" to close the \"[\" at column 2");
  EXPECT_EQ(ParseError("and"), "at column 1: expected a value before \"and\"");
  EXPECT_EQ(ParseError("1abc"), "at column 1: a name cannot start with a digit");
  EXPECT_EQ(ParseError("a $ b"), "at column 3: unexpected \"$\"");
  EXPECT_EQ(ParseError("'\\q'"), "at column 2: unknown escape \"\\q\" (use \\n \\t \\\\ \\\" \\')");
  EXPECT_EQ(ParseError(std::string(100, '(') + "1" + std::string(100, ')')), "at column 65: nested too deeply");
  EXPECT_EQ(ParseError(std::string(100, '!') + "a"), "at column 65: nested too deeply");
}

TEST(ConditionTest, EvaluationErrorsNameTheValues) {
  EXPECT_EQ(EvalError("inputs.name < 3"), "cannot order the string \"Ada\" and the number 3 with \"<\"");
  EXPECT_EQ(EvalError("inputs.none > 0"), "cannot order null and the number 0 with \">\"");
  EXPECT_EQ(EvalError("steps.test.ok contains 'x'"), "\"contains\" needs a string, array or object on its left, not true");
  EXPECT_EQ(EvalError("inputs.nope == 1"), "inputs.nope: not found");
  EXPECT_EQ(EvalError("nope or true"), "nope: not found");  // or evaluates left to right
}

TEST(ConditionTest, LongAndChainsStayFlat) {
  std::string text = "true";
  for (int i = 0; i < 5000; ++i) text += " and true";
  EXPECT_EQ(Eval(text), true);
}

}  // namespace
}  // namespace switchyard::workflows
