// Python semantics the templates depend on, against values printed by Python 3.11 itself:
// repr(float), json.dumps(ensure_ascii=False) with dict semantics for duplicate keys, str() of
// containers (repr of their strings, quotes chosen as Python does, non-printables escaped), and
// str.strip() over Unicode whitespace.
#include "workers/engine/chat/py_value.h"

#include "gtest/gtest.h"
#include "workers/engine/chat/py_text.h"

namespace switchyard {
namespace {

TEST(PyTextTest, FloatsAsPythonRepr) {
  const std::pair<double, const char*> cases[] = {
      {1.0, "1.0"},         {0.1, "0.1"},           {1e-06, "1e-06"},
      {0.0001, "0.0001"},   {1e16, "1e+16"},        {1e15, "1000000000000000.0"},
      {123456.789, "123456.789"}, {-2.5e-10, "-2.5e-10"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-0.0, "-0.0"},       {5e-324, "5e-324"},     {1e21, "1e+21"},
      {3.0, "3.0"},         {1e22, "1e+22"},        {0.30000000000000004, "0.30000000000000004"},
      {9007199254740992.0, "9007199254740992.0"},
  };
  for (const auto& [v, want] : cases) EXPECT_EQ(PythonFloatRepr(v), want) << want;
}

TEST(PyTextTest, StripLikePython) {
  EXPECT_EQ(PyStripWhitespace(" \t\u3000x\u00a0\u2003 "), "x");
  EXPECT_EQ(PyStripWhitespace("\x1cx\u0085"), "x");
  EXPECT_EQ(PyStripWhitespace("\u200bx"), "\u200bx");  // zero-width space is not whitespace to Python
  EXPECT_EQ(PyStripWhitespace("   "), "");
  EXPECT_EQ(PyStrip("\n\na\n\n", '\n'), "a");
  EXPECT_EQ(PyAfterLast("a</think>b</think>c", "</think>"), "c");
  EXPECT_EQ(PyBeforeFirst("a</think>b</think>c", "</think>"), "a");
}

TEST(PyValueTest, DumpsAndStrLikePython) {
  // json.loads of this, then json.dumps(ensure_ascii=False), separators=(',', ':') and str().
  auto v = PyValue::Parse(
      R"({"b": 1, "a": [true, null, 1.5, 1E2, -0, "x", {"k": "it's", "d": "say \"hi\"", "both": "'\"",)"
      R"( "c": "\u0001\u007f\u00a0\u00ad\u200b\u2028\ue000é🚀\t\n\\"}], "b": 2})",
      "t");
  ASSERT_TRUE(v.ok()) << v.status();
  const std::string c_raw = "\\u0001\x7f" "\u00a0\u00ad\u200b\u2028\ue000é🚀\\t\\n\\\\";
  EXPECT_EQ(v->Dumps(),
            "{\"b\": 2, \"a\": [true, null, 1.5, 100.0, 0, \"x\", {\"k\": \"it's\", \"d\": \"say \\\"hi\\\"\", "
            "\"both\": \"'\\\"\", \"c\": \"" + c_raw + "\"}]}");
  EXPECT_EQ(v->Dumps(JsonStyle::kCompact),
            "{\"b\":2,\"a\":[true,null,1.5,100.0,0,\"x\",{\"k\":\"it's\",\"d\":\"say \\\"hi\\\"\",\"both\":\"'\\\"\","
            "\"c\":\"" + c_raw + "\"}]}");
  EXPECT_EQ(v->ToStr(),
            "{'b': 2, 'a': [True, None, 1.5, 100.0, 0, 'x', {'k': \"it's\", 'd': 'say \"hi\"', 'both': '\\'\"', "
            "'c': '\\x01\\x7f\\xa0\\xad\\u200b\\u2028\\ue000é🚀\\t\\n\\\\'}]}");
  EXPECT_EQ(PyValue::Parse("\"plain\"", "t")->ToStr(), "plain");  // str() of a str is the str
  EXPECT_EQ(*Reserialize("18446744073709551615", JsonStyle::kPython, "t"), "18446744073709551615");
  EXPECT_EQ(Reserialize("{", JsonStyle::kPython, "t").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PyValueTest, DuplicateKeysInBigObjectsKeepFirstPlaceAndLastValue) {
  std::string json = "{";
  for (int i = 0; i < 20; ++i) json += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ", ";
  json += "\"k3\": \"last\"}";
  auto v = PyValue::Parse(json, "t");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->keys().size(), 20u);
  EXPECT_EQ(v->keys()[3], "k3");
  EXPECT_EQ(v->Get("k3")->str(), "last");
}

}  // namespace
}  // namespace switchyard
