// PoolDelegate: ask_coder, ask_translator and ask_reasoner as the router runs them — a
// sub-conversation (the task as one user message, no tools) on the least-loaded healthy replica
// of the role, retried once on another replica when the first fails before its first event,
// within the run's deadline and cancellation. Each attempt is one step of the run's trace
// (delegated_by names the tool call), and its tokens count against the run's budget.
// Thread safety: Ask may run on several tool threads at once.
#ifndef SWITCHYARD_ROUTER_AGENT_POOL_DELEGATE_H_
#define SWITCHYARD_ROUTER_AGENT_POOL_DELEGATE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "router/agent/active_calls.h"
#include "router/pools/worker_pools.h"
#include "switchyard/v1/router.pb.h"
#include "tools/role_delegate.h"

namespace switchyard {

class PoolDelegate final : public tools::RoleDelegate {
 public:
  struct Hooks {
    // The policy's word on using `role` (PERMISSION_DENIED ends the delegation, not the run).
    std::function<absl::Status(std::string_view role)> admit_role;
    // Called once per attempt with its trace; the callee numbers the step.
    std::function<void(v1::StepTrace)> record;
  };
  // `pools` must outlive the delegate. `calls` is the run's (may be shared with it).
  PoolDelegate(WorkerPools& pools, std::string trace_id, int32_t max_tokens, std::shared_ptr<ActiveCalls> calls,
               Hooks hooks)
      : pools_(pools), trace_id_(std::move(trace_id)), max_tokens_(max_tokens), calls_(std::move(calls)),
        hooks_(std::move(hooks)) {}

  absl::StatusOr<std::string> Ask(std::string_view role, std::string_view task, const tools::ToolContext& context) override;

 private:
  WorkerPools& pools_;
  std::string trace_id_;
  int32_t max_tokens_;
  std::shared_ptr<ActiveCalls> calls_;
  Hooks hooks_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_POOL_DELEGATE_H_
