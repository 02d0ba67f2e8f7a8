#include "tools/json_schema.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace switchyard::tools {
namespace {

// The prefix of every message about a tool's schema.
constexpr char kWhere[] = "schema";

}  // namespace

absl::StatusOr<JsonSchema> JsonSchema::Parse(absl::string_view text) {
  // Parsed in declared order for schema/ (messages and member order follow the document).
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  } catch (const std::exception&) {
    document = nlohmann::ordered_json::value_t::discarded;
  }
  if (document.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(kWhere, ": not valid JSON"));
  absl::StatusOr<schema::Schema> parsed = schema::ParseSchemaDocument(document, kWhere);
  if (!parsed.ok()) return parsed.status();
  try {
    return JsonSchema(nlohmann::json(document), *std::move(parsed));
  } catch (const std::exception& e) {  // nlohmann throws; nothing leaves tools/ as an exception
    return absl::InternalError(absl::StrCat(kWhere, ": ", e.what()));
  }
}

absl::StatusOr<JsonSchema> JsonSchema::Compile(const nlohmann::json& schema) {
  try {
    absl::StatusOr<schema::Schema> parsed = schema::ParseSchemaDocument(nlohmann::ordered_json(schema), kWhere);
    if (!parsed.ok()) return parsed.status();
    return JsonSchema(schema, *std::move(parsed));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(kWhere, ": ", e.what()));
  }
}

std::vector<SchemaViolation> JsonSchema::Validate(const nlohmann::json& instance) const {
  return schema::Validate(parsed_, instance);
}

absl::Status JsonSchema::Check(const nlohmann::json& instance) const {
  std::vector<SchemaViolation> v = Validate(instance);
  if (v.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrJoin(v, "; ", [](std::string* out, const SchemaViolation& x) { out->append(x.ToString()); }));
}

}  // namespace switchyard::tools
