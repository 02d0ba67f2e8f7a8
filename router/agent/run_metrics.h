// RunMetrics: what an agent run counts as it goes — time to the first token, each model call
// (the run's steps and its delegations), the limit that ended it, each router tool's result.
// The router counts into RouterMetrics (router/service/router_metrics.h); tests may record.
// Thread safety: implementations must be safe from any thread.
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_METRICS_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_METRICS_H_

#include "absl/strings/string_view.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

class RunMetrics {
 public:
  virtual ~RunMetrics() = default;
  virtual void FirstToken(absl::string_view role, double seconds) = 0;
  virtual void ModelCall(const v1::StepTrace& step) = 0;
  virtual void RunLimit(absl::string_view limit) = 0;
  // `arguments_json` is the call's.
  virtual void ToolResult(const v1::ToolResult& result, absl::string_view arguments_json) = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_METRICS_H_
