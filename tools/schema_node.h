// SchemaNode: one compiled JSON Schema (sub)schema, the form JsonSchema keeps after checking the
// keywords once, so that validation never looks at schema JSON again. Internal to tools/: built by
// JsonSchema::Compile, read by SchemaValidator.
#ifndef SWITCHYARD_TOOLS_SCHEMA_NODE_H_
#define SWITCHYARD_TOOLS_SCHEMA_NODE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"

namespace switchyard::tools {

// Bits of SchemaNode::types, in the order messages list them.
enum SchemaType : uint8_t {
  kTypeObject = 1 << 0,
  kTypeArray = 1 << 1,
  kTypeString = 1 << 2,
  kTypeNumber = 1 << 3,
  kTypeInteger = 1 << 4,
  kTypeBoolean = 1 << 5,
  kTypeNull = 1 << 6,
};

struct SchemaNode {
  std::string pointer;        // where it sits in the schema document ("" for the root)
  bool reject_all = false;    // the `false` schema
  uint8_t types = 0;          // 0: no "type" keyword, anything goes
  // "properties", sorted by name (binary-searched for additionalProperties).
  std::vector<std::pair<std::string, int>> properties;
  std::vector<std::string> required;  // in the schema's order: messages follow it
  bool additional_properties = true;
  std::optional<nlohmann::json> enum_values;  // an array
  std::optional<nlohmann::json> const_value;
  int items = -1;  // node index, -1 when absent
  std::optional<uint64_t> min_items, max_items, min_length, max_length;
  std::vector<int> any_of;
  int ref = -1;          // node index of the "$ref" target, -1 when absent
  std::string ref_text;  // the "$ref" as written, until it is resolved
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_SCHEMA_NODE_H_
