// The same schemas to both readers of schema/: the tools' argument validator (JsonSchema, as a
// tool definition builds it) and the engine's grammar compiler (CompileJsonSchema, as a
// response format or tool call builds it). For every supported keyword, every refused one,
// local "$ref" and recursive "$ref", both accept or both refuse with the same message; where
// both accept, an example value passes the validator and its json.dumps form matches the
// grammar. The real-world schemas get the same treatment in real_schemas_test.cc.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/json_schema.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/json_schema_grammar.h"

namespace switchyard {
namespace {

struct Accepted {
  const char* schema;
  const char* example;  // valid, in json.dumps form with members in declared order
};

const Accepted kAccepted[] = {
    {R"({"type": "string"})", R"("x")"},
    {R"({"type": ["integer", "null"]})", "null"},
    {R"({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]})", R"({"a": 1})"},
    {R"({"type": "object", "properties": {"a": true}, "additionalProperties": false})", R"({"a": [1]})"},
    {R"({"enum": [1, "a", null]})", R"("a")"},
    {R"({"const": {"k": [1, "x"]}})", R"({"k": [1, "x"]})"},
    {R"({"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 2})", "[1.5, 2]"},
    {R"({"type": "string", "minLength": 1, "maxLength": 3})", R"("abc")"},
    {R"({"anyOf": [{"type": "string"}, {"type": "null"}]})", "null"},
    {R"({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"})", R"("s")"},
    {R"({"definitions": {"n": {"type": "integer"}}, "type": "object", "properties": {"x": {"$ref": "#/definitions/n"}}})",
     R"({"x": 3})"},
    {R"({"type": "object", "properties": {"next": {"$ref": "#"}, "v": {"type": "integer"}}})",
     R"({"next": {"next": {}}, "v": 1})"},
    {R"({"$defs": {"e": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#/$defs/e"}}]}},
         "$ref": "#/$defs/e"})",
     "[1, [2]]"},
    {R"({"items": {"$ref": "#"}})", "[[], [[]]]"},
    {R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:s", "$comment": "c", "title": "t",
         "description": "d", "default": 1, "examples": [1], "deprecated": false, "readOnly": true, "writeOnly": false,
         "type": "integer"})",
     "7"},
    {"true", R"({"any": [1]})"},
    {"{}", R"("x")"},
    {R"({"type": "object", "properties": {"gone": false, "here": {"type": "boolean"}}})", R"({"here": true})"},
    {R"({"type": "object", "properties": {"a": {"type": "integer"}}, "anyOf": [{"required": ["a"]}, {"required": ["b"]}]})",
     R"({"b": null})"},
    {R"({"type": "number", "anyOf": [{"type": "integer"}]})", "3"},
    {R"({"required": ["x"]})", R"({"x": 1})"},
    {R"({"type": "array", "maxItems": 0})", "[]"},
    // A recursion whose shortest value nests deeper than the grammar's usual unrolling.
    {R"({"$defs": {"a": {"type": "array", "items": {"$ref": "#/$defs/b"}, "minItems": 1},
                   "b": {"type": "array", "items": {"$ref": "#/$defs/c"}, "minItems": 1},
                   "c": {"type": "array", "items": {"$ref": "#/$defs/d"}, "minItems": 1},
                   "d": {"type": "array", "items": {"$ref": "#/$defs/e"}, "minItems": 1},
                   "e": {"type": "array", "items": {"$ref": "#/$defs/f"}, "minItems": 1},
                   "f": {"type": "array", "items": {"$ref": "#/$defs/g"}, "minItems": 1},
                   "g": {"type": "array", "items": {"$ref": "#/$defs/h"}, "minItems": 1},
                   "h": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/a"}}]}},
         "$ref": "#/$defs/a"})",
     "[[[[[[[null]]]]]]]"},
};

TEST(AgreementTest, SupportedKeywordsAreAcceptedByBoth) {
  for (const Accepted& row : kAccepted) {
    absl::StatusOr<tools::JsonSchema> validator = tools::JsonSchema::Parse(row.schema);
    absl::StatusOr<Grammar> grammar = CompileJsonSchema(row.schema, "schema");
    ASSERT_TRUE(validator.ok()) << row.schema << ": " << validator.status();
    ASSERT_TRUE(grammar.ok()) << row.schema << ": " << grammar.status();
    EXPECT_TRUE(validator->Validate(nlohmann::json::parse(row.example)).empty()) << row.schema << " " << row.example;
    GrammarMatcher m(&*grammar);
    EXPECT_TRUE(m.Advance(row.example) && m.accepted()) << row.schema << " " << row.example;
  }
}

// `levels` schemas nested through "items".
std::string Nested(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += R"({"items":)";
  s += "true";
  for (int i = 0; i < levels; ++i) s += "}";
  return s;
}

// Eleven chained "anyOf"s of two: 2^11 alternatives for one value.
std::string Exponential() {
  std::string defs;
  for (int i = 0; i < 11; ++i) {
    absl::StrAppend(&defs, i ? ", " : "", "\"d", i, R"(": {"anyOf": [{"type": "integer"}, {"type": "string"}])",
                    i < 10 ? absl::StrCat(R"(, "$ref": "#/$defs/d)", i + 1, "\"") : "", "}");
  }
  return absl::StrCat(R"({"$defs": {)", defs, R"(}, "$ref": "#/$defs/d0"})");
}

std::vector<std::pair<std::string, std::string>> RefusedRows() {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const char* keyword :
       {"format", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "oneOf",
        "allOf", "not", "if", "then", "else", "patternProperties", "propertyNames", "dependencies",
        "dependentRequired", "dependentSchemas", "minProperties", "maxProperties", "uniqueItems", "contains",
        "minContains", "maxContains", "prefixItems", "additionalItems", "unevaluatedProperties",
        "unevaluatedItems", "contentEncoding", "contentMediaType", "$anchor", "$dynamicRef", "$recursiveRef", "id",
        "nullable", "example"}) {
    rows.emplace_back(absl::StrCat(R"({"type": "object", "properties": {"a": {")", keyword, R"(": 1}}})"),
                      absl::StrCat("schema /properties/a: unsupported keyword \"", keyword, "\""));
  }
  const std::pair<const char*, const char*> fixed[] = {
      {"not json", "schema: not valid JSON"},
      {"[1]", "schema /: a schema must be an object or a boolean"},
      {R"({"type": "float"})", "schema /: unknown type \"float\""},
      {R"({"type": []})", "schema /: \"type\" must not be an empty list"},
      {R"({"type": ["null", "null"]})", "schema /: type \"null\" listed twice"},
      {R"({"properties": []})", "schema /: \"properties\" must be an object"},
      {R"({"required": [1]})", "schema /: \"required\" must be a list of property names"},
      {R"({"additionalProperties": {"type": "string"}})",
       "schema /: \"additionalProperties\" must be true or false (schemas are not supported)"},
      {R"({"enum": 1})", "schema /: \"enum\" must be a list"},
      {R"({"enum": []})", "schema /: \"enum\" must not be an empty list"},
      {R"({"items": [{}]})", "schema /: \"items\" must be one schema (the list form is not supported)"},
      {R"({"minItems": -1})", "schema /: \"minItems\" must be a non-negative integer"},
      {R"({"maxLength": 1.5})", "schema /: \"maxLength\" must be a non-negative integer"},
      {R"({"maxItems": 100000000})", "schema /: \"maxItems\" must be at most 67108864"},
      {R"({"minItems": 2, "maxItems": 1})", "schema /: \"maxItems\" is below \"minItems\""},
      {R"({"minLength": 2, "maxLength": 1})", "schema /: \"maxLength\" is below \"minLength\""},
      {R"({"anyOf": []})", "schema /: \"anyOf\" must be a non-empty list of schemas"},
      {R"({"$ref": 1})", "schema /: \"$ref\" must be a string"},
      {R"({"$ref": "other.json#/a"})", "schema /: remote \"$ref\" \"other.json#/a\" is not supported"},
      {R"({"items": {"$ref": "#/$defs/none"}})",
       "schema /items: \"$ref\" \"#/$defs/none\" names no entry of the root's \"$defs\" or \"definitions\""},
      {R"({"items": {"$defs": {}}})", "schema /items: \"$defs\" is only supported at the root"},
      {R"({"items": {"$id": "urn:x"}})", "schema /items: \"$id\" is only supported at the root"},
      {R"({"$ref": "#"})", "schema /: \"$ref\" cycle that never descends into the value"},
      {"false", "schema /: no value satisfies the schema"},
      {R"({"type": "string", "enum": [1]})", "schema /: no value satisfies the schema"},
      {R"({"type": "object", "properties": {"next": {"$ref": "#"}}, "required": ["next"]})",
       "schema /: no finite value satisfies the schema: its \"$ref\" recursion never ends"},
  };
  for (const auto& [schema, message] : fixed) rows.emplace_back(schema, message);
  rows.emplace_back(Nested(65), "schema /: nests deeper than 64 levels");
  rows.emplace_back(Exponential(), "schema /$defs/d0: \"anyOf\" and \"$ref\" unfold into more than 1024 alternatives");
  return rows;
}

TEST(AgreementTest, RefusedSchemasAreRefusedByBothWithTheSameMessage) {
  for (const auto& [schema, message] : RefusedRows()) {
    absl::StatusOr<tools::JsonSchema> validator = tools::JsonSchema::Parse(schema);
    absl::StatusOr<Grammar> grammar = CompileJsonSchema(schema, "schema");
    EXPECT_EQ(validator.status().code(), absl::StatusCode::kInvalidArgument) << schema;
    EXPECT_EQ(validator.status().message(), message) << schema;
    EXPECT_EQ(grammar.status().code(), absl::StatusCode::kInvalidArgument) << schema;
    EXPECT_EQ(grammar.status().message(), message) << schema;
  }
}

}  // namespace
}  // namespace switchyard
