#include "schema/json_depth.h"

#include <utility>
#include <vector>

namespace switchyard::schema {
namespace {

template <typename Json>
bool DepthExceeds(const Json& value, int max_depth) {
  std::vector<std::pair<const Json*, int>> stack = {{&value, 0}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth + 1 > max_depth) return true;
    for (const Json& child : *v) stack.emplace_back(&child, depth + 1);
  }
  return false;
}

}  // namespace

bool JsonDepthExceeds(const nlohmann::json& value, int max_depth) { return DepthExceeds(value, max_depth); }
bool JsonDepthExceeds(const nlohmann::ordered_json& value, int max_depth) { return DepthExceeds(value, max_depth); }

}  // namespace switchyard::schema
