#include "router/service/chat_admission.h"

#include <algorithm>
#include <chrono>

#include "router/agent/run_limits.h"

namespace switchyard {
namespace {

v1::RouteDecision Decision(const RouteChoice& route) {
  v1::RouteDecision d;
  d.set_role(route.role);
  d.set_label(route.label);
  d.set_confidence(route.confidence);
  d.set_pinned(route.pinned);
  for (const auto& [name, w] : route.features) {
    v1::Feature* f = d.add_features();
    f->set_name(name);
    f->set_weight(w);
  }
  return d;
}

}  // namespace

absl::StatusOr<RunPlan> PlanChatRun(RouterService& service, const Admission& who, const RouteChoice& route,
                                    const grpc::CallbackServerContext& ctx, const v1::ChatRequest& request,
                                    const std::string& trace_id, absl::Time start) {
  PolicyGate& gate = service.gate();
  const RouterConfig& config = service.config();
  RunPlan plan;
  plan.trace_id = trace_id;
  plan.start = start;
  plan.route = Decision(route);
  v1::GenerateRequest& r = plan.request;
  *r.mutable_messages() = request.messages();
  if (absl::Status s = gate.AdmitRoute(who, trace_id, route.role, route.confidence, route.pinned, r.mutable_messages());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<RunLimits> limits = ResolveRunLimits(request.limits(), config.agent, who.tenant);
  if (!limits.ok()) return limits.status();
  plan.limits = *limits;
  plan.router_tools.assign(request.router_tools().begin(), request.router_tools().end());
  plan.documents = request.documents();
  plan.output_rules = gate.OutputRules(who);
  plan.delegation_max_tokens = config.max_tokens;
  plan.sandbox_limits = gate.SandboxLimitsFor(who);

  *r.mutable_tools() = request.tools();
  *r.mutable_sampling() = request.sampling();
  if (!request.sampling().has_max_tokens()) r.mutable_sampling()->set_max_tokens(config.max_tokens);
  if (request.has_enable_thinking()) r.set_enable_thinking(request.enable_thinking());
  *r.mutable_tool_choice() = request.tool_choice();
  *r.mutable_response_format() = request.response_format();
  r.set_request_id(trace_id);
  // The tenant's, never the client's: no field of the request enters it.
  r.set_cache_salt(service.cache_salts().For(who.tenant_name()));

  const auto now = std::chrono::system_clock::now();
  const auto client = ctx.deadline();
  const auto fallback = now + std::chrono::seconds(config.deadline_seconds);
  const auto limit = now + std::chrono::seconds(plan.limits.max_seconds);
  plan.deadline = absl::FromChrono(std::min({client, fallback, limit}));
  plan.deadline_is_run_limit = limit < client && limit <= fallback;
  return plan;
}

}  // namespace switchyard
