// schema::Validate and Satisfies on the parsed graph, and JsonEqual (enum/const equality).
// Every keyword's messages are pinned by tests/tools/json_schema_test.cc through the tools'
// JsonSchema; this file covers what is schema/'s own: declared-order values compared as JSON,
// checks from an inner node, "$ref" with siblings.
#include "schema/validator.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schema/json_equal.h"
#include "schema/parser.h"

namespace switchyard::schema {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Errors(const std::string& schema, const std::string& instance) {
  absl::StatusOr<Schema> s = ParseSchema(schema, "schema");
  EXPECT_TRUE(s.ok()) << s.status();
  std::vector<std::string> out;
  if (!s.ok()) return out;
  for (const Violation& v : Validate(*s, nlohmann::json::parse(instance))) out.push_back(v.ToString());
  return out;
}

TEST(JsonEqualTest, NumbersByValueObjectsWhateverTheOrder) {
  using nlohmann::json;
  using nlohmann::ordered_json;
  EXPECT_TRUE(JsonEqual(json::parse("1"), ordered_json::parse("1.0")));
  EXPECT_TRUE(JsonEqual(json::parse("-3"), ordered_json::parse("-3")));
  EXPECT_FALSE(JsonEqual(json::parse("-1"), ordered_json::parse("18446744073709551615")));
  EXPECT_TRUE(JsonEqual(json::parse("18446744073709551615"), ordered_json::parse("18446744073709551615")));
  EXPECT_FALSE(JsonEqual(json::parse("9007199254740993"), ordered_json::parse("9007199254740992")));  // exact
  EXPECT_TRUE(JsonEqual(json::parse(R"({"a":1,"b":[2,{"c":null}]})"), ordered_json::parse(R"({"b":[2,{"c":null}],"a":1})")));
  EXPECT_FALSE(JsonEqual(json::parse(R"({"a":1})"), ordered_json::parse(R"({"a":1,"b":2})")));
  EXPECT_FALSE(JsonEqual(json::parse(R"({"a":1,"c":2})"), ordered_json::parse(R"({"a":1,"b":2})")));
  EXPECT_FALSE(JsonEqual(json::parse("[1,2]"), ordered_json::parse("[2,1]")));
  EXPECT_FALSE(JsonEqual(json::parse(R"("1")"), ordered_json::parse("1")));
  EXPECT_FALSE(JsonEqual(json::parse("true"), ordered_json::parse("1")));
  EXPECT_TRUE(JsonEqual(json::parse("null"), ordered_json::parse("null")));
}

TEST(ValidatorTest, EnumAndConstCompareAsJsonAndShowAsWritten) {
  const std::string schema = R"({"enum": [{"y": 1, "x": 2}, 3]})";
  EXPECT_THAT(Errors(schema, R"({"x": 2.0, "y": 1})"), IsEmpty());
  EXPECT_THAT(Errors(schema, "3.0"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"({"x": 2})"), ElementsAre(R"(/: not one of the enum values [{"y":1,"x":2},3])"));
  EXPECT_THAT(Errors(R"({"const": {"b": [1], "a": null}})", R"({"a": null, "b": [1]})"), IsEmpty());
  EXPECT_THAT(Errors(R"({"const": {"b": [1], "a": null}})", R"({"a": null})"),
              ElementsAre(R"(/: not equal to the const value {"b":[1],"a":null})"));
}

TEST(ValidatorTest, RefSiblingsApplyToo) {
  const std::string schema = R"({"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2})";
  EXPECT_THAT(Errors(schema, R"("ab")"), IsEmpty());
  EXPECT_THAT(Errors(schema, R"("abc")"), ElementsAre("/: expected at most 2 characters, got 3"));
  EXPECT_THAT(Errors(schema, "1"), ElementsAre("/: expected string, got number"));
}

TEST(ValidatorTest, SatisfiesChecksFromAnyNode) {
  const std::string schema = R"({"type": "object", "properties": {"a": {"anyOf": [{"type": "null"}, {"$ref": "#"}]}}})";
  absl::StatusOr<Schema> s = ParseSchema(schema, "schema");
  ASSERT_TRUE(s.ok()) << s.status();
  const int a = s->root().properties[0].node;
  EXPECT_TRUE(Satisfies(*s, a, nlohmann::json(nullptr)));
  EXPECT_TRUE(Satisfies(*s, a, nlohmann::json::parse(R"({"a": {"a": null}})")));
  EXPECT_FALSE(Satisfies(*s, a, nlohmann::json(5)));
  EXPECT_FALSE(Satisfies(*s, a, nlohmann::json::parse(R"({"a": 5})")));
  EXPECT_FALSE(Satisfies(*s, Schema::kRoot, nlohmann::json::parse(R"({"a": {"a": 1}})")));
  EXPECT_THAT(Errors(schema, R"({"a": {"a": 1}})"), ElementsAre("/a: matches none of the 2 anyOf alternatives"));
}

}  // namespace
}  // namespace switchyard::schema
