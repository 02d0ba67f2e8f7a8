// JsonSchema: a tool's JSON Schema for its arguments, parsed once by schema/ and then used to
// validate many instances. The keywords supported, ignored and refused are listed once, in
// schema/keywords.h; the engine's grammar compiler reads the same parsed structure, so a
// schema a tool accepts is one constrained decoding can honour, and the reverse.
//
// Refusals are InvalidArgument naming the keyword and where it sits, e.g.
//   schema /properties/when: unsupported keyword "format"
// Violations carry the instance's JSON pointer ("/" for the root) and come in a deterministic
// order (schema/validator.h).
//
// Thread safety: immutable after Parse; Validate may run from many threads at once.
#ifndef SWITCHYARD_TOOLS_JSON_SCHEMA_H_
#define SWITCHYARD_TOOLS_JSON_SCHEMA_H_

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "schema/parser.h"
#include "schema/schema.h"
#include "schema/validator.h"

namespace switchyard::tools {

using SchemaViolation = schema::Violation;

class JsonSchema {
 public:
  // Schema documents deeper than this are refused (keeps every walk's recursion bounded).
  static constexpr int kMaxSchemaDepth = schema::kMaxSchemaDepth;

  // InvalidArgument when `text` is not JSON or the schema uses anything unsupported.
  static absl::StatusOr<JsonSchema> Parse(absl::string_view text);
  static absl::StatusOr<JsonSchema> Compile(const nlohmann::json& schema);

  // Every violation found, empty when `instance` is valid.
  std::vector<SchemaViolation> Validate(const nlohmann::json& instance) const;
  // OK, or InvalidArgument listing the violations joined with "; ".
  absl::Status Check(const nlohmann::json& instance) const;

  const nlohmann::json& schema_json() const { return schema_; }
  const schema::Schema& parsed() const { return parsed_; }

 private:
  JsonSchema(nlohmann::json json, schema::Schema parsed) : schema_(std::move(json)), parsed_(std::move(parsed)) {}

  nlohmann::json schema_;
  schema::Schema parsed_;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_JSON_SCHEMA_H_
