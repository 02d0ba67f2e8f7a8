// Evaluating a workflow expression's tree (condition_node.h) against the values of a run: the
// semantics condition.h promises. `and`/`or` return the operand that decides, as in Python;
// `==` compares a number with a string that spells one numerically (inputs arrive as text);
// orderings compare two numbers or two strings; `contains` looks into strings, arrays and
// objects.
//
// Thread safety: pure function; the resolver is only read.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_EVALUATOR_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_EVALUATOR_H_

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"
#include "router/workflows/condition_node.h"

namespace switchyard::workflows {

// InvalidArgument when a path cannot be resolved or an operator meets values it has no meaning
// for (ordering a string and null, a number containing something).
absl::StatusOr<nlohmann::json> EvaluateNode(const Expression::Node& n, const ValueResolver& resolver);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_EVALUATOR_H_
