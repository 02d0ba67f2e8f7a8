// PlanChatRun: what the router decides about a Chat request between routing it and its first
// model call — the role check and input guardrails (the policy redacts the messages in place or
// refuses), the run's limits, the output rules, the first step's request (sampling defaults, the
// client's tools, tool_choice, response_format, the tenant's cache salt) and the run's deadline. An error is the call's
// status: nothing has been streamed. The run's tools are set up after it, by AgentRun::Create.
// Thread safety: a free function over thread-safe parts.
#ifndef SWITCHYARD_ROUTER_SERVICE_CHAT_ADMISSION_H_
#define SWITCHYARD_ROUTER_SERVICE_CHAT_ADMISSION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "router/agent/agent_run.h"
#include "router/service/policy_gate.h"
#include "router/service/router_service.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

// `who` was authenticated and `route` chosen for `request`; `start` is when the call came.
// The deadline is the client's, the router's default for requests without one, and the run's
// max_seconds, whichever comes first; only the last ends a run as RUN_LIMIT.
absl::StatusOr<RunPlan> PlanChatRun(RouterService& service, const Admission& who, const RouteChoice& route,
                                    const grpc::CallbackServerContext& ctx, const v1::ChatRequest& request,
                                    const std::string& trace_id, absl::Time start);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_CHAT_ADMISSION_H_
