// JsonEqual: JSON Schema's equality of two values, for "enum" and "const": numbers compare by
// value (1 == 1.0), objects by their members whatever the order, arrays item by item.
// The instance is an nlohmann::json (what tools parse arguments into); the schema side keeps
// its declared order (nlohmann::ordered_json), whose own operator== would compare key order.
// Thread safety: a pure function. Recursion is bounded by the callers' depth limits.
#ifndef SWITCHYARD_SCHEMA_JSON_EQUAL_H_
#define SWITCHYARD_SCHEMA_JSON_EQUAL_H_

#include "nlohmann/json.hpp"

namespace switchyard::schema {

bool JsonEqual(const nlohmann::json& instance, const nlohmann::ordered_json& value);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_JSON_EQUAL_H_
