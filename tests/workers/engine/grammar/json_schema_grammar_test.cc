// JSON Schema -> Grammar: for each supported keyword, exact strings the matcher accepts and
// rejects; refused keywords name themselves and their JSON pointer.
#include "workers/engine/grammar/json_schema_grammar.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workers/engine/grammar/grammar_matcher.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

// Whether `text` is a complete match of the schema's grammar.
bool Matches(const Grammar& g, const std::string& text) {
  GrammarMatcher m(&g);
  return m.Advance(text) && m.accepted();
}

Grammar MustCompile(const std::string& schema) {
  auto g = CompileJsonSchema(schema, "response_format.json_schema");
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? std::move(*g) : Grammar();
}

TEST(JsonSchemaGrammar, Scalars) {
  Grammar b = MustCompile(R"({"type": "boolean"})");
  EXPECT_TRUE(Matches(b, "true"));
  EXPECT_TRUE(Matches(b, "false"));
  EXPECT_FALSE(Matches(b, "tru"));
  EXPECT_FALSE(Matches(b, "null"));
  Grammar n = MustCompile(R"({"type": "null"})");
  EXPECT_TRUE(Matches(n, "null"));
  EXPECT_FALSE(Matches(n, "nul"));
  Grammar i = MustCompile(R"({"type": "integer"})");
  for (const char* ok : {"0", "-0", "7", "-42", "123456789012345"}) EXPECT_TRUE(Matches(i, ok)) << ok;
  for (const char* bad : {"", "-", "01", "1.5", "1e3", "+1", "1234567890123456", " 1"}) EXPECT_FALSE(Matches(i, bad)) << bad;
  Grammar x = MustCompile(R"({"type": "number"})");
  for (const char* ok : {"0", "-1.5", "3.141592", "10"}) EXPECT_TRUE(Matches(x, ok)) << ok;
  for (const char* bad : {"1.", ".5", "1.1234567", "--1", "0.5.1"}) EXPECT_FALSE(Matches(x, bad)) << bad;
}

TEST(JsonSchemaGrammar, StringsCountCodePointsAndEscapes) {
  Grammar s = MustCompile(R"({"type": "string", "minLength": 2, "maxLength": 3})");
  EXPECT_FALSE(Matches(s, "\"a\""));
  EXPECT_TRUE(Matches(s, "\"ab\""));
  EXPECT_TRUE(Matches(s, "\"abc\""));
  EXPECT_FALSE(Matches(s, "\"abcd\""));
  EXPECT_TRUE(Matches(s, "\"\xC3\xA9\xE2\x82\xAC\""));       // é€: two code points, five bytes
  EXPECT_TRUE(Matches(s, "\"\\n\\u00e9\""));                  // escapes count one each
  EXPECT_TRUE(Matches(s, "\"\xF0\x9F\x98\x80x\""));          // a 4-byte character
  EXPECT_FALSE(Matches(s, "\"a\nb\""));                       // raw control byte
  EXPECT_FALSE(Matches(s, "\"\\x\""));                        // unknown escape
  EXPECT_FALSE(Matches(s, "\"\\ud800\""));                    // lone surrogate
  EXPECT_FALSE(Matches(s, "\"\xC3\""));                       // cut character
  EXPECT_FALSE(Matches(s, "\"\xED\xA0\x80\""));               // UTF-8 of a surrogate
  EXPECT_FALSE(Matches(s, "\"\xC0\xAF\""));                   // overlong
}

TEST(JsonSchemaGrammar, ObjectsInDeclaredOrder) {
  Grammar g = MustCompile(R"({"type": "object", "properties": {
      "b": {"type": "integer"}, "a": {"type": "boolean"}, "c": {"type": "null"}},
      "required": ["a"], "additionalProperties": false})");
  EXPECT_TRUE(Matches(g, R"({"a": true})"));
  EXPECT_TRUE(Matches(g, R"({"b": 1, "a": false})"));
  EXPECT_TRUE(Matches(g, R"({"b": 1, "a": false, "c": null})"));
  EXPECT_TRUE(Matches(g, R"({"a": true, "c": null})"));
  EXPECT_FALSE(Matches(g, R"({})"));                       // "a" is required
  EXPECT_FALSE(Matches(g, R"({"a": true, "b": 1})"));      // declared order only
  EXPECT_FALSE(Matches(g, R"({"a":true})"));               // canonical spacing
  EXPECT_FALSE(Matches(g, R"({"a": true, "d": 1})"));      // no undeclared keys
  EXPECT_FALSE(Matches(g, R"({, "a": true})"));
  Grammar empty = MustCompile(R"({"type": "object"})");
  EXPECT_TRUE(Matches(empty, "{}"));
  EXPECT_FALSE(Matches(empty, "{\"x\": 1}"));
}

TEST(JsonSchemaGrammar, ArraysWithBounds) {
  Grammar g = MustCompile(R"({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3})");
  EXPECT_FALSE(Matches(g, "[]"));
  EXPECT_TRUE(Matches(g, "[1]"));
  EXPECT_TRUE(Matches(g, "[1, 2, 3]"));
  EXPECT_FALSE(Matches(g, "[1, 2, 3, 4]"));
  EXPECT_FALSE(Matches(g, "[1,2]"));
  EXPECT_FALSE(Matches(g, "[1, ]"));
  Grammar nested = MustCompile(R"({"type": "array", "items": {"type": "array", "items": {"type": "string", "maxLength": 1}}})");
  EXPECT_TRUE(Matches(nested, "[]"));
  EXPECT_TRUE(Matches(nested, R"([[], ["a", "b"]])"));
  EXPECT_FALSE(Matches(nested, R"([["ab"]])"));
}

TEST(JsonSchemaGrammar, EnumConstAnyOfAndTypeLists) {
  Grammar e = MustCompile(R"({"type": "string", "enum": ["red", "green", 3]})");
  EXPECT_TRUE(Matches(e, "\"red\""));
  EXPECT_TRUE(Matches(e, "\"green\""));
  EXPECT_FALSE(Matches(e, "3"));  // excluded by the type
  EXPECT_FALSE(Matches(e, "\"blue\""));
  Grammar c = MustCompile(R"({"const": {"k": [1, "x"]}})");
  EXPECT_TRUE(Matches(c, R"({"k":[1,"x"]})"));
  Grammar a = MustCompile(R"({"anyOf": [{"type": "integer"}, {"type": "object", "properties": {"x": {"type": "null"}}, "required": ["x"]}]})");
  EXPECT_TRUE(Matches(a, "12"));
  EXPECT_TRUE(Matches(a, R"({"x": null})"));
  EXPECT_FALSE(Matches(a, "true"));
  Grammar t = MustCompile(R"({"type": ["string", "null"], "maxLength": 2})");
  EXPECT_TRUE(Matches(t, "null"));
  EXPECT_TRUE(Matches(t, "\"ok\""));
  EXPECT_FALSE(Matches(t, "\"too long\""));
}

TEST(JsonSchemaGrammar, RefusesWhatItCannotHonour) {
  auto s = CompileJsonSchema(R"({"type": "object", "properties": {"date": {"type": "string", "format": "date"}}})",
                             "response_format.json_schema");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(),
            "response_format.json_schema /properties/date: \"format\" is not supported by constrained decoding");
  for (const char* bad : {R"({"$ref": "https://example.com/s.json"})", R"({"type": "string", "pattern": "^a"})",
                          R"({"type": "integer", "minimum": 1})", R"({"oneOf": [{"type": "null"}]})", R"({})",
                          R"({"type": "array"})", R"({"type": "string", "minLength": 3, "maxLength": 2})",
                          R"({"type": "object", "properties": {}, "required": ["x"]})", R"({"type": "date"})",
                          R"({"enum": []})", "not json"}) {
    auto r = CompileJsonSchema(bad, "x");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  auto ref = CompileJsonSchema(R"({"type": "object", "properties": {"a/b": {"$ref": "#/defs/x"}}})", "tools[0]");
  EXPECT_THAT(ref.status().message(), HasSubstr("tools[0] /properties/a~1b: \"$ref\" is not supported"));
}

TEST(ToolCallGrammar, EnvelopeWithNameChoosingTheSchema) {
  std::vector<ToolSchema> tools = {
      {"get_weather", R"({"type": "object", "properties": {"city": {"type": "string", "maxLength": 20}}, "required": ["city"]})"},
      {"ping", ""}};
  auto g = CompileToolCallGrammar(tools);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(Matches(*g, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"));
  EXPECT_TRUE(Matches(*g, "<tool_call>\n{\"name\": \"ping\", \"arguments\": {}}\n</tool_call>"));
  EXPECT_FALSE(Matches(*g, "<tool_call>\n{\"name\": \"ping\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"));
  EXPECT_FALSE(Matches(*g, "<tool_call>\n{\"name\": \"other\", \"arguments\": {}}\n</tool_call>"));
  GrammarMatcher m(&*g);
  ASSERT_TRUE(m.Advance("<tool_call>\n{\"name\": \"ping\", \"arguments\": {}}\n</tool_call>"));
  EXPECT_TRUE(m.finished());
  auto dup = CompileToolCallGrammar(std::vector<ToolSchema>{{"a", ""}, {"a", ""}});
  EXPECT_FALSE(dup.ok());
  auto bad = CompileToolCallGrammar(std::vector<ToolSchema>{{"a", ""}, {"b", R"({"type": "string", "format": "uri"})"}});
  EXPECT_THAT(bad.status().message(), HasSubstr("tools[1].function.parameters /: \"format\""));
}

TEST(AnyJsonObjectGrammar, AnyMembersInCanonicalFormNestedToTheLimit) {
  const Grammar g = AnyJsonObjectGrammar(/*max_depth=*/3);
  for (const char* ok : {"{}", R"({"a": 1})", R"({"": "", "a": -2.5, "a": true, "b": false, "c": null})",
                         R"({"list": [1, "x", [], {}], "o": {"k": [null]}})", R"({"a": {"b": {"c": 1}}})",
                         R"({"a": [[1]]})"}) {
    EXPECT_TRUE(Matches(g, ok)) << ok;
  }
  for (const char* bad : {"[]", "1", "\"s\"", "null", "{", R"({"a":1})", R"({"a": 1,"b": 2})", R"({ "a": 1})",
                          R"({a: 1})", R"({"a": 1}x)", R"({"a": {"b": {"c": {}}}})", R"({"a": [[[1]]]})"}) {
    EXPECT_FALSE(Matches(g, bad)) << bad;
  }
  EXPECT_TRUE(Matches(AnyJsonObjectGrammar(), R"({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}})"));  // six levels
  EXPECT_FALSE(Matches(AnyJsonObjectGrammar(), R"({"a": {"b": {"c": {"d": {"e": {"f": {}}}}}}})"));
}

}  // namespace
}  // namespace switchyard
