// The parser of workflow expressions: tokens (condition_lexer.h) into the tree an Expression
// evaluates (condition_node.h), by recursive descent over the grammar in condition.h. Parentheses
// and `not` nest at most 64 deep, which bounds the recursion of parsing, evaluating and freeing
// alike, whatever the input. Errors are InvalidArgument "at column N: <what>".
//
// Thread safety: pure function.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_PARSER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_PARSER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "router/workflows/condition.h"
#include "router/workflows/condition_lexer.h"
#include "router/workflows/condition_node.h"

namespace switchyard::workflows {

// REQUIRES: `tokens` ends with a kEnd token, as LexExpression's do. Appends each path the
// expression reads to *paths, in order.
absl::StatusOr<std::unique_ptr<Expression::Node>> ParseExpressionTokens(std::vector<ExpressionToken> tokens,
                                                                         std::vector<ValuePath>* paths);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_PARSER_H_
