// The JSON Schema keywords Switchyard understands: the single list that the parser (parser.h)
// accepts, the validator (validator.h) checks and the engine's grammar compiler honours, so
// that a tool's arguments and a constrained answer obey the same rules.
//
// Supported (each checked once by the parser; anything malformed is InvalidArgument):
//   type                  a name or a non-empty list of distinct names: object, array, string,
//                         number, integer (numbers without a fractional part, 2.0 included),
//                         boolean, null
//   properties            an object of schemas
//   required              a list of property names (undeclared names are allowed)
//   additionalProperties  true or false only (a schema there is refused)
//   enum                  a non-empty list; values compare as JSON (1 == 1.0, key order ignored)
//   const                 any value
//   items                 one schema (the list form is refused)
//   minItems, maxItems, minLength, maxLength
//                         integers in [0, kMaxCount] (2.0 counts); lengths count code points;
//                         a maximum below its minimum is refused
//   anyOf                 a non-empty list of schemas
//   $ref                  "#", "#/$defs/<name>" or "#/definitions/<name>" (tokens escaped as
//                         JSON pointers); a cycle that never descends into the value is refused
//   $defs, definitions    objects of schemas, at the root only
// Annotations, accepted and ignored: the meta-data vocabulary (title, description, default,
// examples, deprecated, readOnly, writeOnly), $schema, $comment, and $id at the root only
// (elsewhere it would rebase the "$ref"s beneath it).
// Boolean schemas (true, false) are accepted wherever a schema is.
//
// Every other keyword ("pattern", "format", "minimum", "oneOf", "allOf", "not", ...) is refused,
// naming itself and where it sits:
//   schema /properties/when: unsupported keyword "format"
// because silently ignoring a constraint would let a value pass a check it never met.
// Thread safety: constants and pure functions.
#ifndef SWITCHYARD_SCHEMA_KEYWORDS_H_
#define SWITCHYARD_SCHEMA_KEYWORDS_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace switchyard::schema {

// The keywords that constrain a value or hold subschemas (annotations are not listed: they
// mean nothing to validation or generation).
enum class Keyword : uint8_t {
  kType,
  kProperties,
  kRequired,
  kAdditionalProperties,
  kEnum,
  kConst,
  kItems,
  kMinItems,
  kMaxItems,
  kMinLength,
  kMaxLength,
  kAnyOf,
  kRef,
  kDefs,         // "$defs"
  kDefinitions,  // "definitions"
};

// A set of Keyword, one bit each.
using KeywordSet = uint32_t;
constexpr KeywordSet Bit(Keyword k) { return KeywordSet{1} << static_cast<int>(k); }

// Counts (minItems, maxLength, ...) above this are refused: every count then fits the
// grammar's code-point counter, and no tool argument or answer is anywhere near that long.
inline constexpr uint64_t kMaxCount = uint64_t{1} << 26;

// The keyword named `name`, or nullopt for annotations and unsupported names.
std::optional<Keyword> FindKeyword(absl::string_view name);
// Whether `name` is an annotation accepted anywhere (not "$id", which the parser places).
bool IsAnnotation(absl::string_view name);
// The keyword as written in schemas ("additionalProperties").
absl::string_view KeywordName(Keyword k);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_KEYWORDS_H_
