// Validate: checks a JSON value against a parsed Schema and lists every violation with the
// instance's JSON pointer ("/" for the root), in a deterministic order (properties by name,
// items by index). The keywords and their meaning are those of keywords.h: integers include
// 2.0, string lengths count code points, enum and const compare as JSON (1 == 1.0).
//
// Bounded work: values nested deeper than kMaxValueDepth end with one violation saying so, and
// a check costing more than kMaxSteps node visits (anyOf over nested anyOf is exponential in
// the worst case) ends with the single violation
//   /: validation stopped: the check would take too long
// Thread safety: pure functions over an immutable Schema; safe from many threads at once.
#ifndef SWITCHYARD_SCHEMA_VALIDATOR_H_
#define SWITCHYARD_SCHEMA_VALIDATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "schema/schema.h"

namespace switchyard::schema {

inline constexpr int kMaxValueDepth = 128;
inline constexpr int64_t kMaxSteps = 1'000'000;

struct Violation {
  std::string pointer;  // JSON pointer into the instance, "/" for the root
  std::string message;  // e.g. `expected string, got number`
  std::string ToString() const { return pointer + ": " + message; }
};

// Every violation of the schema's root by `instance`; empty when it is valid.
std::vector<Violation> Validate(const Schema& schema, const nlohmann::json& instance);

// Whether `instance` satisfies node `node` (all of its keywords, "$ref" and "anyOf" included).
bool Satisfies(const Schema& schema, int node, const nlohmann::json& instance);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_VALIDATOR_H_
