// JSON Schema -> Grammar: for each supported keyword, exact strings the matcher accepts and
// rejects; refused keywords name themselves and their JSON pointer (the parser is schema/'s, so
// the refusals are those of tests/schema/parser_test.cc; tests/schema/agreement_test.cc checks
// that the tools' validator gives the same answers).
#include "workers/engine/grammar/json_schema_grammar.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workers/engine/grammar/grammar_matcher.h"

namespace switchyard {
namespace {

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
  Grammar c = MustCompile(R"({"const": {"k": [1, "x"], "a": 0.5}})");
  EXPECT_TRUE(Matches(c, R"({"k": [1, "x"], "a": 0.5})"));  // json.dumps spacing, declared order
  EXPECT_FALSE(Matches(c, R"({"k":[1,"x"],"a":0.5})"));
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
  EXPECT_EQ(s.status().message(), "response_format.json_schema /properties/date: unsupported keyword \"format\"");
  const std::pair<const char*, const char*> refused[] = {
      {R"({"$ref": "https://example.com/s.json"})", "x /: remote \"$ref\" \"https://example.com/s.json\" is not supported"},
      {R"({"type": "string", "pattern": "^a"})", "x /: unsupported keyword \"pattern\""},
      {R"({"type": "integer", "minimum": 1})", "x /: unsupported keyword \"minimum\""},
      {R"({"oneOf": [{"type": "null"}]})", "x /: unsupported keyword \"oneOf\""},
      {R"({"type": "string", "minLength": 3, "maxLength": 2})", "x /: \"maxLength\" is below \"minLength\""},
      {R"({"type": "date"})", "x /: unknown type \"date\""},
      {R"({"enum": []})", "x /: \"enum\" must not be an empty list"},
      {R"({"type": "string", "enum": [1]})", "x /: no value satisfies the schema"},
      {R"({"type": "object", "properties": {"next": {"$ref": "#"}}, "required": ["next"]})",
       "x /: no finite value satisfies the schema: its \"$ref\" recursion never ends"},
      {"not json", "x: not valid JSON"},
  };
  for (const auto& [bad, message] : refused) {
    auto r = CompileJsonSchema(bad, "x");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.status().message(), message) << bad;
  }
  auto ref = CompileJsonSchema(R"({"type": "object", "properties": {"a/b": {"$ref": "#/defs/x"}}})", "tools[0]");
  EXPECT_EQ(ref.status().message(),
            "tools[0] /properties/a~1b: \"$ref\" \"#/defs/x\" names no entry of the root's \"$defs\" or \"definitions\"");
}

TEST(JsonSchemaGrammar, OpenSchemasAllowWhatTheValidatorAllows) {
  Grammar any = MustCompile("{}");
  for (const char* ok : {"1", "-2.5", "\"s\"", "null", "true", "[]", R"({"a": [1, {"b": null}]})"}) {
    EXPECT_TRUE(Matches(any, ok)) << ok;
  }
  EXPECT_FALSE(Matches(any, R"({"a":1})"));
  EXPECT_TRUE(Matches(any, "[[[[[[1]]]]]]"));     // nested kMaxUnrolledDepth levels
  EXPECT_FALSE(Matches(any, "[[[[[[[1]]]]]]]"));  // one more
  Grammar array = MustCompile(R"({"type": "array"})");
  EXPECT_TRUE(Matches(array, R"([1, "x", {"k": []}])"));
  EXPECT_FALSE(Matches(array, "{}"));
  Grammar undeclared = MustCompile(R"({"type": "object", "properties": {}, "required": ["x"]})");
  EXPECT_TRUE(Matches(undeclared, R"({"x": 1})"));
  EXPECT_TRUE(Matches(undeclared, R"({"x": {"y": true}})"));
  EXPECT_FALSE(Matches(undeclared, "{}"));
  // Without "type", the structural keywords choose it.
  Grammar implied = MustCompile(R"({"properties": {"a": {"type": "integer"}}})");
  EXPECT_TRUE(Matches(implied, R"({"a": 1})"));
  EXPECT_TRUE(Matches(implied, "{}"));
  EXPECT_FALSE(Matches(implied, "null"));
  Grammar text = MustCompile(R"({"minLength": 2})");
  EXPECT_TRUE(Matches(text, R"("ab")"));
  EXPECT_FALSE(Matches(text, R"("a")"));
  EXPECT_FALSE(Matches(text, "1"));
  // ... unless no object can satisfy them: then the other types do.
  Grammar closed = MustCompile(R"({"required": ["a"], "additionalProperties": false})");
  EXPECT_TRUE(Matches(closed, "null"));
  EXPECT_TRUE(Matches(closed, "[1]"));
  EXPECT_FALSE(Matches(closed, R"({"a": 1})"));
}

TEST(JsonSchemaGrammar, AnyOfMeetsItsSiblings) {
  Grammar one_of_two = MustCompile(R"({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
      "anyOf": [{"required": ["a"]}, {"required": ["b"]}]})");
  EXPECT_TRUE(Matches(one_of_two, R"({"a": 1})"));
  EXPECT_TRUE(Matches(one_of_two, R"({"b": "x"})"));
  EXPECT_TRUE(Matches(one_of_two, R"({"a": 1, "b": "x"})"));
  EXPECT_FALSE(Matches(one_of_two, "{}"));
  Grammar lengths = MustCompile(R"({"type": "string", "anyOf": [{"maxLength": 1}, {"minLength": 3}]})");
  EXPECT_TRUE(Matches(lengths, R"("a")"));
  EXPECT_FALSE(Matches(lengths, R"("ab")"));
  EXPECT_TRUE(Matches(lengths, R"("abc")"));
  Grammar types = MustCompile(R"({"type": ["string", "integer"], "anyOf": [{"type": "integer"}, {"type": "null"}]})");
  EXPECT_TRUE(Matches(types, "1"));
  EXPECT_FALSE(Matches(types, R"("s")"));
  EXPECT_FALSE(Matches(types, "null"));
  Grammar number_meets_integer = MustCompile(R"({"type": "number", "anyOf": [{"type": "integer"}]})");
  EXPECT_TRUE(Matches(number_meets_integer, "3"));
  EXPECT_FALSE(Matches(number_meets_integer, "3.5"));
  Grammar values = MustCompile(R"({"enum": [1, "a", null], "anyOf": [{"type": "string"}, {"type": "null"}]})");
  EXPECT_TRUE(Matches(values, R"("a")"));
  EXPECT_TRUE(Matches(values, "null"));
  EXPECT_FALSE(Matches(values, "1"));
}

TEST(JsonSchemaGrammar, LocalRefsAreInlined) {
  Grammar g = MustCompile(R"({"$defs": {"name": {"type": "string", "maxLength": 3}}, "type": "object",
      "properties": {"a": {"$ref": "#/$defs/name"}, "b": {"$ref": "#/$defs/name"}}, "required": ["a"]})");
  EXPECT_TRUE(Matches(g, R"({"a": "x", "b": "yz"})"));
  EXPECT_FALSE(Matches(g, R"({"a": "long"})"));
  EXPECT_FALSE(Matches(g, R"({"b": "x"})"));
  Grammar siblings = MustCompile(R"({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s", "maxLength": 2})");
  EXPECT_TRUE(Matches(siblings, R"("ab")"));
  EXPECT_FALSE(Matches(siblings, R"("abc")"));
  EXPECT_FALSE(Matches(siblings, "1"));
}

TEST(JsonSchemaGrammar, RecursiveRefsUnrollToTheBound) {
  // Each level of the tree is two descents (object, then its "children" array): six descents
  // give four levels of objects, the deepest without "children".
  Grammar tree = MustCompile(R"({"type": "object", "properties": {"name": {"type": "string"},
      "children": {"type": "array", "items": {"$ref": "#"}}}, "required": ["name"]})");
  EXPECT_TRUE(Matches(tree, R"({"name": "a"})"));
  EXPECT_TRUE(Matches(tree, R"({"name": "a", "children": []})"));
  EXPECT_TRUE(Matches(tree, R"({"name": "a", "children": [{"name": "b", "children": [{"name": "c", )"
                            R"("children": [{"name": "d"}]}]}]})"));
  EXPECT_FALSE(Matches(tree, R"({"name": "a", "children": [{"name": "b", "children": [{"name": "c", )"
                             R"("children": [{"name": "d", "children": []}]}]}]})"));
  // A required recursion ends through the alternative without it.
  Grammar pairs = MustCompile(R"({"$defs": {"e": {"anyOf": [{"type": "integer"},
      {"type": "array", "items": {"$ref": "#/$defs/e"}, "minItems": 2, "maxItems": 2}]}}, "$ref": "#/$defs/e"})");
  EXPECT_TRUE(Matches(pairs, "1"));
  EXPECT_TRUE(Matches(pairs, "[1, [2, 3]]"));
  EXPECT_FALSE(Matches(pairs, "[1]"));
  EXPECT_TRUE(Matches(pairs, "[[[[[[1, 2], 3], 4], 5], 6], 7]"));      // six levels
  EXPECT_FALSE(Matches(pairs, "[[[[[[[1, 2], 3], 4], 5], 6], 7], 8]"));  // seven
  // When the shortest value nests deeper than the bound, the bound grows to it: a cycle of
  // eight arrays whose only way out is the eighth's null needs seven descents.
  std::string defs;
  for (int i = 0; i < 7; ++i) {
    absl::StrAppend(&defs, "\"d", i, "\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/d", i + 1,
                    "\"}, \"minItems\": 1}, ");
  }
  defs += R"("d7": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/d0"}, "minItems": 1}]})";
  Grammar cycle = MustCompile(absl::StrCat(R"({"$defs": {)", defs, R"(}, "$ref": "#/$defs/d0"})"));
  EXPECT_TRUE(Matches(cycle, "[[[[[[[null]]]]]]]"));
  EXPECT_TRUE(Matches(cycle, "[[[[[[[null, null]]]]]]]"));
  EXPECT_FALSE(Matches(cycle, "[[[[[[null]]]]]]"));
  EXPECT_FALSE(Matches(cycle, "[[[[[[[[[[[[[[[null]]]]]]]]]]]]]]]"));
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
  EXPECT_EQ(bad.status().message(), "tools[1].function.parameters /: unsupported keyword \"format\"");
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
