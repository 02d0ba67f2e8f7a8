#include "router/workflows/json_template.h"

#include "absl/strings/str_cat.h"

namespace switchyard::workflows {
namespace {

// "code: why", "files[2]: why", "options.mode: why": one dotted path however deep the error is.
absl::Status At(const std::string& where, JsonTemplate::Kind inner, const absl::Status& s) {
  const char* sep = inner == JsonTemplate::Kind::kObject ? "." : inner == JsonTemplate::Kind::kArray ? "" : ": ";
  return absl::InvalidArgumentError(absl::StrCat(where, sep, s.message()));
}

}  // namespace

absl::StatusOr<nlohmann::json> JsonTemplate::Evaluate(const ValueResolver& resolver) const {
  switch (kind) {
    case Kind::kLiteral:
      return literal;
    case Kind::kTemplate:
      return text.Evaluate(resolver);
    case Kind::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (size_t i = 0; i < keys.size() && i < items.size(); ++i) {
        auto v = items[i].Evaluate(resolver);
        if (!v.ok()) return At(keys[i], items[i].kind, v.status());
        out[keys[i]] = *std::move(v);
      }
      return out;
    }
    case Kind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = 0; i < items.size(); ++i) {
        auto v = items[i].Evaluate(resolver);
        if (!v.ok()) return At(absl::StrCat("[", i, "]"), items[i].kind, v.status());
        out.push_back(*std::move(v));
      }
      return out;
    }
  }
  return nlohmann::json();
}

}  // namespace switchyard::workflows
