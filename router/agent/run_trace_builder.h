// RunTraceBuilder: the trace of one agent run as it happens — every model call (the run's own
// steps and the delegations its tools make, numbered in one sequence in the order they end),
// their tool results, and the tokens used over all of them (prompt, completion, and the prompt
// tokens the workers found in their prefix caches) — and the RunTrace it ends with.
// Thread safety: not thread-safe; the run's reactor guards it with its own mutex.
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_TRACE_BUILDER_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_TRACE_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

class RunTraceBuilder {
 public:
  // Numbers `step`, sets its tokens from `usage` (the worker's, for this model call), adds the
  // usage to the run's and keeps the step; returns its index for step(). StepTrace has no field
  // for cached prompt tokens: they count in usage() only.
  size_t Add(v1::StepTrace step, const v1::Usage& usage);
  v1::StepTrace& step(size_t index) { return steps_[index]; }
  const v1::Usage& usage() const { return usage_; }
  int64_t tokens() const { return int64_t{usage_.prompt_tokens()} + usage_.completion_tokens(); }
  // Every step in number order, the end reason, the usage and the wall time since `start`.
  v1::RunTrace Build(const std::string& end_reason, absl::Time start, absl::Time now) const;

 private:
  int32_t numbered_ = 0;
  std::vector<v1::StepTrace> steps_;
  v1::Usage usage_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_TRACE_BUILDER_H_
