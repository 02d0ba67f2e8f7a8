#include "tests/workers/engine/grammar/schema_validator.h"

#include <cmath>

namespace switchyard::testing {
namespace {

using Json = nlohmann::ordered_json;

int64_t CodePoints(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsType(const std::string& t, const Json& v) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return false;
}

}  // namespace

std::string SchemaViolation(const Json& schema, const Json& value, const std::string& at) {
  const std::string where = at.empty() ? "/" : at;
  if (schema.contains("type")) {
    bool ok = false;
    if (schema["type"].is_string()) ok = IsType(schema["type"], value);
    else for (const Json& t : schema["type"]) ok = ok || IsType(t, value);
    if (!ok) return where + ": wrong type";
  }
  if (schema.contains("const") && schema["const"] != value) return where + ": not the const";
  if (schema.contains("enum")) {
    bool found = false;
    for (const Json& e : schema["enum"]) found = found || e == value;
    if (!found) return where + ": not in enum";
  }
  if (schema.contains("anyOf")) {
    bool any = false;
    for (const Json& s : schema["anyOf"]) any = any || SchemaViolation(s, value, at).empty();
    if (!any) return where + ": matches no anyOf branch";
  }
  if (value.is_string()) {
    const int64_t n = CodePoints(value.get<std::string>());
    if (schema.contains("minLength") && n < schema["minLength"].get<int64_t>()) return where + ": too short";
    if (schema.contains("maxLength") && n > schema["maxLength"].get<int64_t>()) return where + ": too long";
  }
  if (value.is_array()) {
    const int64_t n = static_cast<int64_t>(value.size());
    if (schema.contains("minItems") && n < schema["minItems"].get<int64_t>()) return where + ": too few items";
    if (schema.contains("maxItems") && n > schema["maxItems"].get<int64_t>()) return where + ": too many items";
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string v = SchemaViolation(schema["items"], value[i], at + "/" + std::to_string(i));
        if (!v.empty()) return v;
      }
    }
  }
  if (value.is_object()) {
    const Json props = schema.contains("properties") ? schema["properties"] : Json::object();
    if (schema.contains("required")) {
      for (const Json& r : schema["required"]) {
        if (!value.contains(r.get<std::string>())) return where + ": missing " + r.get<std::string>();
      }
    }
    for (const auto& [k, v] : value.items()) {
      if (props.contains(k)) {
        std::string why = SchemaViolation(props[k], v, at + "/" + k);
        if (!why.empty()) return why;
      } else if (schema.value("additionalProperties", true) == false) {
        return where + ": unexpected key " + k;
      }
    }
  }
  return "";
}

}  // namespace switchyard::testing
