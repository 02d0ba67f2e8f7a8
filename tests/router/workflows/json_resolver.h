// A ValueResolver over one JSON document, for tests of expressions and templates: the path
// inputs.spec reads doc["inputs"]["spec"]; a missing key is an error, as in a real run.
#ifndef SWITCHYARD_TESTS_ROUTER_WORKFLOWS_JSON_RESOLVER_H_
#define SWITCHYARD_TESTS_ROUTER_WORKFLOWS_JSON_RESOLVER_H_

#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"

namespace switchyard::workflows::testing {

class JsonResolver final : public ValueResolver {
 public:
  explicit JsonResolver(nlohmann::json doc) : doc_(std::move(doc)) {}
  absl::StatusOr<nlohmann::json> Resolve(const ValuePath& path) const override {
    const nlohmann::json* cur = &doc_;
    for (const auto& part : path.parts) {
      if (const auto* key = std::get_if<std::string>(&part)) {
        if (!cur->is_object() || !cur->contains(*key)) return absl::InvalidArgumentError(absl::StrCat(path.text, ": not found"));
        cur = &(*cur)[*key];
      } else {
        const auto i = static_cast<size_t>(std::get<int64_t>(part));
        if (!cur->is_array() || i >= cur->size()) return absl::InvalidArgumentError(absl::StrCat(path.text, ": not found"));
        cur = &(*cur)[i];
      }
    }
    return *cur;
  }

 private:
  nlohmann::json doc_;
};

}  // namespace switchyard::workflows::testing

#endif  // SWITCHYARD_TESTS_ROUTER_WORKFLOWS_JSON_RESOLVER_H_
