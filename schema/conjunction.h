// Conjunctions: the schema nodes that all apply to one value ("$ref" adds its target beside the
// node, "anyOf" one of its alternatives, "properties" of two schemas meet on the same member),
// and the flat Branches a conjunction unfolds into once "$ref" and "anyOf" are taken apart.
// A Branch is the merged reading of its nodes' own keywords: the types all of them allow, the
// tightest bounds, each member's schemas together. The finite-value check
// (conjunction_graph.h) and the engine's grammar compiler both read values through Branches,
// so what one calls satisfiable the other can generate.
//
// Thread safety: pure functions over an immutable Schema.
#ifndef SWITCHYARD_SCHEMA_CONJUNCTION_H_
#define SWITCHYARD_SCHEMA_CONJUNCTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "schema/schema.h"

namespace switchyard::schema {

// Node indices, sorted and unique; empty: any value.
using Conjunction = std::vector<int>;

// One key per meaning as far as cheaply seen: a node holding nothing but "$ref" becomes its
// target, nodes constraining nothing (true, {}, annotations only) are dropped.
Conjunction Canonical(const Schema& schema, std::vector<int> nodes);

struct Member {
  std::string name;
  Conjunction value;  // every schema given for the name; empty when only "required" names it
  bool required = false;
  int value_id = -1;  // filled in by ConjunctionGraph
};

struct Branch {
  std::vector<int> nodes;  // sorted; each node's own keywords apply ("$ref"/"anyOf" unfolded)
  bool typed = false;      // some node says "type"
  // The types every node allows (all when !typed); kTypeNumber carries kTypeInteger with it,
  // so that "number" meeting "integer" leaves integers.
  TypeSet types = kAllTypes;
  // The types the nodes' structural keywords point at: object for properties, required or
  // additionalProperties; array for items, minItems or maxItems; string for min/maxLength.
  TypeSet implied = 0;
  // Some node says "enum" or "const": the value is one of `values`, those that satisfy every
  // node of the branch.
  bool has_values = false;
  std::vector<nlohmann::ordered_json> values;
  uint64_t min_length = 0;
  std::optional<uint64_t> max_length;
  uint64_t min_items = 0;
  std::optional<uint64_t> max_items;
  Conjunction items;  // empty: any items
  int items_id = -1;  // filled in by ConjunctionGraph
  // Declared names (in the order the nodes declare them), then required names nobody
  // declares; names a closed node ("additionalProperties": false) does not declare are absent.
  std::vector<Member> members;
  bool object_possible = true;  // false when a closed node forbids a required name
};

inline constexpr int kMaxBranches = 1024;

// The branches of `conjunction` in "anyOf" order, duplicates removed (none: no value at all).
// InvalidArgument beyond kMaxBranches ("<where> <pointer>: ...", the pointer of the
// conjunction's first node).
absl::StatusOr<std::vector<Branch>> Unfold(const Schema& schema, const Conjunction& conjunction,
                                           absl::string_view where);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_CONJUNCTION_H_
