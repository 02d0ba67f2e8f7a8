// ReferenceScope: what a template or condition at one place of a workflow file may name, so a
// misspelt step or input is an error when the file loads, not when a model has already run.
//
//   inputs.NAME                      a declared input
//   steps.ID.FIELD                   a step that runs before this point, or any step of a
//                                    repeat this point is inside (its previous round's value)
//   steps.ID.result.a[0]["b c"]      result only: the tool's JSON, or the model's extracted JSON
//   loop.round, loop.max             inside a repeat: the round (1-based) and the rounds at most
//
// Fields: output, ok, error, status, attempts, latency_ms, skipped; model steps add reasoning
// (and result with extract: json), tool steps add result, repeat steps add rounds.
//
// Thread safety: a value; copy it to open an inner scope.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_REFERENCE_SCOPE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_REFERENCE_SCOPE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "router/workflows/condition.h"
#include "router/workflows/workflow.h"

namespace switchyard::workflows {

// What the loader knows of a step before parsing it fully: enough to check a field name.
struct StepShape {
  StepKind kind = StepKind::kModel;
  bool json_result = false;  // a model step with extract: json
};

struct ReferenceScope {
  std::vector<std::string> inputs;
  std::map<std::string, StepShape> visible;               // steps whose values exist here
  const std::map<std::string, StepShape>* all = nullptr;  // every step of the file
  int loop_depth = 0;                                      // repeats around this point
  std::vector<std::string> enclosing;                      // their ids, outermost first
  std::string step_id;                                     // the step being read; empty for outputs

  // InvalidArgument "<path>: <why>" when `path` names nothing here.
  absl::Status Check(const ValuePath& path) const;
  // Check for each path of the expression.
  absl::Status Check(const Expression& e) const;
};

// The fields a step of `shape` has, in the order messages list them.
std::vector<std::string> StepFields(const StepShape& shape);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_REFERENCE_SCOPE_H_
