// Fuzz target: the workflow expression language (`if:`, `until:`, inside `{{ }}`). Any bytes
// parse to an expression or an InvalidArgument "at column N: ..." within the text; a parsed
// expression evaluates against a fixed document to a value or an InvalidArgument, never a crash.
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "absl/strings/match.h"
#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"

namespace {

using switchyard::workflows::ValuePath;

// Looks paths up in a small document; the first part picks the branch.
class Doc final : public switchyard::workflows::ValueResolver {
 public:
  absl::StatusOr<nlohmann::json> Resolve(const ValuePath& path) const override {
    static const nlohmann::json doc = nlohmann::json::parse(
        R"({"inputs": {"n": 3, "s": "abc", "t": "4.5", "z": null},
            "steps": {"a": {"ok": true, "output": "x y", "result": {"exit_code": 0, "list": [1, "b", null], "o": {}}}},
            "loop": {"round": 2, "max": 5}})");
    const nlohmann::json* cur = &doc;
    for (const auto& part : path.parts) {
      if (const auto* key = std::get_if<std::string>(&part)) {
        if (!cur->is_object() || !cur->contains(*key)) return absl::InvalidArgumentError("no such path");
        cur = &(*cur)[*key];
      } else {
        const int64_t i = std::get<int64_t>(part);
        if (!cur->is_array() || i < 0 || static_cast<size_t>(i) >= cur->size()) return nlohmann::json();
        cur = &(*cur)[static_cast<size_t>(i)];
      }
    }
    return *cur;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = switchyard::workflows::Expression::Parse(text);
  if (!e.ok()) {
    if (e.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    if (size <= (64 << 10) && !absl::StartsWith(e.status().message(), "at column ")) std::abort();
    return 0;
  }
  if (e->text() != text) std::abort();
  for (const ValuePath& p : e->paths()) {
    if (p.parts.empty() || p.text.empty()) std::abort();
  }
  Doc doc;
  auto v = e->Evaluate(doc);
  if (!v.ok() && v.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
  auto t = e->Test(doc);
  if (v.ok() != t.ok()) std::abort();
  if (v.ok() && switchyard::workflows::Truthy(*v) != *t) std::abort();
  return 0;
}
