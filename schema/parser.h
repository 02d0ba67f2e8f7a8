// ParseSchema: turns a JSON Schema document into a Schema (schema.h), checking every keyword
// once against the single list in keywords.h. The tools' argument validator and the engine's
// grammar compiler both call it, so they accept and refuse exactly the same schemas, with the
// same messages.
//
// Errors are InvalidArgument, "<where> <pointer>: <what>", the pointer locating the schema
// object at fault ("/" for the root):
//   schema /properties/when: unsupported keyword "format"
//   response_format.json_schema /: "maxLength" is below "minLength"
//   schema: not valid JSON
// Besides malformed keywords, three things are refused:
//   - documents nesting deeper than kMaxSchemaDepth (keeps every later walk's recursion bounded);
//   - "$ref" cycles that never descend into the value ({"$ref": "#"}): validating them would
//     never end;
//   - schemas that no finite value satisfies ({"type": "string", "enum": [1]}, or a required
//     property whose schema refers back to the root): a tool that can never be called, an
//     answer that can never end; and recursions whose shortest value nests deeper than the
//     validator's kMaxValueDepth.
// Thread safety: pure functions.
#ifndef SWITCHYARD_SCHEMA_PARSER_H_
#define SWITCHYARD_SCHEMA_PARSER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "schema/schema.h"

namespace switchyard::schema {

inline constexpr int kMaxSchemaDepth = 64;

// `where` prefixes every message ("schema", "response_format.json_schema").
absl::StatusOr<Schema> ParseSchema(absl::string_view text, absl::string_view where);
// The same for a document already parsed (in declared order: member order follows it).
absl::StatusOr<Schema> ParseSchemaDocument(const nlohmann::ordered_json& document, absl::string_view where);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_PARSER_H_
