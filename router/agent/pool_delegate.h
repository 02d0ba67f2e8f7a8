// PoolDelegate: ask_coder, ask_translator and ask_reasoner as the router runs them — a
// sub-conversation (the task as one user message, no tools) on the role's pool through the
// router's WorkerClient, so under its one retry rule (once, on another replica, before the
// first event), within the run's deadline and cancellation. Each attempt is one step of the
// run's trace (delegated_by names the tool call), and its tokens count against the run's budget.
// The request carries the run's cache salt (its tenant's) and its prefix keys (prefix_keys.h).
//
// Ask blocks the tool thread it runs on (RoleDelegate is a blocking interface) while the call
// itself is asynchronous: no gRPC thread waits.
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
#include "router/agent/worker_client.h"
#include "switchyard/v1/router.pb.h"
#include "tools/role_delegate.h"

namespace switchyard {

class PoolDelegate final : public tools::RoleDelegate {
 public:
  struct Hooks {
    // The policy's word on using `role` (PERMISSION_DENIED ends the delegation, not the run).
    std::function<absl::Status(std::string_view role)> admit_role;
    // Called once per attempt with its trace and the worker's usage (zero when it failed
    // first; the trace has no field for its cached prompt tokens), in attempt order; the
    // callee numbers the step.
    std::function<void(v1::StepTrace, const v1::Usage&)> record;
  };
  // `client` must outlive the delegate. `calls` is the run's (shared with it).
  PoolDelegate(WorkerClient& client, std::string trace_id, std::string cache_salt, int32_t max_tokens,
               std::shared_ptr<ActiveCalls> calls, Hooks hooks)
      : client_(client), trace_id_(std::move(trace_id)), cache_salt_(std::move(cache_salt)), max_tokens_(max_tokens),
        calls_(std::move(calls)), hooks_(std::move(hooks)) {}

  absl::StatusOr<std::string> Ask(std::string_view role, std::string_view task, const tools::ToolContext& context) override;

 private:
  WorkerClient& client_;
  std::string trace_id_;
  std::string cache_salt_;
  int32_t max_tokens_;
  std::shared_ptr<ActiveCalls> calls_;
  Hooks hooks_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_POOL_DELEGATE_H_
