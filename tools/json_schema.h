// JsonSchema: a JSON Schema for tool arguments, compiled once and then used to validate many
// instances. It supports exactly the keywords that constrained decoding can also honour:
//
//   type (one name or a list of object, array, string, number, integer, boolean, null),
//   properties, required, additionalProperties (true or false), enum, const, items (one schema),
//   minItems, maxItems, minLength, maxLength, anyOf, and local "$ref" to "#", "#/$defs/<name>" or
//   "#/definitions/<name>" (the "$defs" / "definitions" themselves only at the root).
//   Annotations accepted and ignored: description, title, default, $schema, examples.
//   Boolean schemas (true, false) are accepted wherever a schema is.
//
// Every other keyword ("pattern", "format", "minimum", "oneOf", remote "$ref", ...) is refused
// with InvalidArgument naming it and where it sits, e.g.
//   schema /properties/when: unsupported keyword "format"
// because silently ignoring a constraint would let the model's output pass a check it never met.
//
// Validation follows JSON Schema: numbers without a fractional part are integers (2.0 is one),
// string lengths count Unicode code points, enum/const compare 1 and 1.0 as equal. Violations
// carry the instance's JSON pointer ("/" for the root) and come in a deterministic order.
//
// Thread safety: immutable after Compile; Validate may run from many threads at once.
#ifndef SWITCHYARD_TOOLS_JSON_SCHEMA_H_
#define SWITCHYARD_TOOLS_JSON_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tools/schema_node.h"

namespace switchyard::tools {

struct SchemaViolation {
  std::string pointer;  // JSON pointer into the instance, "/" for the root
  std::string message;  // e.g. `expected string, got number`
  std::string ToString() const { return pointer + ": " + message; }
};

class JsonSchema {
 public:
  // Schema documents deeper than this are refused (keeps compilation's recursion bounded).
  static constexpr int kMaxSchemaDepth = 64;

  // InvalidArgument when `text` is not JSON or the schema uses anything unsupported.
  static absl::StatusOr<JsonSchema> Parse(absl::string_view text);
  static absl::StatusOr<JsonSchema> Compile(const nlohmann::json& schema);

  // Every violation found, empty when `instance` is valid.
  std::vector<SchemaViolation> Validate(const nlohmann::json& instance) const;
  // OK, or InvalidArgument listing the violations joined with "; ".
  absl::Status Check(const nlohmann::json& instance) const;

  const nlohmann::json& schema_json() const { return schema_; }

 private:
  JsonSchema() = default;
  friend class SchemaCompiler;

  nlohmann::json schema_;
  std::vector<SchemaNode> nodes_;  // nodes_[0] is the root
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_JSON_SCHEMA_H_
