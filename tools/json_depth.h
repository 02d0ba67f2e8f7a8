// JsonDepthExceeds: whether a JSON value nests deeper than a limit, measured without recursion,
// so that untrusted documents can be refused before any recursive code (compile, validate, dump,
// compare) walks them.
#ifndef SWITCHYARD_TOOLS_JSON_DEPTH_H_
#define SWITCHYARD_TOOLS_JSON_DEPTH_H_

#include "nlohmann/json.hpp"

namespace switchyard::tools {

// A scalar has depth 0; [] and {} have depth 1; [[1]] has depth 2.
bool JsonDepthExceeds(const nlohmann::json& value, int max_depth);

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_JSON_DEPTH_H_
