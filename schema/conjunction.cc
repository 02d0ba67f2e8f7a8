#include "schema/conjunction.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "schema/schema_error.h"
#include "schema/validator.h"

namespace switchyard::schema {
namespace {

constexpr KeywordSet kObjectKeywords =
    Bit(Keyword::kProperties) | Bit(Keyword::kRequired) | Bit(Keyword::kAdditionalProperties);
constexpr KeywordSet kArrayKeywords = Bit(Keyword::kItems) | Bit(Keyword::kMinItems) | Bit(Keyword::kMaxItems);
constexpr KeywordSet kStringKeywords = Bit(Keyword::kMinLength) | Bit(Keyword::kMaxLength);

void SortUnique(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// The keywords of `nodes` merged into one Branch.
Branch Merge(const Schema& schema, std::vector<int> nodes) {
  Branch b;
  b.nodes = std::move(nodes);
  std::vector<int> items;
  for (int index : b.nodes) {
    const Node& n = schema.node(index);
    if (n.types != 0) {
      b.typed = true;
      b.types &= (n.types & kTypeNumber) ? TypeSet(n.types | kTypeInteger) : n.types;
    }
    if (n.keywords & kObjectKeywords) b.implied |= kTypeObject;
    if (n.keywords & kArrayKeywords) b.implied |= kTypeArray;
    if (n.keywords & kStringKeywords) b.implied |= kTypeString;
    if (n.min_length) b.min_length = std::max(b.min_length, *n.min_length);
    if (n.max_length) b.max_length = std::min(b.max_length.value_or(*n.max_length), *n.max_length);
    if (n.min_items) b.min_items = std::max(b.min_items, *n.min_items);
    if (n.max_items) b.max_items = std::min(b.max_items.value_or(*n.max_items), *n.max_items);
    if (n.items >= 0) items.push_back(n.items);
    if (!b.has_values && (n.const_value || n.Has(Keyword::kEnum))) {
      b.has_values = true;
      b.values = n.const_value ? std::vector<nlohmann::ordered_json>{*n.const_value} : n.enum_values;
    }
  }
  b.items = Canonical(schema, std::move(items));
  if (b.has_values) {
    // Checked against every node with its "$ref" and "anyOf": a value kept here satisfies the
    // whole conjunction, whichever branch it is listed under.
    std::erase_if(b.values, [&](const nlohmann::ordered_json& v) {
      const nlohmann::json instance(v);
      return !std::all_of(b.nodes.begin(), b.nodes.end(),
                          [&](int index) { return Satisfies(schema, index, instance); });
    });
    return b;
  }

  std::vector<std::string> names;
  std::set<std::string> seen;
  for (int index : b.nodes) {
    for (const Property& p : schema.node(index).properties) {
      if (seen.insert(p.name).second) names.push_back(p.name);
    }
  }
  for (int index : b.nodes) {
    for (const std::string& r : schema.node(index).required) {
      if (seen.insert(r).second) names.push_back(r);
    }
  }
  for (const std::string& name : names) {
    Member m;
    m.name = name;
    bool allowed = true;
    std::vector<int> value;
    for (int index : b.nodes) {
      const Node& n = schema.node(index);
      const int p = n.FindProperty(name);
      if (p >= 0) value.push_back(n.properties[static_cast<size_t>(p)].node);
      if (p < 0 && !n.additional_properties) allowed = false;
      if (std::find(n.required.begin(), n.required.end(), name) != n.required.end()) m.required = true;
    }
    if (!allowed) {
      if (m.required) b.object_possible = false;
      continue;
    }
    m.value = Canonical(schema, std::move(value));
    b.members.push_back(std::move(m));
  }
  return b;
}

}  // namespace

Conjunction Canonical(const Schema& schema, std::vector<int> nodes) {
  Conjunction out;
  for (int index : nodes) {
    // The parser refused "$ref" cycles that never descend, so this chain ends.
    while (!schema.node(index).reject_all && schema.node(index).keywords == Bit(Keyword::kRef)) {
      index = schema.node(index).ref;
    }
    const Node& n = schema.node(index);
    if (n.reject_all || n.keywords != 0) out.push_back(index);
  }
  SortUnique(out);
  return out;
}

absl::StatusOr<std::vector<Branch>> Unfold(const Schema& schema, const Conjunction& conjunction,
                                           absl::string_view where) {
  // A branch in the making: the nodes taken so far and those still to take.
  struct Partial {
    std::vector<int> taken;
    std::vector<int> pending;  // a stack
  };
  std::vector<std::vector<int>> flats;
  std::vector<Partial> stack;
  stack.push_back({{}, std::vector<int>(conjunction.rbegin(), conjunction.rend())});
  while (!stack.empty()) {
    Partial p = std::move(stack.back());
    stack.pop_back();
    bool dead = false;
    while (!p.pending.empty() && !dead) {
      const int index = p.pending.back();
      p.pending.pop_back();
      if (std::find(p.taken.begin(), p.taken.end(), index) != p.taken.end()) continue;
      const Node& n = schema.node(index);
      if (n.reject_all) {
        dead = true;
        continue;
      }
      p.taken.push_back(index);
      if (n.ref >= 0) p.pending.push_back(n.ref);
      if (n.any_of.empty()) continue;
      // Later alternatives wait on the stack, so branches come out in "anyOf" order.
      for (size_t i = n.any_of.size() - 1; i >= 1; --i) {
        Partial q = p;
        q.pending.push_back(n.any_of[i]);
        stack.push_back(std::move(q));
      }
      p.pending.push_back(n.any_of[0]);
      if (flats.size() + stack.size() > static_cast<size_t>(kMaxBranches)) {
        // Named by the schema of the value whose alternatives multiply.
        return SchemaError(where, schema.node(conjunction.front()).pointer,
                           absl::StrCat("\"anyOf\" and \"$ref\" unfold into more than ", kMaxBranches,
                                        " alternatives"));
      }
    }
    if (dead) continue;
    SortUnique(p.taken);
    if (std::find(flats.begin(), flats.end(), p.taken) == flats.end()) flats.push_back(std::move(p.taken));
  }
  std::vector<Branch> out;
  out.reserve(flats.size());
  for (std::vector<int>& f : flats) out.push_back(Merge(schema, std::move(f)));
  return out;
}

}  // namespace switchyard::schema
