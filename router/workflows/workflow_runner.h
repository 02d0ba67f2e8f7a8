// WorkflowRunner: runs a loaded Workflow step by step against a WorkflowBackend.
//
// Steps run in file order, one at a time. Each step:
//   - `if:` false: skipped (status "skipped", output "");
//   - model: renders system + prompt, calls Chat with the route pinned to the role, keeps the
//     answer (extract: text | code | json). Fails on a non-OK call, a run that finished with
//     error, run_limit or cancelled, or JSON that is not there;
//   - tool: renders `with:` into the arguments object and calls CallTool; fails when the call
//     fails or the tool reports !ok. A program that exits non-zero is a tool that worked:
//     test steps look at result.exit_code;
//   - repeat: runs its steps up to `max` rounds, stopping when `until:` holds after a round;
//     `until` still false after the last round fails the step (with `error:` as the message).
// A failed call is retried up to retry.attempts times in all, except failures that cannot go
// better (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED, UNIMPLEMENTED) and
// template errors, which are not calls. A failed step ends the workflow unless it says
// continue_on_error. A step's values are those of its latest run: in a repeat, a step sees the
// previous round's values of the steps after it.
//
// Thread safety: one Run at a time per runner; the backend is called from the calling thread.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_RUNNER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "router/workflows/workflow.h"
#include "router/workflows/workflow_backend.h"

namespace switchyard::workflows {

// Progress, as it happens: what `switchyard run` prints on stderr.
struct StepEvent {
  enum class Type { kStarted, kRetrying, kFinished, kSkipped };
  Type type = Type::kStarted;
  std::string id;
  StepKind kind = StepKind::kModel;
  std::string target;       // the role or tool; empty for repeat
  std::string loop;         // the innermost repeat around the step; empty at the top level
  int round = 0;            // its round in that repeat (1-based)
  int attempt = 0;          // kRetrying: the attempt that failed; kFinished: attempts made
  int rounds = 0;           // kFinished, repeat steps: rounds run
  bool ok = false;          // kFinished
  int64_t latency_ms = 0;   // kFinished
  std::string error;        // kRetrying, kFinished when !ok
};

// One run of one step (a step in a repeat has a record per round), in the order steps started.
struct StepRecord {
  std::string id;
  std::string name;         // the step's label (its id unless the file gives a name)
  StepKind kind = StepKind::kModel;
  std::string target;
  std::string status;       // "ok" | "failed" | "skipped"
  std::string loop;
  int round = 0;
  int attempts = 0;
  int rounds = 0;           // repeat: rounds run
  int64_t latency_ms = 0;
  std::string output;
  std::string error;
  // Model steps.
  std::string finish;
  std::string trace_id;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_prompt_tokens = 0;
};

struct RunResult {
  bool ok = false;
  std::string error;         // why the workflow stopped, naming the step: "step \"test\": ..."
  std::string failed_step;   // that step's id; empty when an output failed
  nlohmann::json outputs = nlohmann::json::object();  // evaluated even after a failure, as far as they can be
  std::vector<StepRecord> steps;
  int64_t latency_ms = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_prompt_tokens = 0;
};

struct RunOptions {
  absl::Time deadline = absl::InfiniteFuture();         // the whole run's
  std::function<void(const StepEvent&)> on_event;       // may be empty
  std::function<absl::Time()> now;                      // empty: absl::Now
  std::function<void(absl::Duration)> sleep;            // empty: absl::SleepFor (retry delays)
};

class WorkflowRunner {
 public:
  WorkflowRunner(WorkflowBackend& backend, RunOptions options);

  // `inputs`: an object from ResolveInputs (every declared input present).
  RunResult Run(const Workflow& workflow, const nlohmann::json& inputs);

 private:
  WorkflowBackend& backend_;
  RunOptions options_;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_RUNNER_H_
