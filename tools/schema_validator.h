// SchemaValidator: checks one JSON value against compiled SchemaNodes (see json_schema.h for the
// rules) and collects every violation with its JSON pointer. One validator per Validate call.
//
// Bounded work: values nested deeper than kMaxDepth, or a check costing more than kMaxSteps node
// visits (anyOf over nested anyOf is exponential in the worst case), end with one violation
// saying so rather than running away.
#ifndef SWITCHYARD_TOOLS_SCHEMA_VALIDATOR_H_
#define SWITCHYARD_TOOLS_SCHEMA_VALIDATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tools/json_schema.h"
#include "tools/schema_node.h"

namespace switchyard::tools {

class SchemaValidator {
 public:
  static constexpr int kMaxDepth = 128;
  static constexpr int64_t kMaxSteps = 1'000'000;

  explicit SchemaValidator(const std::vector<SchemaNode>& nodes) : nodes_(nodes) {}
  std::vector<SchemaViolation> Validate(const nlohmann::json& instance);

 private:
  void Check(int node, const nlohmann::json& v, int depth, std::vector<SchemaViolation>& out);
  void Add(std::vector<SchemaViolation>& out, std::string message) const;

  const std::vector<SchemaNode>& nodes_;
  std::string pointer_;  // of the value being checked; tokens pushed and popped as Check descends
  int64_t steps_ = 0;
  bool over_budget_ = false;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_SCHEMA_VALIDATOR_H_
