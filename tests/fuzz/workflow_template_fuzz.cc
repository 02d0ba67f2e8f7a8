// Fuzz target: workflow templates, text with `{{ expression }}` holes. Any bytes parse to a
// template or an InvalidArgument naming a column inside the text; a parsed template renders
// (or fails with InvalidArgument) and a template without holes renders to its own text, minus
// nothing: what is not a hole is copied byte for byte.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "nlohmann/json.hpp"
#include "router/workflows/template.h"

namespace {

class Doc final : public switchyard::workflows::ValueResolver {
 public:
  absl::StatusOr<nlohmann::json> Resolve(const switchyard::workflows::ValuePath& path) const override {
    if (path.Field(0) == "inputs") return nlohmann::json("value");
    if (path.Field(0) == "steps") return nlohmann::json::parse(R"({"exit_code": 1, "lines": ["a"]})");
    return absl::InvalidArgumentError("unknown");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = switchyard::workflows::Template::Parse(text);
  if (!t.ok()) {
    if (t.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    if (size <= (1 << 20) && !absl::StartsWith(t.status().message(), "at column ")) std::abort();
    return 0;
  }
  Doc doc;
  auto s = t->Render(doc);
  if (!s.ok()) {
    if (s.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (!t->has_holes() && *s != text) std::abort();
  auto v = t->Evaluate(doc);
  if (!v.ok()) std::abort();  // Render succeeded, so the same holes evaluate
  return 0;
}
