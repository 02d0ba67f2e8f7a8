// JsonDepthExceeds: whether a JSON value nests deeper than a limit, measured without recursion,
// so that untrusted documents can be refused before any recursive code (parse, validate, dump,
// compare) walks them.
// Thread safety: pure functions.
#ifndef SWITCHYARD_SCHEMA_JSON_DEPTH_H_
#define SWITCHYARD_SCHEMA_JSON_DEPTH_H_

#include "nlohmann/json.hpp"

namespace switchyard::schema {

// A scalar has depth 0; [] and {} have depth 1; [[1]] has depth 2.
bool JsonDepthExceeds(const nlohmann::json& value, int max_depth);
bool JsonDepthExceeds(const nlohmann::ordered_json& value, int max_depth);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_JSON_DEPTH_H_
