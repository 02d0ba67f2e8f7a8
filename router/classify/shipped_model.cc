#include "router/classify/shipped_model.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace switchyard::classify {

std::string ShippedModelPath() {
  namespace fs = std::filesystem;
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SWITCHYARD_CLASSIFIER_MODEL"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back((exe.parent_path() / "../.." / kShippedModelRelativePath).lexically_normal().string());
  candidates.push_back(std::string(SWITCHYARD_SOURCE_DIR) + "/" + kShippedModelRelativePath);
  for (const std::string& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c;
  }
  return candidates.back();
}

}  // namespace switchyard::classify
