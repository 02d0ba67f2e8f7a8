#include "router/service/router_service.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "router/agent/run_toolbox.h"
#include "router/agent/tool_call_runner.h"
#include "router/service/call_metadata.h"
#include "router/service/chat_reactor.h"
#include "router/service/gate_run_policy.h"

namespace switchyard {
namespace {

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
  return StartChatRun(ctx, *request, this);
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
    out->set_kv_blocks_total(s.kv_blocks_total);
    out->set_kv_blocks_cached(s.kv_blocks_cached);
    out->set_prefix_hit_tokens(s.prefix_hit_tokens);
    out->set_prefix_miss_tokens(s.prefix_miss_tokens);
    out->set_prefix_cache(s.prefix_cache);
  }
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* RouterService::CallTool(grpc::CallbackServerContext* ctx, const v1::CallToolRequest* request,
                                                  v1::ToolResult* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  const std::string trace_id = NewTraceId();
  auto who = gate_->Authenticate(Authorization(*ctx), trace_id);
  if (!who.ok()) {
    reactor->Finish(ToGrpc(who.status()));
    return reactor;
  }
  // Tools block (the sandbox, another worker): they run on the tool pool, never on gRPC's threads.
  tool_pool_.Post([this, ctx, request, response, reactor, trace_id, who = *std::move(who)] {
    reactor->Finish(ToGrpc(RunOneTool(*ctx, *request, trace_id, who, response)));
  });
  return reactor;
}

absl::Status RouterService::RunOneTool(const grpc::CallbackServerContext& ctx, const v1::CallToolRequest& request,
                                       const std::string& trace_id, const Admission& who, v1::ToolResult* response) {
  GateRunPolicy policy(*gate_, who, trace_id);
  const auto fallback = std::chrono::system_clock::now() + std::chrono::seconds(config_.deadline_seconds);
  RunToolbox box(worker_client_, policy,
                 RunToolbox::Settings{trace_id, config_.max_tokens, absl::FromChrono(std::min(ctx.deadline(), fallback)),
                                      gate_->SandboxLimitsFor(who), cache_salts_.For(who.tenant_name())},
                 // No run to trace a delegation in: its tokens are charged to the tenant as it ends.
                 [&](v1::StepTrace, const v1::Usage& u) {
                   gate_->Charge(who, int64_t{u.prompt_tokens()} + u.completion_tokens());
                 });
  if (absl::StatusOr<const tools::Tool*> tool = box.Add(request.name(), "name"); !tool.ok()) return tool.status();
  if (absl::Status s = box.AddDocuments(request.documents()); !s.ok()) return s;
  v1::ToolCall call;
  call.set_id(trace_id);  // the call's id is the trace id: there is no model call to pair with
  call.set_name(request.name());
  call.set_arguments_json(request.arguments_json());
  *response = RunToolCall(box.registry(), call, box.context(), 0);
  const absl::Status outcome = response->ok() ? absl::OkStatus() : absl::UnknownError(response->error());
  if (absl::Status s = policy.AuditToolCall(request.name(), 0, outcome); !s.ok()) return s;
  metrics_->ToolResult(*response, request.arguments_json());
  return absl::OkStatus();
}

}  // namespace switchyard
