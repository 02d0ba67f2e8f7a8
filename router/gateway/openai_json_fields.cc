#include "router/gateway/openai_json_fields.h"

#include "absl/strings/str_cat.h"

namespace switchyard::gateway {

absl::Status FieldError(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

std::string IndexPath(absl::string_view path, size_t i) { return absl::StrCat(path, "[", i, "]"); }
std::string KeyPath(absl::string_view path, absl::string_view key) { return absl::StrCat(path, ".", key); }

absl::StatusOr<std::string> ReadString(const nlohmann::json& v, absl::string_view path) {
  if (!v.is_string()) return FieldError(path, "expected a string");
  return v.get<std::string>();
}

absl::StatusOr<bool> ReadBool(const nlohmann::json& v, absl::string_view path) {
  if (!v.is_boolean()) return FieldError(path, "expected true or false");
  return v.get<bool>();
}

absl::StatusOr<double> ReadNumber(const nlohmann::json& v, absl::string_view path, double lo, double hi) {
  if (!v.is_number()) return FieldError(path, "expected a number");
  const double d = v.get<double>();
  if (!(d >= lo && d <= hi)) return FieldError(path, absl::StrCat(v.dump(), " is outside [", lo, ", ", hi, "]"));
  return d;
}

absl::StatusOr<int64_t> ReadInteger(const nlohmann::json& v, absl::string_view path, int64_t lo, int64_t hi) {
  if (!v.is_number_integer()) return FieldError(path, "expected an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) {
    return FieldError(path, absl::StrCat(v.dump(), " is outside [", lo, ", ", hi, "]"));
  }
  const int64_t i = v.get<int64_t>();
  if (i < lo || i > hi) return FieldError(path, absl::StrCat(i, " is outside [", lo, ", ", hi, "]"));
  return i;
}

bool HasValue(const nlohmann::json& object, const char* key) { return object.contains(key) && !object[key].is_null(); }

}  // namespace switchyard::gateway
