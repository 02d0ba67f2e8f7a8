// RunValues: what the templates and conditions of a running workflow read: the inputs, every
// step's latest values, and the rounds of the repeats in progress.
//
//   steps.ID.output | ok | error | status | attempts | latency_ms | skipped | reasoning | rounds
//   steps.ID.result[...]       the tool's structured JSON, or a model step's extracted JSON
//
// A step that has not run (or was skipped) reads as "", false, 0 and a null result; a path into a
// null result is null, so `steps.retest.result.exit_code == 0` is simply false before the first
// retest; so is an index past the end of a list. A field that a result object does not have is
// an error naming the fields it has (a typo should not read as "false").
//
// Thread safety: not thread-safe; the runner's thread only.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_RUN_VALUES_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_RUN_VALUES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"
#include "router/workflows/workflow.h"

namespace switchyard::workflows {

struct StepState {
  StepKind kind = StepKind::kModel;
  std::string status = "pending";  // pending | ok | failed | skipped
  std::string output;
  nlohmann::json result;
  std::string error;
  std::string reasoning;
  int attempts = 0;
  int64_t latency_ms = 0;
  int rounds = 0;
};

class RunValues final : public ValueResolver {
 public:
  // Every step of `workflow` starts pending.
  RunValues(const Workflow& workflow, nlohmann::json inputs);

  absl::StatusOr<nlohmann::json> Resolve(const ValuePath& path) const override;

  // REQUIRES: `id` is a step of the workflow.
  StepState& step(const std::string& id) { return steps_.at(id); }

  // The repeats in progress, innermost last.
  void EnterLoop(int max) { loops_.push_back({0, max}); }
  void SetRound(int round) { loops_.back().round = round; }
  void LeaveLoop() { loops_.pop_back(); }

 private:
  struct Loop {
    int round;
    int max;
  };
  void AddSteps(const std::vector<Step>& steps);

  nlohmann::json inputs_;
  std::map<std::string, StepState> steps_;
  std::vector<Loop> loops_;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_RUN_VALUES_H_
