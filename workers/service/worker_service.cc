#include "workers/service/worker_service.h"

#include <deque>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/json_log.h"

namespace switchyard {
namespace {

v1::FinishReason ToProto(FinishReason r) {
  switch (r) {
    case FinishReason::kStop: return v1::STOP;
    case FinishReason::kLength: return v1::LENGTH;
    case FinishReason::kCancelled: return v1::CANCELLED;
    case FinishReason::kError: return v1::ERROR;
    case FinishReason::kNone: break;
  }
  return v1::FINISH_REASON_UNSPECIFIED;
}

// What the engine thread and the reactor share. The reactor stays alive until it has called
// Finish (gRPC calls OnDone only after that), so holding the pointer until then is safe.
struct StreamState {
  absl::Mutex mu;
  std::deque<v1::GenerateEvent> pending ABSL_GUARDED_BY(mu);
  bool writing ABSL_GUARDED_BY(mu) = false;
  bool engine_done ABSL_GUARDED_BY(mu) = false;
  bool finish_called ABSL_GUARDED_BY(mu) = false;
  grpc::Status final_status ABSL_GUARDED_BY(mu);
  // The engine request, once submitted; a cancel that comes first is remembered.
  std::shared_ptr<RequestHandle> handle ABSL_GUARDED_BY(mu);
  bool cancel_requested ABSL_GUARDED_BY(mu) = false;
  v1::GenerateEvent current;  // the message being written (owned while writing)
  // For the metrics and the request_done line.
  const absl::Time start = absl::Now();
  std::optional<double> ttft_seconds ABSL_GUARDED_BY(mu);
  int64_t prompt_tokens ABSL_GUARDED_BY(mu) = 0;
  int64_t completion_tokens ABSL_GUARDED_BY(mu) = 0;

  void Cancel() {
    absl::MutexLock lock(&mu);
    cancel_requested = true;
    if (handle) handle->Cancel();
  }
};

class GenerateReactor final : public grpc::ServerWriteReactor<v1::GenerateEvent> {
 public:
  GenerateReactor(grpc::CallbackServerContext* ctx, const v1::GenerateRequest& request, Engine* engine,
                  const RequestAdapter* adapter, WorkerMetrics* metrics, const std::string& role)
      : state_(std::make_shared<StreamState>()), metrics_(metrics), role_(role), trace_id_(TraceId(*ctx, request)) {
    if (engine == nullptr || adapter == nullptr) {
      FinishEarly(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the worker is still loading its model; retry shortly"));
      return;
    }
    auto prepared = adapter->Build(request);
    if (!prepared.ok()) {
      FinishEarly(ToGrpc(prepared.status()));
      return;
    }
    std::shared_ptr<OutputEvents> parser = adapter->NewOutput(*prepared);
    EngineRequest er;
    er.id = request.request_id();
    er.prompt = std::move(prepared->prompt);
    er.sampling = std::move(prepared->sampling);
    er.on_output = [state = state_, parser, this](SequenceOutput out) { OnEngineOutput(*state, *parser, std::move(out)); };
    auto handle = engine->Submit(std::move(er));
    if (!handle.ok()) {
      FinishEarly(ToGrpc(handle.status()));
      return;
    }
    absl::MutexLock lock(&state_->mu);
    state_->handle = std::move(*handle);
    if (state_->cancel_requested || ctx->IsCancelled()) state_->handle->Cancel();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&state_->mu);
      state_->writing = false;
    }
    if (!ok) state_->Cancel();  // the client went away; OnCancel follows
    Pump(*state_, this);
  }
  void OnCancel() override { state_->Cancel(); }
  void OnDone() override {
    Report();
    delete this;  // NOLINT: gRPC's reactor lifetime contract
  }

  // Starts the next write or the final Finish, whichever is due. Callable from any thread.
  static void Pump(StreamState& s, GenerateReactor* r) {
    v1::GenerateEvent* to_write = nullptr;
    bool finish = false;
    grpc::Status status;
    {
      absl::MutexLock lock(&s.mu);
      if (s.writing || s.finish_called) return;
      if (!s.pending.empty()) {
        s.current = std::move(s.pending.front());
        s.pending.pop_front();
        s.writing = true;
        to_write = &s.current;
      } else if (s.engine_done) {
        s.finish_called = true;
        finish = true;
        status = s.final_status;
      }
    }
    if (to_write != nullptr) r->StartWrite(to_write);
    if (finish) r->Finish(status);
  }

 private:
  // The router's trace id for this call (bounded: it is the client's text).
  static std::string TraceId(const grpc::CallbackServerContext& ctx, const v1::GenerateRequest& request) {
    const auto& md = ctx.client_metadata();
    const auto it = md.find("x-trace-id");
    std::string id = it != md.end() ? std::string(it->second.data(), it->second.size()) : request.request_id();
    if (id.size() > 128) id.resize(128);
    return id;
  }

  // A call refused before its sequence started.
  void FinishEarly(const grpc::Status& status) {
    {
      absl::MutexLock lock(&state_->mu);
      state_->final_status = status;
    }
    Finish(status);
  }

  // The call has ended (OnDone): counted, and one log line the router's line of the run shares
  // the trace id with. Off the engine thread, so the engine never waits on stderr.
  void Report() {
    grpc::Status status;
    std::optional<double> ttft;
    int64_t prompt = 0, completion = 0;
    {
      absl::MutexLock lock(&state_->mu);
      status = state_->final_status;
      ttft = state_->ttft_seconds;
      prompt = state_->prompt_tokens;
      completion = state_->completion_tokens;
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - state_->start);
    metrics_->RequestEnded(status.error_code(), seconds, ttft, prompt, completion);
    nlohmann::json fields = {{"trace_id", trace_id_},
                             {"role", role_},
                             {"status", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))},
                             {"prompt_tokens", prompt},
                             {"completion_tokens", completion},
                             {"ttft_ms", ttft ? nlohmann::json(static_cast<int64_t>(*ttft * 1000)) : nlohmann::json(nullptr)},
                             {"duration_ms", static_cast<int64_t>(seconds * 1000)}};
    if (!status.ok()) fields["error"] = status.error_message();
    const bool normal = status.ok() || status.error_code() == grpc::StatusCode::CANCELLED;
    metrics::LogLine("worker", normal ? "info" : "warning", "request_done", std::move(fields));
  }

  // Engine thread: one step's output becomes zero or more events.
  void OnEngineOutput(StreamState& s, OutputEvents& parser, SequenceOutput out) {
    std::vector<v1::GenerateEvent> events = parser.Push(out.text);
    if (out.finished) {
      for (auto& e : parser.Finish()) events.push_back(std::move(e));
    }
    if (!out.token_ids.empty()) {
      if (events.empty()) events.emplace_back();  // a tokens-only event: text may be held back
      for (int32_t t : out.token_ids) events.front().add_token_ids(t);
    }
    {
      absl::MutexLock lock(&s.mu);
      for (auto& e : events) s.pending.push_back(std::move(e));
      if (!s.ttft_seconds && (!out.token_ids.empty() || !out.text.empty())) {
        s.ttft_seconds = absl::ToDoubleSeconds(absl::Now() - s.start);
      }
      if (out.finished) {
        s.prompt_tokens = out.prompt_tokens;
        s.completion_tokens = out.completion_tokens;
        if (out.reason == FinishReason::kError) {
          s.final_status = ToGrpc(out.error);
        } else if (out.reason == FinishReason::kCancelled) {
          s.final_status = grpc::Status(grpc::StatusCode::CANCELLED, "the request was cancelled");
        } else {
          v1::GenerateEvent fin;
          fin.mutable_finish()->set_reason(out.reason == FinishReason::kStop && parser.saw_tool_calls() ? v1::TOOL_CALLS
                                                                                                       : ToProto(out.reason));
          fin.mutable_finish()->mutable_usage()->set_prompt_tokens(out.prompt_tokens);
          fin.mutable_finish()->mutable_usage()->set_completion_tokens(out.completion_tokens);
          s.pending.push_back(std::move(fin));
        }
        s.engine_done = true;
      }
    }
    Pump(s, this);
  }

  std::shared_ptr<StreamState> state_;
  WorkerMetrics* metrics_;
  const std::string role_;
  const std::string trace_id_;
};

}  // namespace

WorkerService::WorkerService(WorkerIdentity identity, WorkerMetrics* metrics)
    : identity_(std::move(identity)),
      own_registry_(metrics ? nullptr : std::make_unique<metrics::Registry>()),
      own_metrics_(metrics ? nullptr : std::make_unique<WorkerMetrics>(*own_registry_)),
      metrics_(metrics ? metrics : own_metrics_.get()) {
  metrics_->registry().AddCollector([this] {
    if (Engine* e = engine_.load()) metrics_->SetEngineStats(e->Stats());
  });
}

void WorkerService::SetReady(Engine* engine, const RequestAdapter* adapter) {
  adapter_.store(adapter);
  engine_.store(engine);
}

grpc::ServerWriteReactor<v1::GenerateEvent>* WorkerService::Generate(grpc::CallbackServerContext* ctx,
                                                                     const v1::GenerateRequest* request) {
  return new GenerateReactor(ctx, *request, engine_.load(), adapter_.load(), metrics_,  // NOLINT: freed in OnDone
                             identity_.role);
}

grpc::ServerUnaryReactor* WorkerService::Info(grpc::CallbackServerContext* ctx, const v1::InfoRequest*,
                                              v1::WorkerInfo* response) {
  response->set_role(identity_.role);
  response->set_model(identity_.model_name);
  response->set_architecture(identity_.architecture);
  if (Engine* e = engine_.load()) {
    const EngineStats s = e->Stats();
    response->set_running(s.running);
    response->set_queued(s.waiting);
    response->set_max_batch(e->options().max_batch);
    response->set_max_queue(e->options().max_queue);
    response->set_kv_blocks_total(s.kv_blocks_total);
    response->set_kv_blocks_free(s.kv_blocks_free);
    response->set_kv_block_size(static_cast<int32_t>(e->options().block_size));
    response->set_context_length(e->context_length());
    response->set_tokens_generated(s.tokens_generated);
  }
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace switchyard
