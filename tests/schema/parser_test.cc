// ParseSchema: every supported keyword lands in the node graph; every refusal names its keyword
// (or reason) and the JSON pointer of the schema object at fault; "$ref" resolves to node
// indices, cycles that never descend are refused, recursion that does is kept as a cycle;
// boolean schemas; the depth bound; schemas without a finite value.
#include "schema/parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schema/keywords.h"

namespace switchyard::schema {
namespace {

using ::testing::ElementsAre;

absl::StatusOr<Schema> Parse(const std::string& text) { return ParseSchema(text, "schema"); }

std::string Refusal(const std::string& text) {
  absl::StatusOr<Schema> s = Parse(text);
  EXPECT_FALSE(s.ok()) << text;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << text;
  return std::string(s.status().message());
}

// The index of the node at `pointer`, or -1.
int At(const Schema& s, const std::string& pointer) {
  for (int i = 0; i < s.size(); ++i) {
    if (s.node(i).pointer == pointer) return i;
  }
  return -1;
}

std::vector<std::string> Names(const Node& n) {
  std::vector<std::string> out;
  for (const Property& p : n.properties) out.push_back(p.name);
  return out;
}

TEST(ParserTest, EveryKeywordLandsInTheNode) {
  absl::StatusOr<Schema> s = Parse(R"({
    "type": ["object", "null"],
    "properties": {"b": {"type": "integer"}, "a": {"type": "array", "items": {"type": "number"},
                                                  "minItems": 1, "maxItems": 2.0}},
    "required": ["b", "z"],
    "additionalProperties": false,
    "anyOf": [{"enum": [{"y": 1, "x": 2}, "s"]}, {"const": null}, true]
  })");
  ASSERT_TRUE(s.ok()) << s.status();
  const Node& root = s->root();
  EXPECT_EQ(root.pointer, "");
  EXPECT_EQ(root.types, kTypeObject | kTypeNull);
  EXPECT_EQ(root.keywords, Bit(Keyword::kType) | Bit(Keyword::kProperties) | Bit(Keyword::kRequired) |
                               Bit(Keyword::kAdditionalProperties) | Bit(Keyword::kAnyOf));
  EXPECT_THAT(Names(root), ElementsAre("b", "a"));  // declared order
  EXPECT_THAT(root.properties_by_name, ElementsAre(1, 0));
  EXPECT_EQ(root.FindProperty("a"), 1);
  EXPECT_EQ(root.FindProperty("z"), -1);
  EXPECT_THAT(root.required, ElementsAre("b", "z"));
  EXPECT_FALSE(root.additional_properties);

  const Node& b = s->node(root.properties[0].node);
  EXPECT_EQ(b.pointer, "/properties/b");
  EXPECT_EQ(b.types, kTypeInteger);
  const Node& a = s->node(root.properties[1].node);
  EXPECT_EQ(a.pointer, "/properties/a");
  EXPECT_EQ(a.min_items, 1u);
  EXPECT_EQ(a.max_items, 2u);  // 2.0 counts
  EXPECT_FALSE(a.min_length.has_value());
  ASSERT_GE(a.items, 0);
  EXPECT_EQ(s->node(a.items).pointer, "/properties/a/items");
  EXPECT_EQ(s->node(a.items).types, kTypeNumber);

  ASSERT_EQ(root.any_of.size(), 3u);
  const Node& e = s->node(root.any_of[0]);
  EXPECT_EQ(e.pointer, "/anyOf/0");
  ASSERT_EQ(e.enum_values.size(), 2u);
  EXPECT_EQ(e.enum_values[0].dump(), R"({"y":1,"x":2})");  // as written
  const Node& c = s->node(root.any_of[1]);
  ASSERT_TRUE(c.const_value.has_value());
  EXPECT_TRUE(c.const_value->is_null());
  EXPECT_EQ(c.keywords, Bit(Keyword::kConst));
  EXPECT_EQ(s->node(root.any_of[2]).keywords, 0u);
  EXPECT_EQ(s->size(), 7);
}

TEST(ParserTest, StringLengths) {
  absl::StatusOr<Schema> s = Parse(R"({"type": "string", "minLength": 0, "maxLength": 67108864})");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->root().min_length, 0u);
  EXPECT_EQ(s->root().max_length, kMaxCount);
}

TEST(ParserTest, AnnotationsAreIgnored) {
  absl::StatusOr<Schema> s = Parse(R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:x",
      "$comment": "c", "title": "t", "description": 3, "default": {"x": 1}, "examples": [1], "deprecated": true,
      "readOnly": false, "writeOnly": false})");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->root().keywords, 0u);
  EXPECT_EQ(s->size(), 1);
}

TEST(ParserTest, BooleanSchemas) {
  absl::StatusOr<Schema> t = Parse("true");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(t->root().reject_all);
  EXPECT_EQ(t->root().keywords, 0u);
  absl::StatusOr<Schema> nested = Parse(R"({"properties": {"no": false, "yes": true}})");
  ASSERT_TRUE(nested.ok()) << nested.status();
  EXPECT_TRUE(nested->node(At(*nested, "/properties/no")).reject_all);
  EXPECT_FALSE(nested->node(At(*nested, "/properties/yes")).reject_all);
  EXPECT_EQ(Refusal("false"), "schema /: no value satisfies the schema");
}

TEST(ParserTest, RefsResolveToNodeIndices) {
  absl::StatusOr<Schema> s = Parse(R"({
    "$defs": {"name": {"type": "string"}, "a/b~c": {"type": "null"}},
    "definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}},
    "properties": {"n": {"$ref": "#/$defs/name", "maxLength": 3}, "odd": {"$ref": "#/$defs/a~1b~0c"},
                   "tree": {"$ref": "#/definitions/node"}, "self": {"items": {"$ref": "#"}}}
  })");
  ASSERT_TRUE(s.ok()) << s.status();
  const Node& n = s->node(At(*s, "/properties/n"));
  EXPECT_EQ(n.ref, At(*s, "/$defs/name"));
  EXPECT_EQ(n.keywords, Bit(Keyword::kRef) | Bit(Keyword::kMaxLength));  // siblings stay beside the ref
  EXPECT_EQ(s->node(At(*s, "/properties/odd")).ref, At(*s, "/$defs/a~1b~0c"));
  EXPECT_EQ(s->node(At(*s, "/properties/tree")).ref, At(*s, "/definitions/node"));
  // Recursion is a cycle in the graph, never a copy.
  EXPECT_EQ(s->node(At(*s, "/definitions/node/properties/next")).ref, At(*s, "/definitions/node"));
  EXPECT_EQ(s->node(At(*s, "/properties/self/items")).ref, Schema::kRoot);
  EXPECT_EQ(s->root().keywords, Bit(Keyword::kProperties));  // "$defs" and "definitions" are no constraint
}

TEST(ParserTest, CyclesThatNeverDescendAreRefused) {
  EXPECT_EQ(Refusal(R"({"$ref": "#"})"), "schema /: \"$ref\" cycle that never descends into the value");
  EXPECT_EQ(Refusal(R"({"anyOf": [{"type": "null"}, {"$ref": "#"}]})"),
            "schema /: \"$ref\" cycle that never descends into the value");
  EXPECT_EQ(Refusal(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}},
                       "properties": {"x": {"$ref": "#/$defs/a"}}})"),
            "schema /$defs/a: \"$ref\" cycle that never descends into the value");
  // Through "items" or "properties" the value gets smaller each time round: allowed.
  EXPECT_TRUE(Parse(R"({"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#"}}]})").ok());
  EXPECT_TRUE(Parse(R"({"properties": {"next": {"$ref": "#"}}})").ok());
}

TEST(ParserTest, UnsupportedKeywordsAreRefusedWithTheirPointer) {
  for (const char* keyword :
       {"format", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "oneOf",
        "allOf", "not", "if", "then", "else", "patternProperties", "propertyNames", "dependencies",
        "dependentRequired", "dependentSchemas", "minProperties", "maxProperties", "uniqueItems", "contains",
        "minContains", "maxContains", "prefixItems", "additionalItems", "unevaluatedProperties",
        "unevaluatedItems", "contentEncoding", "contentMediaType", "$anchor", "$dynamicRef", "$dynamicAnchor",
        "$recursiveRef", "$vocabulary", "id", "nullable", "example", "x-extension"}) {
    EXPECT_EQ(Refusal(absl::StrCat(R"({"properties": {"a/b": {")", keyword, R"(": 1}}})")),
              absl::StrCat("schema /properties/a~1b: unsupported keyword \"", keyword, "\""));
  }
  EXPECT_EQ(Refusal(R"({"items": {"anyOf": [true, {"format": "date"}]}})"),
            "schema /items/anyOf/1: unsupported keyword \"format\"");
  EXPECT_EQ(Refusal(R"({"definitions": {"d": {"pattern": "x"}}})"), "schema /definitions/d: unsupported keyword \"pattern\"");
  // The first problem in document order is the one reported.
  EXPECT_EQ(Refusal(R"({"pattern": "x", "format": "y"})"), "schema /: unsupported keyword \"pattern\"");
}

TEST(ParserTest, MalformedKeywordsAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"[1]", "schema /: a schema must be an object or a boolean"},
      {"{", "schema: not valid JSON"},
      {"", "schema: not valid JSON"},
      {R"({"type": "float"})", "schema /: unknown type \"float\""},
      {R"({"type": 3})", "schema /: unknown type 3"},
      {R"({"type": []})", "schema /: \"type\" must not be an empty list"},
      {R"({"type": ["null", 1]})", "schema /: unknown type 1"},
      {R"({"type": ["null", "null"]})", "schema /: type \"null\" listed twice"},
      {R"({"properties": []})", "schema /: \"properties\" must be an object"},
      {R"({"properties": {"a": 1}})", "schema /properties/a: a schema must be an object or a boolean"},
      {R"({"required": "a"})", "schema /: \"required\" must be a list of property names"},
      {R"({"required": [1]})", "schema /: \"required\" must be a list of property names"},
      {R"({"additionalProperties": {}})",
       "schema /: \"additionalProperties\" must be true or false (schemas are not supported)"},
      {R"({"enum": 1})", "schema /: \"enum\" must be a list"},
      {R"({"enum": []})", "schema /: \"enum\" must not be an empty list"},
      {R"({"items": [{}]})", "schema /: \"items\" must be one schema (the list form is not supported)"},
      {R"({"items": 1})", "schema /items: a schema must be an object or a boolean"},
      {R"({"minItems": -1})", "schema /: \"minItems\" must be a non-negative integer"},
      {R"({"maxItems": "2"})", "schema /: \"maxItems\" must be a non-negative integer"},
      {R"({"minLength": 1.5})", "schema /: \"minLength\" must be a non-negative integer"},
      {R"({"maxLength": 67108865})", "schema /: \"maxLength\" must be at most 67108864"},
      {R"({"minItems": 3, "maxItems": 2})", "schema /: \"maxItems\" is below \"minItems\""},
      {R"({"minLength": 3, "maxLength": 2})", "schema /: \"maxLength\" is below \"minLength\""},
      {R"({"anyOf": []})", "schema /: \"anyOf\" must be a non-empty list of schemas"},
      {R"({"anyOf": {}})", "schema /: \"anyOf\" must be a non-empty list of schemas"},
      {R"({"anyOf": [3]})", "schema /anyOf/0: a schema must be an object or a boolean"},
      {R"({"$ref": 1})", "schema /: \"$ref\" must be a string"},
      {R"({"$ref": "https://example.com/s.json"})", "schema /: remote \"$ref\" \"https://example.com/s.json\" is not supported"},
      {R"({"$ref": ""})", "schema /: remote \"$ref\" \"\" is not supported"},
      {R"({"properties": {"a": {"$ref": "#/$defs/missing"}}})",
       "schema /properties/a: \"$ref\" \"#/$defs/missing\" names no entry of the root's \"$defs\" or \"definitions\""},
      {R"({"$ref": "#/properties/a", "properties": {"a": {}}})",
       "schema /: \"$ref\" \"#/properties/a\" names no entry of the root's \"$defs\" or \"definitions\""},
      {R"({"$defs": []})", "schema /$defs: \"$defs\" must be an object"},
      {R"({"definitions": 1})", "schema /definitions: \"definitions\" must be an object"},
      {R"({"items": {"$defs": {}}})", "schema /items: \"$defs\" is only supported at the root"},
      {R"({"items": {"definitions": {}}})", "schema /items: \"definitions\" is only supported at the root"},
      {R"({"items": {"$id": "x"}})", "schema /items: \"$id\" is only supported at the root"},
  };
  for (const auto& [schema, message] : cases) EXPECT_EQ(Refusal(schema), message) << schema;
}

// `levels` schemas nested through "items".
std::string Nested(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += R"({"items":)";
  s += "true";
  for (int i = 0; i < levels; ++i) s += "}";
  return s;
}

TEST(ParserTest, DepthIsBounded) {
  EXPECT_TRUE(Parse(Nested(kMaxSchemaDepth)).ok());
  EXPECT_EQ(Refusal(Nested(kMaxSchemaDepth + 1)), "schema /: nests deeper than 64 levels");
  EXPECT_EQ(Refusal(std::string(100000, '[') + std::string(100000, ']')), "schema /: nests deeper than 64 levels");
}

TEST(ParserTest, SchemasWithoutAFiniteValueAreRefused) {
  EXPECT_EQ(Refusal(R"({"type": "string", "enum": [1, null]})"), "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"const": "a", "maxLength": 0})"), "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"anyOf": [false, {"type": "string", "anyOf": [{"type": "null"}]}]})"),
            "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "type": "integer"})"),
            "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"type": "object", "required": ["a"], "additionalProperties": false})"),
            "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"type": "object", "properties": {"a": false}, "required": ["a"]})"),
            "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"type": "array", "items": false, "minItems": 1})"), "schema /: no value satisfies the schema");
  EXPECT_EQ(Refusal(R"({"type": "string", "anyOf": [{"minLength": 3}], "maxLength": 2})"),
            "schema /: no value satisfies the schema");
  const char* kNeverEnds = "schema /: no finite value satisfies the schema: its \"$ref\" recursion never ends";
  EXPECT_EQ(Refusal(R"({"type": "object", "properties": {"next": {"$ref": "#"}}, "required": ["next"]})"), kNeverEnds);
  EXPECT_EQ(Refusal(R"({"type": "array", "items": {"$ref": "#"}, "minItems": 1})"), kNeverEnds);
  EXPECT_EQ(Refusal(R"({"$defs": {"a": {"type": "array", "items": {"$ref": "#/$defs/b"}, "minItems": 1},
                                  "b": {"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}}, "required": ["a"]}},
                       "$ref": "#/$defs/a"})"),
            kNeverEnds);
  // A cycle of 130 arrays with one way out, at the end: its shortest value nests too deep.
  std::string defs;
  for (int i = 0; i < 129; ++i) {
    absl::StrAppend(&defs, "\"d", i, "\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/d", i + 1,
                    "\"}, \"minItems\": 1}, ");
  }
  defs += R"("d129": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/d0"}}]})";
  EXPECT_EQ(Refusal(absl::StrCat(R"({"$defs": {)", defs, R"(}, "$ref": "#/$defs/d0"})")),
            "schema /$defs/d0: its shortest value nests deeper than 128 levels");
  // A way out is enough: an optional member, an empty array, another alternative.
  EXPECT_TRUE(Parse(R"({"type": "object", "properties": {"next": {"$ref": "#"}}})").ok());
  EXPECT_TRUE(Parse(R"({"type": "array", "items": {"$ref": "#"}})").ok());
  EXPECT_TRUE(Parse(R"({"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#"}, "minItems": 1}]})").ok());
  // An unsatisfiable subschema the value need not meet is fine.
  EXPECT_TRUE(Parse(R"({"type": "object", "properties": {"never": {"type": "string", "enum": [1]}}})").ok());
}

TEST(ParserTest, CombinationsAreBounded) {
  // Eleven "anyOf"s of two alternatives each, chained by "$ref": 2^11 branches for one value.
  std::string defs;
  for (int i = 0; i < 11; ++i) {
    absl::StrAppend(&defs, i ? ", " : "", "\"d", i, R"(": {"anyOf": [{"type": "integer"}, {"type": "string"}])",
                    i < 10 ? absl::StrCat(R"(, "$ref": "#/$defs/d)", i + 1, "\"") : "", "}");
  }
  EXPECT_EQ(Refusal(absl::StrCat(R"({"$defs": {)", defs, R"(}, "$ref": "#/$defs/d0"})")),
            "schema /$defs/d0: \"anyOf\" and \"$ref\" unfold into more than 1024 alternatives");
  // Ten give 1024 branches, allowed; the seventeenth value meeting them all (p16) is one too many.
  defs.clear();
  for (int i = 0; i < 10; ++i) {
    absl::StrAppend(&defs, i ? ", " : "", "\"d", i, R"(": {"anyOf": [{"type": "integer"}, {"type": "string"}])",
                    i < 9 ? absl::StrCat(R"(, "$ref": "#/$defs/d)", i + 1, "\"") : "", "}");
  }
  EXPECT_TRUE(Parse(absl::StrCat(R"({"$defs": {)", defs, R"(}, "$ref": "#/$defs/d0"})")).ok());
  std::string properties;
  for (int i = 0; i < 17; ++i) {
    absl::StrAppend(&properties, i ? ", " : "", "\"p", i, R"(": {"$ref": "#/$defs/d0", "maxLength": )", i + 1, "}");
  }
  EXPECT_EQ(Refusal(absl::StrCat(R"({"$defs": {)", defs, R"(}, "properties": {)", properties, "}}")),
            "schema /properties/p16: \"anyOf\", \"$ref\" and \"properties\" combine into too many cases (over 16384 "
            "more than the schema has subschemas)");
}

}  // namespace
}  // namespace switchyard::schema
