// A small JSON Schema validator, kept deliberately independent of schema/: the grammar compiler
// and the tools' validator now share schema/'s parser and its reading of the keywords, so a
// mistake there would make them agree on a wrong answer; the decoding tests check the model's
// outputs against this separate reading instead. It covers only what those tests' schemas use
// (type, properties, required, additionalProperties, enum, const, anyOf, items, min/max
// lengths and items; no "$ref"), reads the schema JSON directly, and checks nothing about the
// schema itself. tests/schema/ checks schema/'s own validator against MaskBench's labelled
// instances, an oracle written by nobody here.
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
