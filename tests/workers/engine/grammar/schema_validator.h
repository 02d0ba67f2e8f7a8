// A small JSON Schema validator for the keywords constrained decoding supports, written apart
// from the grammar so that the decoding test checks the outputs against an independent reading
// of the schema.
#ifndef SWITCHYARD_TESTS_ENGINE_GRAMMAR_SCHEMA_VALIDATOR_H_
#define SWITCHYARD_TESTS_ENGINE_GRAMMAR_SCHEMA_VALIDATOR_H_

#include <string>

#include "nlohmann/json.hpp"

namespace switchyard::testing {

// Empty when `value` satisfies `schema`, else why not (with a JSON pointer).
std::string SchemaViolation(const nlohmann::ordered_json& schema, const nlohmann::ordered_json& value,
                            const std::string& at = "");

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ENGINE_GRAMMAR_SCHEMA_VALIDATOR_H_
