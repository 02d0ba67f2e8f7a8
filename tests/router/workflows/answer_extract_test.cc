// What model steps keep of an answer: code from fences, JSON from wherever it is.
#include "router/workflows/answer_extract.h"

#include <string>

#include "gtest/gtest.h"

namespace switchyard::workflows {
namespace {

TEST(AnswerExtractTest, CodeFromTheFirstFence) {
  EXPECT_EQ(ExtractCode("Sure:\n```python\ndef f():\n    return 1\n```\nand ```x```"), "def f():\n    return 1");
  EXPECT_EQ(ExtractCode("```\n  indented\n```"), "  indented");
  EXPECT_EQ(ExtractCode("```py\nunclosed\n"), "unclosed");
  EXPECT_EQ(ExtractCode("  print(1)\n\n"), "print(1)");  // no fence: the answer is the code
  EXPECT_EQ(ExtractCode(""), "");
}

TEST(AnswerExtractTest, JsonBareFencedOrEmbedded) {
  EXPECT_EQ(*ExtractJson(" {\"a\": 1} "), nlohmann::json::parse(R"({"a": 1})"));
  EXPECT_EQ(*ExtractJson("Here:\n```json\n[1, 2]\n```"), nlohmann::json::parse("[1, 2]"));
  EXPECT_EQ(*ExtractJson("The facts are {\"a\": \"}\"} as requested."), nlohmann::json::parse(R"({"a": "}"})"));
  EXPECT_EQ(*ExtractJson("{ not json, but [3] is"), nlohmann::json::parse("[3]"));
}

TEST(AnswerExtractTest, NoJsonIsAnErrorQuotingTheStart) {
  EXPECT_EQ(ExtractJson("").status().message(), "the answer is empty: no JSON to extract");
  EXPECT_EQ(ExtractJson("just words 42").status().message(),
            "the answer holds no JSON object or array (it starts: \"just words 42\")");
  EXPECT_EQ(ExtractJson(std::string(70, 'a')).status().message(),
            "the answer holds no JSON object or array (it starts: \"" + std::string(60, 'a') + "...\")");
  EXPECT_FALSE(ExtractJson("\"a string\"").ok());  // a scalar is not what extract: json is for
}

TEST(AnswerExtractTest, DeepJsonIsRefusedUnparsed) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_FALSE(ExtractJson(deep).ok());
  EXPECT_FALSE(ParseJsonBounded(deep).has_value());
  EXPECT_TRUE(ParseJsonBounded("[[1]]").has_value());
  EXPECT_TRUE(ParseJsonBounded("3").has_value());
  EXPECT_FALSE(ParseJsonBounded("{").has_value());
}

}  // namespace
}  // namespace switchyard::workflows
