// Node: one (sub)schema after parsing, its keywords checked and its "$ref" resolved to a node
// index, so that neither the validator nor the grammar compiler looks at schema JSON again.
// Nodes live in a Schema (schema.h) and refer to each other by index.
// Thread safety: a plain value, immutable once the parser has built it.
#ifndef SWITCHYARD_SCHEMA_NODE_H_
#define SWITCHYARD_SCHEMA_NODE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "schema/keywords.h"

namespace switchyard::schema {

// Bits of Node::types, in the order messages list them.
enum TypeBit : uint8_t {
  kTypeObject = 1 << 0,
  kTypeArray = 1 << 1,
  kTypeString = 1 << 2,
  kTypeNumber = 1 << 3,
  kTypeInteger = 1 << 4,
  kTypeBoolean = 1 << 5,
  kTypeNull = 1 << 6,
};
using TypeSet = uint8_t;
inline constexpr TypeSet kAllTypes = 0x7F;

struct Property {
  std::string name;
  int node;
};

struct Node {
  std::string pointer;      // where it sits in the schema document ("" for the root)
  bool reject_all = false;  // the `false` schema
  KeywordSet keywords = 0;  // the keywords present (annotations not counted)
  TypeSet types = 0;        // 0: no "type", any type
  std::vector<Property> properties;     // "properties" in declared order
  std::vector<int> properties_by_name;  // indices into `properties`, sorted by name
  std::vector<std::string> required;    // in the schema's order (messages follow it)
  bool additional_properties = true;
  std::vector<nlohmann::ordered_json> enum_values;  // "enum", as written
  std::optional<nlohmann::ordered_json> const_value;
  int items = -1;  // node index, -1 when absent
  std::optional<uint64_t> min_items, max_items, min_length, max_length;
  std::vector<int> any_of;
  int ref = -1;  // node index of the "$ref" target, -1 when absent

  bool Has(Keyword k) const { return (keywords & Bit(k)) != 0; }
  // The index into `properties` of `name`, or -1.
  int FindProperty(const std::string& name) const;
};

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_NODE_H_
