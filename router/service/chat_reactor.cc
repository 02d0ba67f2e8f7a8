#include "router/service/chat_reactor.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/json_log.h"
#include "policies/output_guard.h"
#include "router/agent/active_calls.h"
#include "router/agent/pool_delegate.h"
#include "router/agent/repeated_call_detector.h"
#include "router/agent/run_limits.h"
#include "router/agent/run_trace_builder.h"
#include "router/agent/tool_call_runner.h"
#include "router/service/call_metadata.h"
#include "router/service/router_service.h"
#include "tools/builtin_tools.h"

namespace switchyard {
namespace {

bool Retryable(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:         // the worker died or cannot be reached
    case grpc::StatusCode::RESOURCE_EXHAUSTED:  // its queue is full
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
      return true;
    default:
      return false;
  }
}

v1::ChatEvent ToChatEvent(const v1::GenerateEvent& e) {
  v1::ChatEvent out;
  switch (e.event_case()) {
    case v1::GenerateEvent::kReasoningDelta: out.set_reasoning_delta(e.reasoning_delta()); break;
    case v1::GenerateEvent::kTextDelta: out.set_text_delta(e.text_delta()); break;
    case v1::GenerateEvent::kToolCall: *out.mutable_tool_call() = e.tool_call(); break;
    case v1::GenerateEvent::kFinish: *out.mutable_finish() = e.finish(); break;
    case v1::GenerateEvent::kToolCallError: *out.mutable_tool_call_error() = e.tool_call_error(); break;
    case v1::GenerateEvent::EVENT_NOT_SET: break;
  }
  *out.mutable_token_ids() = e.token_ids();
  return out;
}

class ChatRun;

// One attempt of one step: the router's call to a worker replica.
class StepCall final : public grpc::ClientReadReactor<v1::GenerateEvent> {
 public:
  StepCall(ChatRun* run, Replica* replica, std::unique_ptr<grpc::ClientContext> ctx)
      : run_(run), replica_(replica), ctx_(std::move(ctx)) {}
  void Begin(const v1::GenerateRequest& request) {
    replica_->stub().async()->Generate(ctx_.get(), &request, this);
    StartRead(&event);
    StartCall();
  }
  void Read() { StartRead(&event); }
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& s) override;
  Replica* replica() const { return replica_; }
  grpc::ClientContext* context() { return ctx_.get(); }
  v1::GenerateEvent event;

 private:
  ChatRun* run_;
  Replica* replica_;
  std::unique_ptr<grpc::ClientContext> ctx_;
};

class ChatRun final : public grpc::ServerWriteReactor<v1::ChatEvent> {
 public:
  ChatRun(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request, RouterService* service)
      : server_ctx_(ctx), service_(service), trace_id_(NewTraceId()), start_(absl::Now()), route_asked_(request.route()) {
    if (absl::Status s = Admit(request); !s.ok()) {
      FinishRun(ToGrpc(s));
      return;
    }
    auto replica = service->pools().Pick(route_.role);
    if (!replica.ok()) {
      FinishRun(grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(replica.status().message())));
      return;
    }
    v1::ChatEvent first;
    first.set_trace_id(trace_id_);
    FillDecision(first.mutable_route(), **replica);
    {
      absl::MutexLock lock(&mu_);
      pending_.push_back(std::move(first));
      NewStepLocked();
    }
    StartAttempt(*replica);
    Drive();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) CancelLocked();  // the client is gone
    }
    Drive();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    CancelLocked();
  }
  void OnDone() override {
    service_->gate().Charge(admission_, tokens_used_.load());
    std::vector<std::thread> threads;
    {
      absl::MutexLock lock(&mu_);
      threads.swap(tool_threads_);
    }
    for (std::thread& t : threads) {
      // The last tool thread may itself have finished the call (and so run this).
      if (t.get_id() == std::this_thread::get_id()) {
        t.detach();
      } else {
        t.join();
      }
    }
    delete this;  // NOLINT: gRPC's reactor lifetime contract
  }

  void StepRead(StepCall* call, bool ok) {
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        read_ended_ = true;  // the worker's stream ended; OnDone brings its status
      } else {
        if (!got_first_ && !first_event_seen_) {
          first_event_seen_ = true;
          service_->metrics().FirstToken(route_.role, absl::ToDoubleSeconds(absl::Now() - start_));
        }
        got_first_ = true;
        TakeEventLocked(call->event);
      }
    }
    Drive();
  }

  void StepDone(StepCall* call, const grpc::Status& status) {
    call->replica()->Release();
    Replica* retry_on = nullptr;
    bool step_ok = false;
    {
      absl::MutexLock lock(&mu_);
      call_live_ = false;
      if (!status.ok() && status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        call->replica()->MarkFailed(absl::StrCat("call failed: ", status.error_message()));
      }
      if (!status.ok() && !got_first_ && !client_cancelled_ && blocked_.ok() && attempts_ < 2 && Retryable(status)) {
        tried_.push_back(call->replica());
        auto next = service_->pools().Pick(route_.role, tried_);
        if (next.ok()) retry_on = *next;
      }
      if (retry_on == nullptr) {
        const std::string who = absl::StrCat("worker ", call->replica()->endpoint(), " (", route_.role, ")");
        if (!blocked_.ok()) {
          EndWithErrorLocked(ToGrpc(blocked_));
        } else if (status.ok()) {
          step_ok = true;
        } else if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && deadline_is_run_limit_ &&
                   !client_cancelled_) {
          RecordStepLocked(absl::StrCat(who, ": ", status.error_message()));
          EndRunLocked(v1::RUN_LIMIT, "max_seconds",
                       absl::StrCat("max_seconds: the run took ", limits_.max_seconds, " s, its limit"));
        } else if (got_first_ && status.error_code() != grpc::StatusCode::CANCELLED &&
                   status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
          RecordStepLocked(status.error_message());
          EndWithErrorLocked(grpc::Status(
              grpc::StatusCode::UNAVAILABLE, absl::StrCat(who, " failed after the answer had started: ",
                                                          status.error_message(), "; the answer is incomplete")));
        } else {
          RecordStepLocked(status.error_message());
          EndWithErrorLocked(grpc::Status(status.error_code(), absl::StrCat(who, ": ", status.error_message())));
        }
      }
    }
    if (retry_on != nullptr) {
      StartAttempt(retry_on);
    } else if (step_ok) {
      EndOfStep();
    }
    Drive();
  }

 private:
  // Everything decided before the first worker call: who, which role, which tools, what limits.
  // An error here is the call's status (nothing has been streamed).
  absl::Status Admit(const v1::ChatRequest& request) {
    PolicyGate& gate = service_->gate();
    auto who = gate.Authenticate(Authorization(*server_ctx_), trace_id_);
    if (!who.ok()) return who.status();
    admission_ = *std::move(who);
    auto route = service_->Route(request);
    if (!route.ok()) return route.status();
    route_ = *std::move(route);
    service_->metrics().Classified(route_.label, route_.pinned);
    *request_.mutable_messages() = request.messages();
    if (absl::Status s = gate.AdmitRoute(admission_, trace_id_, route_.role, route_.confidence, route_.pinned,
                                         request_.mutable_messages());
        !s.ok()) {
      return s;
    }
    auto limits = ResolveRunLimits(request.limits(), service_->config().agent, admission_.tenant);
    if (!limits.ok()) return limits.status();
    limits_ = *limits;
    detector_.emplace(limits_.max_identical_calls);
    if (absl::Status s = AdmitTools(request); !s.ok()) return s;
    for (int i = 0; i < request.documents_size(); ++i) {
      const v1::Document& d = request.documents(i);
      if (d.name().empty()) return absl::InvalidArgumentError(absl::StrCat("documents[", i, "].name: empty"));
      tool_context_.documents.push_back(tools::Document{d.name(), d.text()});
    }
    if (const Guardrails* rules = gate.OutputRules(admission_)) output_rules_ = rules;

    *request_.mutable_sampling() = request.sampling();
    if (!request.sampling().has_max_tokens()) request_.mutable_sampling()->set_max_tokens(service_->config().max_tokens);
    if (request.has_enable_thinking()) request_.set_enable_thinking(request.enable_thinking());
    *request_.mutable_tool_choice() = request.tool_choice();
    *request_.mutable_response_format() = request.response_format();
    request_.set_request_id(trace_id_);

    // The run's deadline: the client's, the router's default for requests without one, and the
    // run's own max_seconds, whichever comes first. Only the last ends a run as RUN_LIMIT.
    const auto now = std::chrono::system_clock::now();
    const auto client = server_ctx_->deadline();
    const auto fallback = now + std::chrono::seconds(service_->config().deadline_seconds);
    const auto limit = now + std::chrono::seconds(limits_.max_seconds);
    deadline_ = std::min({client, fallback, limit});
    deadline_is_run_limit_ = limit < client && limit <= fallback;
    tool_context_.deadline = absl::FromChrono(deadline_);
    tool_context_.cancelled = calls_->flag();
    tool_context_.sandbox_limits = gate.SandboxLimitsFor(admission_);
    return absl::OkStatus();
  }

  // The request's tools: the client's (handed back when called) and the router's (run here,
  // each allowed by the policy), all shown to the model.
  absl::Status AdmitTools(const v1::ChatRequest& request) {
    for (const v1::Tool& t : request.tools()) client_tools_.insert(t.name());
    *request_.mutable_tools() = request.tools();
    if (request.router_tools().empty()) return absl::OkStatus();
    if (request.response_format().type() != v1::ResponseFormat::TEXT) {
      return absl::InvalidArgumentError(
          "response_format: cannot be combined with router_tools (a forced format leaves the model no way to call "
          "them); ask for the format in a last request without router_tools");
    }
    auto delegate = std::make_shared<PoolDelegate>(
        service_->pools(), trace_id_, service_->config().max_tokens, calls_,
        PoolDelegate::Hooks{
            .admit_role = [this](std::string_view role) { return service_->gate().AdmitDelegation(admission_, trace_id_, absl::string_view(role.data(), role.size())); },
            .record = [this](v1::StepTrace t) { RecordDelegation(std::move(t)); },
        });
    registry_ = std::make_unique<tools::ToolRegistry>();
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < request.router_tools_size(); ++i) {
      const std::string& name = request.router_tools(i);
      if (!seen.insert(name).second) continue;
      if (client_tools_.contains(name)) {
        return absl::InvalidArgumentError(absl::StrCat("router_tools[", i, "]: \"", name,
                                                       "\" is also declared in tools; rename the client's tool"));
      }
      auto tool = tools::MakeBuiltinTool(name, delegate);
      if (!tool.ok()) return absl::InvalidArgumentError(absl::StrCat("router_tools[", i, "]: ", tool.status().message()));
      if (absl::Status s = service_->gate().AdmitTool(admission_, trace_id_, name); !s.ok()) return s;
      v1::Tool* shown = request_.add_tools();
      shown->set_name(tool->name);
      shown->set_description(tool->description);
      shown->set_parameters_json_schema(tool->parameters_json);
      if (absl::Status s = registry_->Register(*std::move(tool)); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  void FillDecision(v1::RouteDecision* d, const Replica& replica) const {
    d->set_role(route_.role);
    d->set_replica(replica.endpoint());
    d->set_label(route_.label);
    d->set_confidence(route_.confidence);
    d->set_pinned(route_.pinned);
    for (const auto& [name, w] : route_.features) {
      v1::Feature* f = d->add_features();
      f->set_name(name);
      f->set_weight(w);
    }
  }

  // A fresh step: no attempt yet, nothing said.
  void NewStepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++step_;
    attempts_ = 0;
    tried_.clear();
    got_first_ = false;
    step_text_.clear();
    step_reasoning_.clear();
    step_calls_.clear();
    step_finish_.Clear();
    step_start_ = absl::Now();
    if (output_rules_ != nullptr) {
      text_guard_.emplace(*output_rules_);
      reasoning_guard_.emplace(*output_rules_);
    }
  }

  void StartAttempt(Replica* replica) {
    replica->Acquire();
    // Deadline and cancellation of the client's call travel to the worker.
    std::unique_ptr<grpc::ClientContext> ctx = grpc::ClientContext::FromCallbackServerContext(*server_ctx_);
    ctx->set_deadline(deadline_);
    ctx->AddMetadata("x-trace-id", trace_id_);
    StepCall* call;
    {
      absl::MutexLock lock(&mu_);
      ++attempts_;
      step_replica_ = replica->endpoint();
      attempt_calls_.push_back(std::make_unique<StepCall>(this, replica, std::move(ctx)));
      call = attempt_calls_.back().get();
      reading_ = true;
      read_ended_ = false;
      call_live_ = true;
      if (client_cancelled_) call->context()->TryCancel();
      // The route event names the replica; a retry names the one that is serving now.
      if (attempts_ > 1 && step_ == 1 && !pending_.empty() && pending_.front().has_route()) {
        pending_.front().mutable_route()->set_replica(replica->endpoint());
      }
    }
    call->Begin(request_);
  }

  // One worker event: kept for the conversation and the trace, and streamed to the client
  // (the worker's finish is the step's, not the run's: it is not forwarded).
  void TakeEventLocked(const v1::GenerateEvent& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!blocked_.ok()) return;
    switch (e.event_case()) {
      case v1::GenerateEvent::kFinish:
        step_finish_ = e.finish();
        return;
      case v1::GenerateEvent::kTextDelta: step_text_ += e.text_delta(); break;
      case v1::GenerateEvent::kReasoningDelta: step_reasoning_ += e.reasoning_delta(); break;
      case v1::GenerateEvent::kToolCall: {
        v1::ChatEvent out = ToChatEvent(e);
        auto args = service_->gate().GuardToolArguments(admission_, trace_id_, e.tool_call().name(),
                                                        e.tool_call().arguments_json());
        if (!args.ok()) {
          BlockLocked(args.status());
          return;
        }
        out.mutable_tool_call()->set_arguments_json(*args);
        step_calls_.push_back(out.tool_call());
        if (output_rules_ != nullptr) {
          // Text before a call is complete: release what the guards hold so the order holds.
          if (!FlushGuardsLocked()) return;
          out.clear_token_ids();
        }
        pending_.push_back(std::move(out));
        return;
      }
      default: break;
    }
    if (output_rules_ == nullptr) {
      pending_.push_back(ToChatEvent(e));
    } else {
      GuardLocked(ToChatEvent(e));
    }
  }

  void BlockLocked(absl::Status why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    blocked_ = std::move(why);
    CancelStepLocked();
  }

  // A text or reasoning delta through the output guardrails: held back and released as the
  // guards allow (token ids dropped: they would spell out what is held back).
  void GuardLocked(v1::ChatEvent e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    e.clear_token_ids();
    if (!e.has_text_delta() && !e.has_reasoning_delta()) {
      pending_.push_back(std::move(e));
      return;
    }
    const bool text = e.has_text_delta();
    OutputGuard& guard = text ? *text_guard_ : *reasoning_guard_;
    GuardrailOutcome o = guard.Push(text ? e.text_delta() : e.reasoning_delta());
    if (absl::Status s = service_->gate().AuditOutput(admission_, trace_id_, o); !s.ok()) {
      BlockLocked(std::move(s));
      return;
    }
    if (o.text.empty()) return;
    text ? e.set_text_delta(std::move(o.text)) : e.set_reasoning_delta(std::move(o.text));
    pending_.push_back(std::move(e));
  }

  // Releases what the guards hold (the step's text is complete) and starts them afresh. False
  // when a rule blocked (the run is then ending).
  bool FlushGuardsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (output_rules_ == nullptr) return true;
    for (bool text : {false, true}) {
      std::optional<OutputGuard>& guard = text ? text_guard_ : reasoning_guard_;
      GuardrailOutcome o = guard->Finish();
      guard.emplace(*output_rules_);
      if (absl::Status s = service_->gate().AuditOutput(admission_, trace_id_, o); !s.ok()) {
        BlockLocked(std::move(s));
        return false;
      }
      if (o.text.empty()) continue;
      v1::ChatEvent rest;
      text ? rest.set_text_delta(std::move(o.text)) : rest.set_reasoning_delta(std::move(o.text));
      pending_.push_back(std::move(rest));
    }
    return true;
  }

  // The step's model call into the trace (its tool results are added when they come).
  size_t RecordStepLocked(const std::string& error) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::StepTrace t;
    t.set_role(route_.role);
    t.set_replica(step_replica_);
    t.set_prompt_tokens(step_finish_.usage().prompt_tokens());
    t.set_completion_tokens(step_finish_.usage().completion_tokens());
    t.set_latency_ms(absl::ToInt64Milliseconds(absl::Now() - step_start_));
    t.set_finish_reason(error.empty() ? step_finish_.reason() : v1::ERROR);
    t.set_error(error);
    for (const v1::ToolCall& c : step_calls_) *t.add_tool_calls() = c;
    service_->metrics().ModelCall(t);
    const size_t index = trace_.Add(std::move(t));
    tokens_used_ = trace_.tokens();
    return index;
  }

  // A delegation's model call (from a tool thread).
  void RecordDelegation(v1::StepTrace t) {
    service_->metrics().ModelCall(t);
    {
      absl::MutexLock lock(&mu_);
      const size_t index = trace_.Add(std::move(t));
      tokens_used_ = trace_.tokens();
      PushStepLocked(index);
    }
    Drive();
  }

  // The step's answer is complete: end the run, or run its router tools on a tool thread.
  void EndOfStep() {
    // The previous step's tool thread has done its work (it started this step): reap it, so a
    // long run holds one thread at most.
    std::vector<std::thread> done;
    {
      absl::MutexLock lock(&mu_);
      done.swap(tool_threads_);
    }
    for (std::thread& t : done) {
      if (t.get_id() == std::this_thread::get_id()) {
        t.detach();  // gRPC ran this callback inline on that very thread
      } else {
        t.join();
      }
    }
    absl::MutexLock lock(&mu_);
    if (!FlushGuardsLocked()) {
      RecordStepLocked("");
      EndWithErrorLocked(ToGrpc(blocked_));
      return;
    }
    const size_t index = RecordStepLocked("");
    std::vector<v1::ToolCall> router_calls, client_calls;
    for (const v1::ToolCall& c : step_calls_) {
      // Without router tools the router only relays: every call is the client's. With them, a
      // call of an undeclared tool is run too, so that the model reads "no tool named ...".
      (registry_ == nullptr || client_tools_.contains(c.name()) ? client_calls : router_calls).push_back(c);
    }
    if (router_calls.empty()) {
      PushStepLocked(index);
      const v1::FinishReason reason = step_finish_.reason();
      EndRunLocked(reason, !client_calls.empty() ? "client_tool_calls" : reason == v1::LENGTH ? "length" : "stop", "");
      return;
    }
    std::string limit, detail;
    if (step_ >= limits_.max_steps) {
      limit = "max_steps";
      detail = absl::StrCat("max_steps: ", step_, " model calls made and the model still calls tools");
    } else if (tokens_used_.load() >= limits_.max_tokens) {
      limit = "max_tokens";
      detail = absl::StrCat("max_tokens: ", tokens_used_.load(), " tokens used of ", limits_.max_tokens);
    } else if (absl::Now() >= absl::FromChrono(deadline_) && deadline_is_run_limit_) {
      limit = "max_seconds";
      detail = absl::StrCat("max_seconds: the run took ", limits_.max_seconds, " s, its limit");
    } else {
      for (const v1::ToolCall& c : router_calls) {
        if (absl::Status s = detector_->Record(c.name(), c.arguments_json()); !s.ok()) {
          limit = "loop";
          detail = std::string(s.message());
          break;
        }
      }
    }
    if (!limit.empty()) {
      PushStepLocked(index);
      EndRunLocked(v1::RUN_LIMIT, limit, detail);
      return;
    }
    tools_running_ = true;
    tool_threads_.emplace_back([this, index, router_calls = std::move(router_calls),
                                client_calls = std::move(client_calls)]() mutable {
      RunTools(index, std::move(router_calls), std::move(client_calls));
    });
  }

  // On a tool thread: the step's router tools, then the next step (or the run's end).
  void RunTools(size_t index, std::vector<v1::ToolCall> router_calls, std::vector<v1::ToolCall> client_calls) {
    int32_t number;
    {
      absl::MutexLock lock(&mu_);
      number = trace_.step(index).step();
    }
    std::vector<v1::ToolResult> results =
        RunToolCalls(*registry_, router_calls, tool_context_, number, [&](const v1::ToolResult& r) {
          for (const v1::ToolCall& c : router_calls) {
            if (c.id() == r.tool_call_id()) service_->metrics().ToolResult(r, c.arguments_json());
          }
          // On record before the model (or the client) sees the result.
          const absl::Status outcome = r.ok() ? absl::OkStatus() : absl::UnknownError(r.error());
          absl::Status audited = service_->gate().AuditToolCall(admission_, trace_id_, r.name(), number, outcome);
          {
            absl::MutexLock lock(&mu_);
            if (!audited.ok()) {
              if (audit_error_.ok()) audit_error_ = std::move(audited);
            } else {
              v1::ChatEvent e;
              *e.mutable_tool_result() = r;
              pending_.push_back(std::move(e));
            }
          }
          Drive();
        });
    Replica* next = nullptr;
    {
      absl::MutexLock lock(&mu_);
      tools_running_ = false;
      for (const v1::ToolResult& r : results) *trace_.step(index).add_tool_results() = r;
      trace_.step(index).set_latency_ms(absl::ToInt64Milliseconds(absl::Now() - step_start_));
      PushStepLocked(index);
      if (!audit_error_.ok()) {
        EndWithErrorLocked(ToGrpc(audit_error_));
      } else if (client_cancelled_) {
        EndWithErrorLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the run"));
      } else {
        AppendTurnLocked(results);
        if (!client_calls.empty()) {
          EndRunLocked(v1::TOOL_CALLS, "client_tool_calls", "");
        } else if (absl::Now() >= absl::FromChrono(deadline_)) {
          if (deadline_is_run_limit_) {
            EndRunLocked(v1::RUN_LIMIT, "max_seconds",
                         absl::StrCat("max_seconds: the run took ", limits_.max_seconds, " s, its limit"));
          } else {
            EndWithErrorLocked(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                            "the request's deadline passed while its tools ran"));
          }
        } else {
          NewStepLocked();
          // tool_choice is the first step's: forcing a call on every step would never end.
          request_.clear_tool_choice();
          auto replica = service_->pools().Pick(route_.role);
          if (replica.ok()) {
            next = *replica;
          } else {
            EndWithErrorLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(replica.status().message())));
          }
        }
      }
    }
    if (next != nullptr) StartAttempt(next);
    Drive();
  }

  // The assistant's turn and one tool message per router call, paired by call id.
  void AppendTurnLocked(const std::vector<v1::ToolResult>& results) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::ChatMessage* a = request_.add_messages();
    a->set_role(v1::ChatMessage::ASSISTANT);
    a->set_content(step_text_);
    a->set_reasoning_content(step_reasoning_);
    for (const v1::ToolCall& c : step_calls_) *a->add_tool_calls() = c;
    for (const v1::ToolResult& r : results) {
      v1::ChatMessage* t = request_.add_messages();
      t->set_role(v1::ChatMessage::TOOL);
      t->set_tool_call_id(r.tool_call_id());
      t->set_name(r.name());
      t->set_content(r.content());
    }
  }

  void PushStepLocked(size_t index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::ChatEvent e;
    *e.mutable_step() = trace_.step(index);
    pending_.push_back(std::move(e));
  }

  void PushTraceLocked(const std::string& end_reason) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::ChatEvent e;
    *e.mutable_trace() = trace_.Build(end_reason, start_, absl::Now());
    pending_.push_back(std::move(e));
  }

  // The run ends with a finish event (OK status).
  void EndRunLocked(v1::FinishReason reason, const std::string& end_reason, const std::string& detail)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (reason == v1::RUN_LIMIT) service_->metrics().RunLimit(end_reason);
    PushTraceLocked(end_reason);
    v1::ChatEvent e;
    e.mutable_finish()->set_reason(reason);
    *e.mutable_finish()->mutable_usage() = trace_.usage();
    e.mutable_finish()->set_detail(detail);
    pending_.push_back(std::move(e));
    run_done_ = true;
    final_ = grpc::Status::OK;
  }

  // The run ends with an error status, after its trace.
  void EndWithErrorLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    PushTraceLocked("error");
    run_done_ = true;
    final_ = std::move(status);
  }

  void CancelStepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (call_live_ && !attempt_calls_.empty()) attempt_calls_.back()->context()->TryCancel();
  }
  void CancelLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    client_cancelled_ = true;
    CancelStepLocked();
    calls_->CancelAll();  // delegations in flight
  }

  // Starts the next write, read or the final Finish, whichever is due. Decided under the lock,
  // done outside it. Finish waits for the worker call and the tools: their callbacks use `this`.
  void Drive() {
    v1::ChatEvent* write = nullptr;
    StepCall* read = nullptr;
    bool finish = false;
    grpc::Status status;
    {
      absl::MutexLock lock(&mu_);
      if (finish_called_) return;
      if (!writing_ && !pending_.empty()) {
        current_ = std::move(pending_.front());
        pending_.pop_front();
        writing_ = true;
        write = &current_;
      } else if (!writing_ && pending_.empty() && run_done_ && !call_live_ && !tools_running_) {
        finish_called_ = true;
        finish = true;
        status = final_;
      }
      if (!finish && call_live_ && !reading_ && !read_ended_ && !run_done_ && pending_.size() < 4) {
        reading_ = true;
        read = attempt_calls_.back().get();
      }
    }
    if (write != nullptr) StartWrite(write);
    if (read != nullptr) read->Read();
    if (finish) FinishRun(status);
  }

  // The call's end, whatever ended it: counted, and one log line that the workers' lines of
  // this run share the trace id with. Nothing of `this` may be touched after Finish().
  void FinishRun(const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_) {
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    service_->metrics().RunEnded(route_asked_, route_.role, status.error_code(), seconds);
    nlohmann::json fields = {{"trace_id", trace_id_}, {"route", route_asked_.empty() ? "auto" : route_asked_},
                             {"role", route_.role}, {"status", StatusCodeName(status.error_code())},
                             {"duration_ms", static_cast<int64_t>(seconds * 1000)}};
    {
      absl::MutexLock lock(&mu_);
      fields["replica"] = step_replica_;
      fields["steps"] = step_;
      fields["prompt_tokens"] = trace_.usage().prompt_tokens();
      fields["completion_tokens"] = trace_.usage().completion_tokens();
    }
    if (!status.ok()) fields["error"] = status.error_message();
    const bool normal = status.ok() || status.error_code() == grpc::StatusCode::CANCELLED;
    metrics::LogLine("router", normal ? "info" : "warning", "chat_done", std::move(fields));
    Finish(status);
  }

  grpc::CallbackServerContext* server_ctx_;
  RouterService* service_;
  const std::string trace_id_;
  const absl::Time start_;
  const std::string route_asked_;  // the client's route: "auto" (or empty) or a pinned role
  Admission admission_;
  RouteChoice route_;
  RunLimits limits_;
  std::optional<RepeatedCallDetector> detector_;
  std::chrono::system_clock::time_point deadline_;
  bool deadline_is_run_limit_ = false;
  std::shared_ptr<ActiveCalls> calls_ = std::make_shared<ActiveCalls>();
  std::unique_ptr<tools::ToolRegistry> registry_;  // the router tools; null: a plain relay
  absl::flat_hash_set<std::string> client_tools_;
  tools::ToolContext tool_context_;
  const Guardrails* output_rules_ = nullptr;
  std::atomic<int64_t> tokens_used_{0};  // prompt + completion over every step and delegation
  v1::GenerateRequest request_;          // the conversation so far; changed only between steps
  v1::ChatEvent current_;

  absl::Mutex mu_;
  std::deque<v1::ChatEvent> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<OutputGuard> text_guard_ ABSL_GUARDED_BY(mu_), reasoning_guard_ ABSL_GUARDED_BY(mu_);
  absl::Status blocked_ ABSL_GUARDED_BY(mu_);      // an output rule's block, or the audit's refusal
  absl::Status audit_error_ ABSL_GUARDED_BY(mu_);  // a tool call the audit log refused
  // The step in progress.
  int step_ ABSL_GUARDED_BY(mu_) = 0;  // model calls of the conversation (delegations not counted)
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<const Replica*> tried_ ABSL_GUARDED_BY(mu_);
  bool got_first_ ABSL_GUARDED_BY(mu_) = false;
  bool first_event_seen_ ABSL_GUARDED_BY(mu_) = false;  // of the run: its time to first token is counted
  std::string step_replica_ ABSL_GUARDED_BY(mu_);
  std::string step_text_ ABSL_GUARDED_BY(mu_), step_reasoning_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ToolCall> step_calls_ ABSL_GUARDED_BY(mu_);
  v1::Finish step_finish_ ABSL_GUARDED_BY(mu_);
  absl::Time step_start_ ABSL_GUARDED_BY(mu_);
  // The trace.
  RunTraceBuilder trace_ ABSL_GUARDED_BY(mu_);
  // The stream.
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool read_ended_ ABSL_GUARDED_BY(mu_) = false;
  bool call_live_ ABSL_GUARDED_BY(mu_) = false;
  bool tools_running_ ABSL_GUARDED_BY(mu_) = false;
  bool run_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_called_ ABSL_GUARDED_BY(mu_) = false;
  bool client_cancelled_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status final_ ABSL_GUARDED_BY(mu_);
  // Every attempt made, kept until this reactor dies (a finished call's reactor must outlive
  // its OnDone).
  std::vector<std::unique_ptr<StepCall>> attempt_calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> tool_threads_ ABSL_GUARDED_BY(mu_);
};

void StepCall::OnReadDone(bool ok) { run_->StepRead(this, ok); }
void StepCall::OnDone(const grpc::Status& s) { run_->StepDone(this, s); }

}  // namespace

grpc::ServerWriteReactor<v1::ChatEvent>* StartChatRun(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request,
                                                     RouterService* service) {
  return new ChatRun(ctx, request, service);  // NOLINT: gRPC's reactor contract; freed in OnDone
}

}  // namespace switchyard
