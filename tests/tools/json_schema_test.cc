// JsonSchema: every supported keyword with its exact violation message and pointer, and every
// refused keyword with its exact compile error.
#include "tools/json_schema.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

JsonSchema Compiled(const std::string& text) {
  absl::StatusOr<JsonSchema> s = JsonSchema::Parse(text);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : *JsonSchema::Parse("true");
}

// The violations of `instance` (JSON text) as "pointer: message" strings.
std::vector<std::string> Errors(const std::string& schema, const std::string& instance) {
  std::vector<std::string> out;
  for (const SchemaViolation& v : Compiled(schema).Validate(nlohmann::json::parse(instance))) {
    out.push_back(v.ToString());
  }
  return out;
}

std::string CompileError(const std::string& schema) {
  absl::StatusOr<JsonSchema> s = JsonSchema::Parse(schema);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

TEST(JsonSchemaTest, TypeEachName) {
  EXPECT_THAT(Errors(R"({"type":"string"})", "1"), ElementsAre("/: expected string, got number"));
  EXPECT_THAT(Errors(R"({"type":"string"})", R"("a")"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"object"})", "[]"), ElementsAre("/: expected object, got array"));
  EXPECT_THAT(Errors(R"({"type":"array"})", "{}"), ElementsAre("/: expected array, got object"));
  EXPECT_THAT(Errors(R"({"type":"boolean"})", "null"), ElementsAre("/: expected boolean, got null"));
  EXPECT_THAT(Errors(R"({"type":"null"})", "false"), ElementsAre("/: expected null, got boolean"));
  EXPECT_THAT(Errors(R"({"type":"number"})", R"("1")"), ElementsAre("/: expected number, got string"));
  EXPECT_THAT(Errors(R"({"type":"number"})", "3"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"number"})", "-3.5"), IsEmpty());
}

TEST(JsonSchemaTest, IntegerIncludesNumbersWithoutFraction) {
  EXPECT_THAT(Errors(R"({"type":"integer"})", "2"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"integer"})", "2.0"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"integer"})", "-7"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"integer"})", "18446744073709551615"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":"integer"})", "2.5"), ElementsAre("/: expected integer, got number"));
  EXPECT_THAT(Errors(R"({"type":"integer"})", R"("2")"), ElementsAre("/: expected integer, got string"));
}

TEST(JsonSchemaTest, TypeList) {
  EXPECT_THAT(Errors(R"({"type":["string","null"]})", "null"), IsEmpty());
  EXPECT_THAT(Errors(R"({"type":["null","string"]})", "1"), ElementsAre("/: expected string or null, got number"));
  EXPECT_THAT(Errors(R"({"type":["null","array","object"]})", "true"),
              ElementsAre("/: expected object, array or null, got boolean"));
}

TEST(JsonSchemaTest, PropertiesRequiredAndNestedPointers) {
  const std::string schema = R"({
    "type": "object",
    "properties": {
      "path": {"type": "string"},
      "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}},
                                           "required": ["name"]}}
    },
    "required": ["path", "items"]
  })";
  EXPECT_THAT(Errors(schema, R"({"path":"a","items":[]})"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"({"items":[]})"), ElementsAre("/: missing required property \"path\""));
  EXPECT_THAT(Errors(schema, R"({})"),
              ElementsAre("/: missing required property \"path\"", "/: missing required property \"items\""));
  EXPECT_THAT(Errors(schema, R"({"path":"a","items":[{"name":"x"},{"name":"y"},{"name":7},{}]})"),
              ElementsAre("/items/2/name: expected string, got number", "/items/3: missing required property \"name\""));
  EXPECT_THAT(Errors(schema, R"({"path":5,"items":{}})"),
              ElementsAre("/items: expected array, got object", "/path: expected string, got number"));
}

TEST(JsonSchemaTest, PointerTokensAreEscaped) {
  EXPECT_THAT(Errors(R"({"properties":{"a/b~c":{"type":"string"}}})", R"({"a/b~c":1})"),
              ElementsAre("/a~1b~0c: expected string, got number"));
}

TEST(JsonSchemaTest, AdditionalProperties) {
  const std::string closed = R"({"type":"object","properties":{"a":{}},"additionalProperties":false})";
  EXPECT_THAT(Errors(closed, R"({"a":1})"), IsEmpty());
  EXPECT_THAT(Errors(closed, R"({"a":1,"z":2,"b":3})"),
              ElementsAre("/: property \"b\" is not allowed", "/: property \"z\" is not allowed"));
  EXPECT_THAT(Errors(R"({"properties":{"a":{}},"additionalProperties":true})", R"({"b":1})"), IsEmpty());
  EXPECT_THAT(Errors(R"({"properties":{"a":{}}})", R"({"b":1})"), IsEmpty());
}

TEST(JsonSchemaTest, EnumAndConst) {
  EXPECT_THAT(Errors(R"({"properties":{"x":{"enum":["python","bash",1]}}})", R"({"x":"ruby"})"),
              ElementsAre("/x: not one of the enum values [\"python\",\"bash\",1]"));
  EXPECT_THAT(Errors(R"({"enum":["python","bash",1]})", "1.0"), IsEmpty());  // 1 == 1.0
  EXPECT_THAT(Errors(R"({"enum":[{"a":[1]}]})", R"({"a":[1]})"), IsEmpty());
  EXPECT_THAT(Errors(R"({"const":5})", "5"), IsEmpty());
  EXPECT_THAT(Errors(R"({"const":5})", "6"), ElementsAre("/: not equal to the const value 5"));
  EXPECT_THAT(Errors(R"({"const":null})", "0"), ElementsAre("/: not equal to the const value null"));
}

TEST(JsonSchemaTest, ItemCounts) {
  const std::string schema = R"({"type":"array","minItems":2,"maxItems":3,"items":{"type":"integer"}})";
  EXPECT_THAT(Errors(schema, "[1,2]"), IsEmpty());
  EXPECT_THAT(Errors(schema, "[1]"), ElementsAre("/: expected at least 2 items, got 1"));
  EXPECT_THAT(Errors(schema, "[1,2,3,4.5]"),
              ElementsAre("/: expected at most 3 items, got 4", "/3: expected integer, got number"));
}

TEST(JsonSchemaTest, StringLengthsCountCodePoints) {
  const std::string schema = R"({"type":"string","minLength":2,"maxLength":3})";
  EXPECT_THAT(Errors(schema, R"("ab")"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"("日本語")"), IsEmpty());  // 9 bytes, 3 characters
  EXPECT_THAT(Errors(schema, R"("a")"), ElementsAre("/: expected at least 2 characters, got 1"));
  EXPECT_THAT(Errors(schema, R"("abcd")"), ElementsAre("/: expected at most 3 characters, got 4"));
  EXPECT_THAT(Errors(R"({"maxLength":2.0})", R"("abc")"), ElementsAre("/: expected at most 2 characters, got 3"));
}

TEST(JsonSchemaTest, AnyOf) {
  const std::string schema = R"({"anyOf":[{"type":"string","maxLength":1},{"type":"integer"}]})";
  EXPECT_THAT(Errors(schema, R"("a")"), IsEmpty());
  EXPECT_THAT(Errors(schema, "4"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"("ab")"), ElementsAre("/: matches none of the 2 anyOf alternatives"));
  EXPECT_THAT(Errors(R"({"properties":{"v":)" + schema + "}}", R"({"v":null})"),
              ElementsAre("/v: matches none of the 2 anyOf alternatives"));
}

TEST(JsonSchemaTest, BooleanSchemas) {
  EXPECT_THAT(Errors("true", R"({"anything":[1]})"), IsEmpty());
  EXPECT_THAT(Errors(R"({"properties":{"no":false}})", R"({"no":1})"), ElementsAre("/no: no value is allowed here"));
}

TEST(JsonSchemaTest, AnnotationsAreAccepted) {
  EXPECT_THAT(Errors(R"({"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://example.com/s",
                        "$comment":"c","title":"t","description":"d","default":{"x":1},"examples":[1],"type":"integer"})",
                     "1"),
              IsEmpty());
}

TEST(JsonSchemaTest, LocalRefs) {
  const std::string schema = R"({
    "$defs": {"name": {"type": "string", "minLength": 1}},
    "definitions": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/node"}},
                                                              "name": {"$ref": "#/$defs/name"}}}},
    "$ref": "#/definitions/node"
  })";
  EXPECT_THAT(Errors(schema, R"({"name":"a","children":[{"name":"b","children":[]}]})"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"({"name":"a","children":[{"name":""},{"children":[{"name":3}]}]})"),
              ElementsAre("/children/0/name: expected at least 1 characters, got 0",
                          "/children/1/children/0/name: expected string, got number"));
  EXPECT_THAT(Errors(R"({"type":"array","items":{"$ref":"#"}})", "[[[]],[1]]"),
              ElementsAre("/1/0: expected array, got number"));
}

TEST(JsonSchemaTest, UnsupportedKeywordsAreRefusedWithTheirPointer) {
  EXPECT_EQ(CompileError(R"({"properties":{"when":{"type":"string","format":"date-time"}}})"),
            "schema /properties/when: unsupported keyword \"format\"");
  EXPECT_EQ(CompileError(R"({"pattern":"^a"})"), "schema /: unsupported keyword \"pattern\"");
  EXPECT_EQ(CompileError(R"({"items":{"minimum":1}})"), "schema /items: unsupported keyword \"minimum\"");
  EXPECT_EQ(CompileError(R"({"anyOf":[{},{"oneOf":[]}]})"), "schema /anyOf/1: unsupported keyword \"oneOf\"");
  EXPECT_EQ(CompileError(R"({"$defs":{"a":{"not":{}}}})"), "schema /$defs/a: unsupported keyword \"not\"");
  EXPECT_EQ(CompileError(R"({"properties":{"a":{"$id":"x"}}})"), "schema /properties/a: \"$id\" is only supported at the root");
}

TEST(JsonSchemaTest, MalformedKeywordsAreRefused) {
  EXPECT_EQ(CompileError("[1]"), "schema /: a schema must be an object or a boolean");
  EXPECT_EQ(CompileError("{"), "schema: not valid JSON");
  EXPECT_EQ(CompileError(R"({"type":"float"})"), "schema /: unknown type \"float\"");
  EXPECT_EQ(CompileError(R"({"type":[]})"), "schema /: \"type\" must not be an empty list");
  EXPECT_EQ(CompileError(R"({"type":["null","null"]})"), "schema /: type \"null\" listed twice");
  EXPECT_EQ(CompileError(R"({"properties":[]})"), "schema /: \"properties\" must be an object");
  EXPECT_EQ(CompileError(R"({"required":[1]})"), "schema /: \"required\" must be a list of property names");
  EXPECT_EQ(CompileError(R"({"additionalProperties":{}})"),
            "schema /: \"additionalProperties\" must be true or false (schemas are not supported)");
  EXPECT_EQ(CompileError(R"({"enum":1})"), "schema /: \"enum\" must be a list");
  EXPECT_EQ(CompileError(R"({"items":[{}]})"), "schema /: \"items\" must be one schema (the list form is not supported)");
  EXPECT_EQ(CompileError(R"({"minItems":-1})"), "schema /: \"minItems\" must be a non-negative integer");
  EXPECT_EQ(CompileError(R"({"maxLength":1.5})"), "schema /: \"maxLength\" must be a non-negative integer");
  EXPECT_EQ(CompileError(R"({"anyOf":[]})"), "schema /: \"anyOf\" must be a non-empty list of schemas");
  EXPECT_EQ(CompileError(R"({"properties":{"a":{"properties":{"b":3}}}})"),
            "schema /properties/a/properties/b: a schema must be an object or a boolean");
}

TEST(JsonSchemaTest, RefsOtherThanLocalDefinitionsAreRefused) {
  EXPECT_EQ(CompileError(R"({"$ref":"https://example.com/s.json"})"),
            "schema /: remote \"$ref\" \"https://example.com/s.json\" is not supported");
  EXPECT_EQ(CompileError(R"({"properties":{"a":{"$ref":"#/$defs/missing"}}})"),
            "schema /properties/a: \"$ref\" \"#/$defs/missing\" names no entry of the root's \"$defs\" or \"definitions\"");
  EXPECT_EQ(CompileError(R"({"$ref":"#/properties/a","properties":{"a":{}}})"),
            "schema /: \"$ref\" \"#/properties/a\" names no entry of the root's \"$defs\" or \"definitions\"");
  EXPECT_EQ(CompileError(R"({"properties":{"a":{"$defs":{}}}})"),
            "schema /properties/a: \"$defs\" is only supported at the root");
  EXPECT_EQ(CompileError(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"})"),
            "schema /$defs/a: \"$ref\" cycle that never descends into the value");
  EXPECT_EQ(CompileError(R"({"$ref":"#"})"), "schema /: \"$ref\" cycle that never descends into the value");
}

TEST(JsonSchemaTest, DeepDocumentsAreBounded) {
  std::string deep_schema;
  for (int i = 0; i < 100; ++i) deep_schema += R"({"items":)";
  deep_schema += "true";
  for (int i = 0; i < 100; ++i) deep_schema += "}";
  EXPECT_EQ(CompileError(deep_schema), "schema /: nests deeper than 64 levels");

  std::string deep_value(300, '[');
  deep_value += std::string(300, ']');
  std::vector<std::string> errors = Errors(R"({"items":{"$ref":"#"}})", deep_value);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::EndsWith(": nested deeper than 128 levels"));
}

TEST(JsonSchemaTest, ExponentialAnyOfStopsAtTheBudget) {
  // Each level tries both alternatives and both fail at the bottom: 2^depth visits unbounded.
  const std::string schema = R"({"anyOf":[{"type":"array","items":{"$ref":"#"}},{"type":"array","items":{"$ref":"#"}}]})";
  std::string value(40, '[');
  value += "1";
  value += std::string(40, ']');
  EXPECT_THAT(Errors(schema, value), ElementsAre("/: validation stopped: the check would take too long"));
}

TEST(JsonSchemaTest, CheckJoinsViolations) {
  absl::Status s = Compiled(R"({"required":["a","b"]})").Check(nlohmann::json::object());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "/: missing required property \"a\"; /: missing required property \"b\"");
  EXPECT_TRUE(Compiled(R"({"required":["a"]})").Check({{"a", 1}}).ok());
}

}  // namespace
}  // namespace switchyard::tools
