// JSON Schema -> Grammar, for constrained decoding of JSON response formats and tool calls.
//
// The language is canonical JSON as Python's json.dumps writes it (what Qwen3's template shows
// the model): ": " after keys, ", " between members and items, no other whitespace; object
// members in the schema's declared order, required ones always present, optional ones
// skippable, no undeclared keys.
//
// Supported keywords: type (object, array, string, number, integer, boolean, null, or a list of
// them), properties, required, additionalProperties (a boolean: undeclared keys are never
// generated either way), enum, const, items, minItems, maxItems, anyOf, minLength, maxLength
// (code points); annotations (title, description, default, examples, $schema, $id, $comment)
// are ignored. Anything else ($ref, format, pattern, minimum, oneOf, ...) is InvalidArgument at
// compile time naming the keyword and its JSON pointer, e.g.
//   response_format.json_schema /properties/date: "format" is not supported by constrained decoding
// Numbers have at most Grammar::kMaxIntegerDigits integer and kMaxFractionDigits fraction
// digits and no exponent, so that a bounded schema always gives a bounded output.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "workers/engine/grammar/grammar.h"

namespace switchyard {

// `where` prefixes error messages ("response_format.json_schema").
absl::StatusOr<Grammar> CompileJsonSchema(absl::string_view schema_json, absl::string_view where);

struct ToolSchema {
  std::string name;
  std::string parameters;  // the tool's JSON Schema for its arguments; empty: no arguments ({})
};

// The Qwen3 (hermes) envelope the output parser reads, with the name choosing the schema:
//   <tool_call>\n{"name": "<name>", "arguments": <arguments>}\n</tool_call>
// InvalidArgument for no tools, a duplicate name, or a schema CompileJsonSchema refuses (the
// message names tools[i].function.parameters).
absl::StatusOr<Grammar> CompileToolCallGrammar(absl::Span<const ToolSchema> tools);

// Any JSON object (OpenAI's json_object response format), in the same canonical form: members
// with any string keys (duplicates are not prevented) and values of any type. A schema cannot
// say this ({"type": "object"} compiles to "{}" only: undeclared keys are never generated), and
// the grammar has no recursion, so objects and arrays nest at most `max_depth` levels.
Grammar AnyJsonObjectGrammar(int max_depth = 6);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_
