// JSON Schema -> Grammar, for constrained decoding of JSON response formats and tool calls.
//
// The schema is parsed by schema/ (schema/parser.h), the same parser the tools' argument
// validator uses: the keywords supported, ignored and refused are listed once, in
// schema/keywords.h, and a schema is refused here exactly when a tool would refuse it, with
// the same message after `where`, e.g.
//   response_format.json_schema /properties/date: unsupported keyword "format"
// The compiler then walks the parsed structure's conjunctions (schema/conjunction_graph.h):
// every value it lets the model write satisfies the schema.
//
// The language is canonical JSON as Python's json.dumps writes it (what Qwen3's template shows
// the model): ": " after keys, ", " between members and items, no other whitespace; object
// members in the schema's declared order, required ones always present, optional ones
// skippable, no undeclared keys ("additionalProperties" true or false alike); enum and const
// values as json.dumps prints them. Where the schema leaves the value open:
//   - a schema constraining nothing ({}, true) allows any JSON value, nested at most
//     kMaxUnrolledDepth levels;
//   - without "type", structural keywords choose it (properties/required/additionalProperties:
//     an object; items/minItems/maxItems: an array; minLength/maxLength: a string), the other
//     types serving only when that choice admits no value;
//   - an array without "items" holds any values.
// Local "$ref" is followed: a non-recursive reference is inlined, a recursive one unrolled
// kMaxUnrolledDepth levels (more where the schema's shortest value nests deeper), the deepest
// level keeping only the branches that end there (an empty array, an optional member left
// out, an "anyOf" alternative without the reference). Schemas no finite value satisfies are
// refused by the parser, so every schema the parser accepts compiles.
// Numbers have at most Grammar::kMaxIntegerDigits integer and kMaxFractionDigits fraction
// digits and no exponent, so that a bounded schema always gives a bounded output.
// Thread safety: pure functions.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "workers/engine/grammar/grammar.h"

namespace switchyard {

// How deep generated values nest where the schema does not bound them: recursive "$ref"
// unrolled this many levels, the values of unconstrained schemas, AnyJsonObjectGrammar().
inline constexpr int kMaxUnrolledDepth = 6;

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
Grammar AnyJsonObjectGrammar(int max_depth = kMaxUnrolledDepth);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_JSON_SCHEMA_GRAMMAR_H_
