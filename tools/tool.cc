#include "tools/tool.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard::tools {
namespace {

bool ValidName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<Tool> Tool::Create(std::string name, std::string description, absl::string_view parameters_json,
                                  ToolExecutor executor) {
  if (!ValidName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tool name \"", name, "\" must be 1 to 64 letters, digits, '_' or '-'"));
  }
  absl::StatusOr<JsonSchema> schema = JsonSchema::Parse(parameters_json);
  if (!schema.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("tool \"", name, "\": ", schema.status().message()));
  }
  // Tool arguments are always an object (OpenAI function calling): say so in the schema too.
  const nlohmann::json& j = schema->schema_json();
  if (!j.is_object() || !j.contains("type") || j["type"] != "object") {
    return absl::InvalidArgumentError(
        absl::StrCat("tool \"", name, "\": the parameters schema must have \"type\": \"object\""));
  }
  return Tool{std::move(name), std::move(description), *std::move(schema), std::string(parameters_json),
              std::move(executor)};
}

}  // namespace switchyard::tools
