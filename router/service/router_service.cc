#include "router/service/router_service.h"

#include <atomic>
#include <deque>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "policies/output_guard.h"

namespace switchyard {
namespace {

std::string NewTraceId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("%016x%016x", rng(), rng());
}

bool Retryable(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:          // the worker died or cannot be reached
    case grpc::StatusCode::RESOURCE_EXHAUSTED:   // its queue is full
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
      return true;
    default:
      return false;
  }
}

grpc::Status ToGrpc(const absl::Status& s) {
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

// The `authorization` metadata ("Bearer <key>"), empty when the client sent none.
std::string Authorization(const grpc::CallbackServerContext& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

class ChatReactor;

// The router's call to one worker replica.
class UpstreamCall final : public grpc::ClientReadReactor<v1::GenerateEvent> {
 public:
  UpstreamCall(ChatReactor* parent, Replica* replica, std::unique_ptr<grpc::ClientContext> ctx)
      : parent_(parent), replica_(replica), ctx_(std::move(ctx)) {}
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
  ChatReactor* parent_;
  Replica* replica_;
  std::unique_ptr<grpc::ClientContext> ctx_;
};

class ChatReactor final : public grpc::ServerWriteReactor<v1::ChatEvent> {
 public:
  ChatReactor(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request, RouterService* service)
      : server_ctx_(ctx), service_(service), trace_id_(NewTraceId()) {
    auto who = service->gate().Authenticate(Authorization(*ctx), trace_id_);
    if (!who.ok()) {
      Finish(ToGrpc(who.status()));
      return;
    }
    admission_ = *std::move(who);
    auto route = service->Route(request);
    if (!route.ok()) {
      Finish(ToGrpc(route.status()));
      return;
    }
    route_ = *route;
    *upstream_request_.mutable_messages() = request.messages();
    if (absl::Status s = service->gate().AdmitRoute(admission_, trace_id_, route_.role, route_.confidence, route_.pinned,
                                                     upstream_request_.mutable_messages());
        !s.ok()) {
      Finish(ToGrpc(s));
      return;
    }
    if (const Guardrails* rules = service->gate().OutputRules(admission_)) {
      text_guard_.emplace(*rules);
      reasoning_guard_.emplace(*rules);
    }
    auto replica = service->pools().Pick(route_.role);
    if (!replica.ok()) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(replica.status().message())));
      return;
    }
    *upstream_request_.mutable_tools() = request.tools();
    *upstream_request_.mutable_sampling() = request.sampling();
    if (!request.sampling().has_max_tokens()) upstream_request_.mutable_sampling()->set_max_tokens(service->config().max_tokens);
    if (request.has_enable_thinking()) upstream_request_.set_enable_thinking(request.enable_thinking());
    upstream_request_.set_request_id(trace_id_);
    v1::ChatEvent first;
    first.set_trace_id(trace_id_);
    FillDecision(first.mutable_route(), **replica);
    {
      absl::MutexLock lock(&mu_);
      pending_.push_back(std::move(first));
    }
    StartUpstream(*replica);
    Drive();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) CancelUpstreamLocked();  // the client is gone
    }
    Drive();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    client_cancelled_ = true;
    CancelUpstreamLocked();
  }
  void OnDone() override {
    service_->gate().Charge(admission_, tokens_used_.load());
    delete this;  // NOLINT: gRPC's reactor lifetime contract
  }

  void UpstreamRead(UpstreamCall* call, bool ok) {
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        read_ended_ = true;  // the worker's stream ended; OnDone brings its status
      } else {
        got_first_ = true;
        if (call->event.has_finish()) {
          const v1::Usage& u = call->event.finish().usage();
          tokens_used_ = static_cast<int64_t>(u.prompt_tokens()) + u.completion_tokens();
        }
        if (!text_guard_) {
          pending_.push_back(Convert(call->event));
        } else if (blocked_.ok()) {
          GuardLocked(Convert(call->event));
        }
      }
    }
    Drive();
  }

  void UpstreamDone(UpstreamCall* call, const grpc::Status& status) {
    call->replica()->Release();
    Replica* retry_on = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (!status.ok() && status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        call->replica()->MarkFailed(absl::StrCat("call failed: ", status.error_message()));
      }
      if (!status.ok() && !got_first_ && !client_cancelled_ && attempts_ < 2 && Retryable(status)) {
        tried_.push_back(call->replica());
        auto next = service_->pools().Pick(route_.role, tried_);
        if (next.ok()) retry_on = *next;
      }
      if (retry_on == nullptr) {
        upstream_done_ = true;
        if (!blocked_.ok()) {
          final_ = ToGrpc(blocked_);
        } else if (status.ok()) {
          final_ = grpc::Status::OK;
        } else if (got_first_ && status.error_code() != grpc::StatusCode::CANCELLED &&
                   status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
          final_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                absl::StrCat("worker ", call->replica()->endpoint(), " (", route_.role,
                                             ") failed after the answer had started: ", status.error_message(),
                                             "; the answer is incomplete"));
        } else {
          final_ = grpc::Status(status.error_code(), absl::StrCat("worker ", call->replica()->endpoint(), " (",
                                                                  route_.role, "): ", status.error_message()));
        }
      }
    }
    if (retry_on != nullptr) {
      StartUpstream(retry_on);
    }
    Drive();
  }

 private:
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

  static v1::ChatEvent Convert(const v1::GenerateEvent& e) {
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

  void StartUpstream(Replica* replica) {
    replica->Acquire();
    // Deadline and cancellation of the client's call travel to the worker.
    std::unique_ptr<grpc::ClientContext> ctx = grpc::ClientContext::FromCallbackServerContext(*server_ctx_);
    const auto client_deadline = server_ctx_->deadline();
    const auto fallback = std::chrono::system_clock::now() + std::chrono::seconds(service_->config().deadline_seconds);
    if (client_deadline > fallback) ctx->set_deadline(fallback);
    ctx->AddMetadata("x-trace-id", trace_id_);
    UpstreamCall* call;
    {
      absl::MutexLock lock(&mu_);
      ++attempts_;
      calls_.push_back(std::make_unique<UpstreamCall>(this, replica, std::move(ctx)));
      call = calls_.back().get();
      reading_ = true;
      read_ended_ = false;
      if (client_cancelled_) call->context()->TryCancel();
      // The route event names the replica; a retry names the one that is serving now.
      if (attempts_ > 1 && !pending_.empty() && pending_.front().has_route()) {
        pending_.front().mutable_route()->set_replica(replica->endpoint());
      }
    }
    call->Begin(upstream_request_);
  }

  // The answer through the output guardrails: text and reasoning deltas are held back and
  // released as the guards allow (token ids dropped: they would spell out what is held back);
  // the finish event first flushes both. A block ends the stream with PERMISSION_DENIED.
  void GuardLocked(v1::ChatEvent e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    e.clear_token_ids();
    auto pass = [&](const GuardrailOutcome& o) {
      if (absl::Status s = service_->gate().AuditOutput(admission_, trace_id_, o); !s.ok()) {
        blocked_ = s;
        CancelUpstreamLocked();
        return false;
      }
      return true;
    };
    if (e.has_text_delta() || e.has_reasoning_delta()) {
      const bool text = e.has_text_delta();
      OutputGuard& guard = text ? *text_guard_ : *reasoning_guard_;
      const GuardrailOutcome o = guard.Push(text ? e.text_delta() : e.reasoning_delta());
      if (!pass(o) || o.text.empty()) return;
      text ? e.set_text_delta(o.text) : e.set_reasoning_delta(o.text);
      pending_.push_back(std::move(e));
      return;
    }
    if (e.has_finish()) {
      for (bool text : {false, true}) {
        OutputGuard& guard = text ? *text_guard_ : *reasoning_guard_;
        const GuardrailOutcome o = guard.Finish();
        if (!pass(o)) return;
        if (o.text.empty()) continue;
        v1::ChatEvent rest;
        text ? rest.set_text_delta(o.text) : rest.set_reasoning_delta(o.text);
        pending_.push_back(std::move(rest));
      }
    }
    pending_.push_back(std::move(e));
  }

  void CancelUpstreamLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!calls_.empty() && !upstream_done_) calls_.back()->context()->TryCancel();
  }

  // Starts the next write, read or the final Finish, whichever is due. Decided under the lock,
  // done outside it.
  void Drive() {
    v1::ChatEvent* write = nullptr;
    UpstreamCall* read = nullptr;
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
      } else if (!writing_ && pending_.empty() && upstream_done_) {
        finish_called_ = true;
        finish = true;
        status = final_;
      }
      if (!finish && !reading_ && !read_ended_ && !upstream_done_ && !calls_.empty() && pending_.size() < 4) {
        reading_ = true;
        read = calls_.back().get();
      }
    }
    if (write != nullptr) StartWrite(write);
    if (read != nullptr) read->Read();
    if (finish) Finish(status);
  }

  grpc::CallbackServerContext* server_ctx_;
  RouterService* service_;
  std::string trace_id_;
  Admission admission_;
  std::atomic<int64_t> tokens_used_{0};  // prompt + completion, from the worker's finish event
  std::optional<OutputGuard> text_guard_, reasoning_guard_;  // set when the policy has output rules
  absl::Status blocked_ ABSL_GUARDED_BY(mu_);                 // an output rule's block, or the audit's refusal
  RouteChoice route_;
  v1::GenerateRequest upstream_request_;
  v1::ChatEvent current_;

  absl::Mutex mu_;
  std::deque<v1::ChatEvent> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool read_ended_ ABSL_GUARDED_BY(mu_) = false;
  bool upstream_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_called_ ABSL_GUARDED_BY(mu_) = false;
  bool got_first_ ABSL_GUARDED_BY(mu_) = false;
  bool client_cancelled_ ABSL_GUARDED_BY(mu_) = false;
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::Status final_ ABSL_GUARDED_BY(mu_);
  std::vector<const Replica*> tried_ ABSL_GUARDED_BY(mu_);
  // Every call made, kept until this reactor dies (a finished call's reactor must outlive its
  // OnDone).
  std::vector<std::unique_ptr<UpstreamCall>> calls_ ABSL_GUARDED_BY(mu_);
};

void UpstreamCall::OnReadDone(bool ok) { parent_->UpstreamRead(this, ok); }
void UpstreamCall::OnDone(const grpc::Status& s) { parent_->UpstreamDone(this, s); }

// The text the classifier reads: the last user message (or the last message of any role).
const std::string* TextToClassify(const v1::ChatRequest& r) {
  for (int i = r.messages_size() - 1; i >= 0; --i) {
    if (r.messages(i).role() == v1::ChatMessage::USER) return &r.messages(i).content();
  }
  return r.messages_size() > 0 ? &r.messages(r.messages_size() - 1).content() : nullptr;
}

}  // namespace

absl::StatusOr<RouteChoice> RouterService::Route(const v1::ChatRequest& request) const {
  const std::string* text = TextToClassify(request);
  if (text == nullptr) return absl::InvalidArgumentError("messages: at least one message is required");
  RouteChoice c;
  const classify::Classification cls = classifier_.Classify(*text);
  c.label = classifier_.label_name(cls.label);
  c.confidence = cls.confidence;
  for (const auto& f : classifier_.Explain(*text, 5)) c.features.emplace_back(f.feature, static_cast<float>(f.weight));
  const std::string& route = request.route();
  if (route.empty() || route == "auto") {
    c.role = c.label;
    if (c.confidence < config_.min_confidence || !pools_.HasPool(c.role)) c.role = config_.fallback_route;
  } else if (IsRole(route)) {
    c.role = route;
    c.pinned = true;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("route: '", route, "' (use auto, reasoning, coder or translation)"));
  }
  return c;
}

grpc::ServerWriteReactor<v1::ChatEvent>* RouterService::Chat(grpc::CallbackServerContext* ctx, const v1::ChatRequest* request) {
  return new ChatReactor(ctx, *request, this);  // NOLINT: freed in OnDone
}

grpc::ServerUnaryReactor* RouterService::Classify(grpc::CallbackServerContext* ctx, const v1::ClassifyRequest* request,
                                                  v1::ClassifyResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (auto who = gate_->Authenticate(Authorization(*ctx), NewTraceId()); !who.ok()) {
    reactor->Finish(ToGrpc(who.status()));
    return reactor;
  }
  const classify::Classification cls = classifier_.Classify(request->text());
  response->set_label(classifier_.label_name(cls.label));
  response->set_confidence(cls.confidence);
  for (int i = 0; i < classifier_.num_labels(); ++i) {
    (*response->mutable_scores())[classifier_.label_name(i)] = cls.probabilities[static_cast<size_t>(i)];
  }
  for (const auto& f : classifier_.Explain(request->text(), 5)) {
    v1::Feature* out = response->add_features();
    out->set_name(f.feature);
    out->set_weight(static_cast<float>(f.weight));
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* RouterService::ListWorkers(grpc::CallbackServerContext* ctx, const v1::ListWorkersRequest*,
                                                     v1::ListWorkersResponse* response) {
  for (Replica* r : pools_.replicas()) {
    const Replica::State s = r->state();
    v1::Replica* out = response->add_replicas();
    out->set_role(r->role());
    out->set_endpoint(r->endpoint());
    out->set_healthy(s.healthy);
    out->set_running(s.running);
    out->set_queued(s.queued);
    out->set_kv_blocks_free(s.kv_blocks_free);
    out->set_last_error(s.last_error);
  }
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace switchyard
