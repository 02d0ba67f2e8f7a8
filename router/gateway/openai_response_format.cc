#include "router/gateway/openai_response_format.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "router/gateway/openai_json_fields.h"

namespace switchyard::gateway {

absl::Status ParseResponseFormat(const nlohmann::json& v, v1::ResponseFormat* out) {
  if (!v.is_object()) return FieldError("response_format", "expected an object");
  if (!v.contains("type")) return FieldError("response_format.type", "required");
  auto type = ReadString(v["type"], "response_format.type");
  if (!type.ok()) return type.status();
  if (*type == "text") {
    out->set_type(v1::ResponseFormat::TEXT);
  } else if (*type == "json_object") {
    out->set_type(v1::ResponseFormat::JSON_OBJECT);
  } else if (*type == "json_schema") {
    out->set_type(v1::ResponseFormat::JSON_SCHEMA);
    if (!v.contains("json_schema")) return FieldError("response_format.json_schema", "required");
    const nlohmann::json& js = v["json_schema"];
    if (!js.is_object()) return FieldError("response_format.json_schema", "expected an object");
    if (!js.contains("name")) return FieldError("response_format.json_schema.name", "required");
    auto name = ReadString(js["name"], "response_format.json_schema.name");
    if (!name.ok()) return name.status();
    out->set_name(*name);
    if (!js.contains("schema")) return FieldError("response_format.json_schema.schema", "required");
    if (!js["schema"].is_object()) return FieldError("response_format.json_schema.schema", "expected a JSON Schema object");
    out->set_json_schema(js["schema"].dump());
  } else {
    return FieldError("response_format.type", absl::StrCat("'", *type, "' is not one of text, json_object, json_schema"));
  }
  return absl::OkStatus();
}

}  // namespace switchyard::gateway
