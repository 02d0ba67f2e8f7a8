#include "router/agent/run_trace_builder.h"

#include <utility>

namespace switchyard {

size_t RunTraceBuilder::Add(v1::StepTrace step, const v1::Usage& usage) {
  step.set_step(++numbered_);
  step.set_prompt_tokens(usage.prompt_tokens());
  step.set_completion_tokens(usage.completion_tokens());
  usage_.set_prompt_tokens(usage_.prompt_tokens() + usage.prompt_tokens());
  usage_.set_completion_tokens(usage_.completion_tokens() + usage.completion_tokens());
  usage_.set_cached_prompt_tokens(usage_.cached_prompt_tokens() + usage.cached_prompt_tokens());
  steps_.push_back(std::move(step));
  return steps_.size() - 1;
}

v1::RunTrace RunTraceBuilder::Build(const std::string& end_reason, absl::Time start, absl::Time now) const {
  v1::RunTrace t;
  for (const v1::StepTrace& s : steps_) *t.add_steps() = s;  // Add numbers them in this order
  t.set_end_reason(end_reason);
  *t.mutable_usage() = usage_;
  t.set_wall_ms(absl::ToInt64Milliseconds(now - start));
  return t;
}

}  // namespace switchyard
