#include "schema/keywords.h"

#include <iterator>

namespace switchyard::schema {
namespace {

// In Keyword's order: KeywordName indexes it.
constexpr absl::string_view kNames[] = {
    "type",      "properties", "required",  "additionalProperties", "enum",  "const", "items", "minItems",
    "maxItems",  "minLength",  "maxLength", "anyOf",                "$ref",  "$defs", "definitions",
};
static_assert(std::size(kNames) == static_cast<size_t>(Keyword::kDefinitions) + 1);

// JSON Schema's meta-data vocabulary, and the core keywords that only describe the document.
constexpr absl::string_view kAnnotations[] = {"title",    "description", "default",  "examples", "deprecated",
                                              "readOnly", "writeOnly",   "$schema", "$comment"};

}  // namespace

std::optional<Keyword> FindKeyword(absl::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (kNames[i] == name) return static_cast<Keyword>(i);
  }
  return std::nullopt;
}

bool IsAnnotation(absl::string_view name) {
  for (absl::string_view a : kAnnotations) {
    if (a == name) return true;
  }
  return false;
}

absl::string_view KeywordName(Keyword k) { return kNames[static_cast<size_t>(k)]; }

}  // namespace switchyard::schema
