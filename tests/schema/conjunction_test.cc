// Conjunctions and the ConjunctionGraph: what the finite-value check and the grammar compiler
// read. Canonical keys, branches in "anyOf" order, merged keywords, members, recursion and
// finiteness.
#include "schema/conjunction.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schema/conjunction_graph.h"
#include "schema/parser.h"

namespace switchyard::schema {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Schema Parsed(const std::string& text) {
  absl::StatusOr<Schema> s = ParseSchema(text, "schema");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : *ParseSchema("true", "schema");
}

int At(const Schema& s, const std::string& pointer) {
  for (int i = 0; i < s.size(); ++i) {
    if (s.node(i).pointer == pointer) return i;
  }
  ADD_FAILURE() << "no node at " << pointer;
  return 0;
}

std::vector<Branch> Branches(const Schema& s, const Conjunction& c) {
  absl::StatusOr<std::vector<Branch>> b = Unfold(s, c, "schema");
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : std::vector<Branch>{};
}

std::vector<std::string> MemberNames(const Branch& b) {
  std::vector<std::string> out;
  for (const Member& m : b.members) out.push_back(m.name + (m.required ? "!" : ""));
  return out;
}

TEST(ConjunctionTest, CanonicalFollowsPureRefsAndDropsTrivialNodes) {
  const Schema s = Parsed(R"({"$defs": {"a": {"type": "string"}, "b": {"$ref": "#/$defs/a"}},
      "properties": {"r": {"$ref": "#/$defs/b"}, "t": true, "e": {"title": "x"}, "f": false,
                     "k": {"$ref": "#/$defs/a", "maxLength": 1}}})");
  const int a = At(s, "/$defs/a");
  EXPECT_THAT(Canonical(s, {At(s, "/properties/r")}), ElementsAre(a));
  EXPECT_THAT(Canonical(s, {At(s, "/properties/t"), At(s, "/properties/e")}), IsEmpty());
  EXPECT_THAT(Canonical(s, {At(s, "/properties/f")}), ElementsAre(At(s, "/properties/f")));
  const int k = At(s, "/properties/k");
  EXPECT_THAT(Canonical(s, {k, At(s, "/properties/r"), k}), ElementsAre(std::min(a, k), std::max(a, k)));
}

TEST(ConjunctionTest, UnfoldTakesRefsBesideAndAnyOfInOrder) {
  const Schema s = Parsed(R"({"$defs": {"d": {"anyOf": [{"type": "integer"}, false, {"type": "string"}]}},
      "$ref": "#/$defs/d", "anyOf": [{"minLength": 1}, {"maxLength": 5}]})");
  const std::vector<Branch> b = Branches(s, {Schema::kRoot});
  // (minLength, integer), (minLength, string), (maxLength, integer), (maxLength, string); the
  // `false` alternative leaves no branch.
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].types, kTypeInteger);
  EXPECT_EQ(b[0].min_length, 1u);
  EXPECT_EQ(b[1].types, kTypeString);
  EXPECT_EQ(b[1].min_length, 1u);
  EXPECT_EQ(b[2].types, kTypeInteger);
  EXPECT_EQ(b[2].max_length, 5u);
  EXPECT_EQ(b[3].types, kTypeString);
  EXPECT_EQ(b[3].max_length, 5u);
  for (const Branch& x : b) EXPECT_TRUE(x.typed);
  EXPECT_THAT(b[0].nodes, ElementsAre(0, At(s, "/anyOf/0"), At(s, "/$defs/d"), At(s, "/$defs/d/anyOf/0")));  // sorted
}

TEST(ConjunctionTest, MergeIntersectsTypesAndTightensBounds) {
  const Schema s = Parsed(R"({"type": ["number", "string", "array"], "minLength": 2, "maxItems": 4,
      "items": {"type": "integer"},
      "anyOf": [{"type": ["integer", "array"], "minItems": 1, "maxItems": 9, "items": {"maxLength": 3}},
                {"maxLength": 7, "minLength": 1}]})");
  const std::vector<Branch> b = Branches(s, {Schema::kRoot});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].types, kTypeInteger | kTypeArray);  // number meeting integer leaves integers
  EXPECT_EQ(b[0].min_items, 1u);
  EXPECT_EQ(b[0].max_items, 4u);
  EXPECT_THAT(b[0].items, ElementsAre(At(s, "/items"), At(s, "/anyOf/0/items")));
  EXPECT_EQ(b[1].types, kTypeNumber | kTypeInteger | kTypeString | kTypeArray);
  EXPECT_EQ(b[1].min_length, 2u);
  EXPECT_EQ(b[1].max_length, 7u);
  EXPECT_EQ(b[1].implied, kTypeString | kTypeArray);
  EXPECT_FALSE(b[1].has_values);
}

TEST(ConjunctionTest, UntypedBranchesKeepTheTypesTheirKeywordsImply) {
  const Schema s = Parsed(R"({"anyOf": [{"properties": {}}, {"required": ["a"]}, {"additionalProperties": true},
      {"items": true}, {"minItems": 0}, {"maxLength": 1}, {"title": "nothing"}]})");
  const std::vector<Branch> b = Branches(s, {Schema::kRoot});
  ASSERT_EQ(b.size(), 7u);
  const TypeSet implied[] = {kTypeObject, kTypeObject, kTypeObject, kTypeArray, kTypeArray, kTypeString, 0};
  for (size_t i = 0; i < b.size(); ++i) {
    EXPECT_FALSE(b[i].typed) << i;
    EXPECT_EQ(b[i].types, kAllTypes) << i;
    EXPECT_EQ(b[i].implied, implied[i]) << i;
  }
}

TEST(ConjunctionTest, MembersMeetAcrossNodes) {
  const Schema s = Parsed(R"({"$defs": {"base": {"properties": {"id": {"type": "integer"}, "tag": {"type": "string"}},
                                                  "required": ["id"]}},
      "$ref": "#/$defs/base", "properties": {"tag": {"maxLength": 3}, "note": true}, "required": ["extra"],
      "anyOf": [{"additionalProperties": false, "properties": {"id": true, "tag": true, "note": true, "extra": true}},
                {"additionalProperties": false, "properties": {"id": true, "tag": true}}]})");
  const std::vector<Branch> b = Branches(s, {Schema::kRoot});
  ASSERT_EQ(b.size(), 2u);
  // Declared names in node order (root first), then required names nobody declares.
  EXPECT_THAT(MemberNames(b[0]), ElementsAre("tag", "note", "id!", "extra!"));
  EXPECT_TRUE(b[0].object_possible);
  EXPECT_THAT(b[0].members[0].value, ElementsAre(At(s, "/properties/tag"), At(s, "/$defs/base/properties/tag")));
  EXPECT_THAT(b[0].members[1].value, IsEmpty());  // `true` constrains nothing
  // The second alternative closes the object without "note" or the required "extra".
  EXPECT_THAT(MemberNames(b[1]), ElementsAre("tag", "id!"));
  EXPECT_FALSE(b[1].object_possible);
}

TEST(ConjunctionTest, ValuesAreThoseTheWholeBranchAllows) {
  const Schema s = Parsed(R"({"enum": [1, "a", "abc", null, 2.5], "anyOf": [{"type": "string", "maxLength": 2},
                                                                         {"type": ["integer", "null"]}]})");
  const std::vector<Branch> b = Branches(s, {Schema::kRoot});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_TRUE(b[0].has_values);
  ASSERT_EQ(b[0].values.size(), 1u);
  EXPECT_EQ(b[0].values[0], "a");
  ASSERT_EQ(b[1].values.size(), 2u);
  EXPECT_EQ(b[1].values[0], 1);
  EXPECT_TRUE(b[1].values[1].is_null());
}

// The graph's entry for `c`.
const ConjunctionGraph::Entry& EntryOf(const ConjunctionGraph& g, const Conjunction& c) {
  for (int id = 0; id < g.size(); ++id) {
    if (g.entry(id).nodes == c) return g.entry(id);
  }
  ADD_FAILURE() << "no entry";
  return g.entry(0);
}

TEST(ConjunctionGraphTest, RecursionAndFiniteness) {
  const Schema s = Parsed(R"({"$defs": {"never": {"type": "object", "properties": {"again": {"$ref": "#/$defs/never"}},
                                                   "required": ["again"]}},
      "type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}},
                                       "never": {"$ref": "#/$defs/never"}}})");
  absl::StatusOr<ConjunctionGraph> g = ConjunctionGraph::Build(s, "schema");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->root_value(), ConjunctionGraph::RootValue::kFinite);
  EXPECT_EQ(g->size(), 4);  // the root, name, children, never (children's items are the root again)
  const ConjunctionGraph::Entry& root = g->entry(ConjunctionGraph::kRoot);
  EXPECT_THAT(root.nodes, ElementsAre(Schema::kRoot));
  const ConjunctionGraph::Entry& children = EntryOf(*g, {At(s, "/properties/children")});
  const ConjunctionGraph::Entry& name = EntryOf(*g, {At(s, "/properties/name")});
  const ConjunctionGraph::Entry& never = EntryOf(*g, {At(s, "/$defs/never")});
  EXPECT_TRUE(root.recursive);
  EXPECT_TRUE(children.recursive);
  EXPECT_EQ(root.scc, children.scc);
  EXPECT_FALSE(name.recursive);
  EXPECT_TRUE(never.recursive);  // itself, through "again"
  EXPECT_NE(never.scc, root.scc);
  EXPECT_TRUE(root.finite);
  EXPECT_TRUE(children.finite);
  EXPECT_TRUE(name.finite);
  EXPECT_FALSE(never.finite);
  EXPECT_EQ(root.min_depth, 0);
  EXPECT_EQ(never.min_depth, ConjunctionGraph::kNoDepth);
  ASSERT_EQ(root.branches.size(), 1u);
  ASSERT_EQ(root.branches[0].members.size(), 3u);
  EXPECT_EQ(&g->entry(root.branches[0].members[1].value_id), &children);
  EXPECT_EQ(&g->entry(children.branches[0].items_id), &root);
}

TEST(ConjunctionGraphTest, MinDepthCountsTheDescentsAShortestValueNeeds) {
  // a -> b -> c -> a, each an array of at least one of the next; only c may also be null.
  const Schema s = Parsed(R"({"$defs": {
      "a": {"type": "array", "items": {"$ref": "#/$defs/b"}, "minItems": 1},
      "b": {"type": "object", "properties": {"c": {"$ref": "#/$defs/c"}}, "required": ["c"]},
      "c": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/a"}, "minItems": 1}]}},
      "$ref": "#/$defs/a"})");
  absl::StatusOr<ConjunctionGraph> g = ConjunctionGraph::Build(s, "schema");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(EntryOf(*g, {At(s, "/$defs/a")}).min_depth, 2);  // [{"c": null}]
  EXPECT_EQ(EntryOf(*g, {At(s, "/$defs/b")}).min_depth, 1);
  EXPECT_EQ(EntryOf(*g, {At(s, "/$defs/c")}).min_depth, 0);
  EXPECT_TRUE(EntryOf(*g, {At(s, "/$defs/a")}).recursive);
}

TEST(ConjunctionGraphTest, SubschemasWithoutAValueAreMarked) {
  // The parser refuses a root without a finite value (parser_test.cc shows both messages); a
  // member the value need not have may lack one.
  const Schema s = Parsed(R"({"properties": {"a": {"type": "string", "enum": [1]},
                                             "b": {"items": {"$ref": "#"}, "minItems": 1}}})");
  absl::StatusOr<ConjunctionGraph> g = ConjunctionGraph::Build(s, "schema");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->root_value(), ConjunctionGraph::RootValue::kFinite);
  EXPECT_FALSE(EntryOf(*g, {At(s, "/properties/a")}).finite);
  EXPECT_TRUE(EntryOf(*g, {At(s, "/properties/b")}).finite);  // [1]: the root allows numbers
}

}  // namespace
}  // namespace switchyard::schema
