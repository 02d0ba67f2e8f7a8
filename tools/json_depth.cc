#include "tools/json_depth.h"

#include <utility>
#include <vector>

namespace switchyard::tools {

bool JsonDepthExceeds(const nlohmann::json& value, int max_depth) {
  std::vector<std::pair<const nlohmann::json*, int>> stack = {{&value, 0}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth + 1 > max_depth) return true;
    for (const nlohmann::json& child : *v) stack.emplace_back(&child, depth + 1);
  }
  return false;
}

}  // namespace switchyard::tools
