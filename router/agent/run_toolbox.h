// RunToolbox: the router tools of one request and the context they run in, set up in one place
// for a Chat run and for Router.CallTool alike — each built-in the request names (admitted by
// the policy, in the registry), the documents attached to it, the deadline, cancellation and
// sandbox limits every call gets, and the delegate through which ask_* reach other roles (the
// router's WorkerClient under the request's cache salt, each attempt reported through
// `on_delegation`).
//
//   RunToolbox box(client, policy, {trace_id, max_tokens, deadline, limits, salt}, on_delegation);
//   if (auto tool = box.Add("search_documents", "router_tools[0]"); !tool.ok()) ...;
//   if (auto s = box.AddDocuments(request.documents()); !s.ok()) ...;
//   RunToolBatch(pool, box.registry(), calls, box.context(), step, ...);
//
// Thread safety: Add and AddDocuments during setup, before any tool runs; afterwards registry()
// and context() are read from the tool threads, and CancelAll may come from any thread.
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_TOOLBOX_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_TOOLBOX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "router/agent/active_calls.h"
#include "router/agent/pool_delegate.h"
#include "router/agent/run_policy.h"
#include "router/agent/worker_client.h"
#include "sandbox/sandbox_limits.h"
#include "switchyard/v1/router.pb.h"
#include "tools/tool.h"
#include "tools/tool_context.h"
#include "tools/tool_registry.h"

namespace switchyard {

class RunToolbox {
 public:
  struct Settings {
    std::string trace_id;
    int32_t delegation_max_tokens = 1024;  // a delegated answer's limit
    absl::Time deadline = absl::InfiniteFuture();
    sandbox::SandboxLimits sandbox_limits;
    std::string cache_salt;  // the tenant's (router/service/cache_salt.h), on every delegation
  };
  // `client` and `policy` must outlive the toolbox. `on_delegation` gets the trace and the
  // worker's usage of each delegation attempt, on the tool thread that made it.
  RunToolbox(WorkerClient& client, RunPolicy& policy, Settings settings,
             std::function<void(v1::StepTrace, const v1::Usage&)> on_delegation);

  // Adds the built-in `name` once the policy admits it: InvalidArgument "<field>: <why>" for a
  // name that is no built-in, the policy's status for one the tenant may not use. The tool
  // returned is valid until the next Add.
  absl::StatusOr<const tools::Tool*> Add(const std::string& name, absl::string_view field);
  // The request's documents, for search_documents. InvalidArgument "documents[i].name: empty".
  absl::Status AddDocuments(const google::protobuf::RepeatedPtrField<v1::Document>& documents);

  const tools::ToolRegistry& registry() const { return registry_; }
  // What every call runs with (a copy per call names it; copies share the document index).
  const tools::ToolContext& context() const { return context_; }
  // Cancels the delegations in flight, starts no more, and tells every tool to stop early.
  void CancelAll() { calls_->CancelAll(); }

 private:
  std::shared_ptr<ActiveCalls> calls_ = std::make_shared<ActiveCalls>();
  std::shared_ptr<PoolDelegate> delegate_;
  tools::ToolRegistry registry_;
  tools::ToolContext context_;
  RunPolicy& policy_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_TOOLBOX_H_
