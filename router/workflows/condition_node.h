// Expression::Node: the parse tree of a workflow expression (condition.h), built by the parser
// (condition_parser.h) and walked by the evaluator (condition_evaluator.h); nothing else sees it.
//
// Thread safety: immutable once built; an Expression shares its tree between copies.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_NODE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_NODE_H_

#include <memory>
#include <vector>

#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"

namespace switchyard::workflows {

struct Expression::Node {
  enum class Op { kLiteral, kPath, kNot, kAnd, kOr, kEq, kNe, kLt, kLe, kGt, kGe, kContains };
  Op op = Op::kLiteral;
  nlohmann::json literal;               // kLiteral
  ValuePath path;                       // kPath
  std::vector<std::unique_ptr<Node>> kids;  // operands: one for kNot, two for comparisons, 2+ for and/or
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_NODE_H_
