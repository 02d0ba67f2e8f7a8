#include "router/service/chat_reactor.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/json_log.h"
#include "router/agent/agent_run.h"
#include "router/service/call_metadata.h"
#include "router/service/chat_admission.h"
#include "router/service/gate_run_policy.h"
#include "router/service/router_service.h"

namespace switchyard {
namespace {

class ChatReactor final : public grpc::ServerWriteReactor<v1::ChatEvent>, public RunEventSink {
 public:
  ChatReactor(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request, RouterService* service)
      : service_(service), trace_id_(NewTraceId()), start_(absl::Now()), route_asked_(request.route()) {
    absl::StatusOr<std::shared_ptr<AgentRun>> run = Admit(*ctx, request);
    if (!run.ok()) {
      End(run.status(), RunSummary{});
      return;
    }
    run_ = *std::move(run);
    run_->Start();
  }

  // gRPC's side.
  void OnWriteDone(bool ok) override { run_->OnWriteDone(ok); }
  void OnCancel() override {
    if (run_ != nullptr) run_->Cancel();
  }
  void OnDone() override {
    delete this;  // NOLINT: gRPC's reactor lifetime contract
  }

  // The run's side.
  void Write(const v1::ChatEvent* event) override { StartWrite(event); }
  void Finish(const absl::Status& status, const RunSummary& summary) override { End(status, summary); }

 private:
  // Who, which role, then the plan and the run's tools. An error here is the call's status.
  absl::StatusOr<std::shared_ptr<AgentRun>> Admit(const grpc::CallbackServerContext& ctx,
                                                  const v1::ChatRequest& request) {
    PolicyGate& gate = service_->gate();
    absl::StatusOr<Admission> who = gate.Authenticate(Authorization(ctx), trace_id_);
    if (!who.ok()) return who.status();
    admission_ = *std::move(who);
    absl::StatusOr<RouteChoice> route = service_->Route(request);
    if (!route.ok()) return route.status();
    role_ = route->role;
    service_->metrics().Classified(route->label, route->pinned);
    absl::StatusOr<RunPlan> plan = PlanChatRun(*service_, admission_, *route, ctx, request, trace_id_, start_);
    if (!plan.ok()) return plan.status();
    return AgentRun::Create(*std::move(plan), service_->run_deps(),
                            std::make_unique<GateRunPolicy>(gate, admission_, trace_id_), this);
  }

  // The call's end, whatever ended it: charged, counted, and one log line that the workers'
  // lines of this run share the trace id with. Nothing of `this` may be touched after Finish().
  void End(const absl::Status& status, const RunSummary& summary) {
    service_->gate().Charge(admission_, summary.tokens);
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    const grpc::Status s = ToGrpc(status);
    service_->metrics().RunEnded(route_asked_, role_, s.error_code(), seconds);
    nlohmann::json fields = {{"trace_id", trace_id_},
                             {"route", route_asked_.empty() ? "auto" : route_asked_},
                             {"role", role_},
                             {"status", StatusCodeName(s.error_code())},
                             {"duration_ms", static_cast<int64_t>(seconds * 1000)},
                             {"replica", summary.replica},
                             {"steps", summary.steps},
                             {"prompt_tokens", summary.usage.prompt_tokens()},
                             {"completion_tokens", summary.usage.completion_tokens()},
                             {"cached_prompt_tokens", summary.usage.cached_prompt_tokens()}};
    if (!s.ok()) fields["error"] = s.error_message();
    const bool normal = s.ok() || s.error_code() == grpc::StatusCode::CANCELLED;
    metrics::LogLine("router", normal ? "info" : "warning", "chat_done", std::move(fields));
    grpc::ServerWriteReactor<v1::ChatEvent>::Finish(s);
  }

  RouterService* const service_;
  const std::string trace_id_;
  const absl::Time start_;
  const std::string route_asked_;  // the client's route: "auto" (or empty) or a pinned role
  Admission admission_;
  std::string role_;               // the role it was routed to; empty before routing
  std::shared_ptr<AgentRun> run_;  // null when the request was refused before the run
};

}  // namespace

grpc::ServerWriteReactor<v1::ChatEvent>* StartChatRun(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request,
                                                     RouterService* service) {
  return new ChatReactor(ctx, request, service);  // NOLINT: gRPC's reactor contract; freed in OnDone
}

}  // namespace switchyard
