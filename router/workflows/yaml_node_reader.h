// YamlNodeReader: typed values read out of a workflow file's YAML nodes (strings, booleans,
// bounded numbers, one-of-a-list words, mappings with known keys, plain JSON trees), each error
// naming the file, the node's line and the key path:
//
//   codegen.yaml:12: steps[1].retry.attempts: expected an integer from 1 to 10
//
// The workflow loader's building block (workflow_file.h); yaml-cpp stays private to
// switchyard_workflows, so this header only forward-declares YAML::Node.
//
// Thread safety: immutable after construction.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_YAML_NODE_READER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_YAML_NODE_READER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace YAML {
class Node;
}  // namespace YAML

namespace switchyard::workflows {

// `with:` and `schema:` trees nest at most this deep: it bounds our recursion, not yaml-cpp's.
inline constexpr int kMaxYamlValueDepth = 32;

// "where.key", or "key" at the top level: the key paths that messages name.
std::string KeyPath(const std::string& where, absl::string_view key);

// A plain (unquoted) YAML scalar read as YAML 1.2's core schema does: true/false, null, integers
// and floats; anything else, and every quoted scalar, is a string.
nlohmann::json ScalarToJson(const YAML::Node& n);

class YamlNodeReader {
 public:
  explicit YamlNodeReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  // InvalidArgument "<file>:<line>: <where>: <what>"; the line of `at` when it has one, and
  // "(top level)" for an empty `where`.
  absl::Status Error(const YAML::Node& at, const std::string& where, absl::string_view what) const;

  // A mapping whose keys are plain strings, each in `allowed` and given once.
  absl::Status CheckMap(const YAML::Node& map, const std::string& where, const std::vector<std::string>& allowed) const;

  absl::StatusOr<std::string> String(const YAML::Node& n, const std::string& where) const;
  absl::StatusOr<bool> Bool(const YAML::Node& n, const std::string& where) const;
  // In [lo, hi], both included.
  absl::StatusOr<int64_t> Int(const YAML::Node& n, const std::string& where, int64_t lo, int64_t hi) const;
  absl::StatusOr<double> Double(const YAML::Node& n, const std::string& where, double lo, double hi) const;
  // A string from `allowed`; the error calls it "unknown <what>" and lists the choices.
  absl::StatusOr<std::string> OneOf(const YAML::Node& n, const std::string& where, const std::vector<std::string>& allowed,
                                    absl::string_view what) const;
  // The node as plain JSON (scalars by ScalarToJson); `depth` is the caller's nesting so far.
  absl::StatusOr<nlohmann::json> Json(const YAML::Node& n, const std::string& where, int depth) const;

 private:
  std::string file_;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_YAML_NODE_READER_H_
