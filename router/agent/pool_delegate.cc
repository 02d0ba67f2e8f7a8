#include "router/agent/pool_delegate.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"

namespace switchyard {
namespace {

bool RetryableBeforeFirstEvent(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::UNKNOWN || code == grpc::StatusCode::INTERNAL;
}

}  // namespace

absl::StatusOr<std::string> PoolDelegate::Ask(std::string_view role, std::string_view task,
                                              const tools::ToolContext& context) {
  if (hooks_.admit_role) {
    if (absl::Status s = hooks_.admit_role(role); !s.ok()) return s;
  }
  v1::GenerateRequest request;
  request.set_request_id(trace_id_);
  v1::ChatMessage* m = request.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content(std::string(task));
  request.mutable_sampling()->set_max_tokens(max_tokens_);

  const absl::string_view role_name(role.data(), role.size());  // this Abseil's string_view is its own type
  std::vector<const Replica*> tried;
  for (int attempt = 0;; ++attempt) {
    if (absl::Status live = context.CheckLive(); !live.ok()) return live;
    absl::StatusOr<Replica*> picked = pools_.Pick(role_name, tried);
    if (!picked.ok()) return picked.status();
    Replica* replica = *picked;
    grpc::ClientContext ctx;
    if (context.deadline != absl::InfiniteFuture()) ctx.set_deadline(absl::ToChronoTime(context.deadline));
    ctx.AddMetadata("x-trace-id", trace_id_);
    if (!calls_->Add(&ctx)) return absl::CancelledError("the request was cancelled");
    replica->Acquire();
    const absl::Time start = absl::Now();
    std::string text;
    bool got_first = false;
    v1::StepTrace trace;
    trace.set_role(std::string(role));
    trace.set_replica(replica->endpoint());
    trace.set_delegated_by(context.tool_call_id);
    {
      std::unique_ptr<grpc::ClientReader<v1::GenerateEvent>> reader = replica->stub().Generate(&ctx, request);
      v1::GenerateEvent e;
      while (reader->Read(&e)) {
        got_first = true;
        if (e.has_text_delta()) text += e.text_delta();
        if (e.has_finish()) {
          trace.set_prompt_tokens(e.finish().usage().prompt_tokens());
          trace.set_completion_tokens(e.finish().usage().completion_tokens());
          trace.set_finish_reason(e.finish().reason());
        }
      }
      const grpc::Status status = reader->Finish();
      calls_->Remove(&ctx);
      replica->Release();
      trace.set_latency_ms(absl::ToInt64Milliseconds(absl::Now() - start));
      if (status.ok()) {
        if (hooks_.record) hooks_.record(std::move(trace));
        return text;
      }
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        replica->MarkFailed(absl::StrCat("call failed: ", status.error_message()));
      }
      const std::string error = absl::StrCat(role_name, " worker ", replica->endpoint(), ": ", status.error_message());
      trace.set_finish_reason(v1::ERROR);
      trace.set_error(error);
      if (hooks_.record) hooks_.record(trace);
      if (!got_first && attempt == 0 && RetryableBeforeFirstEvent(status.error_code())) {
        tried.push_back(replica);
        continue;
      }
      return ToAbsl(grpc::Status(status.error_code(), error));
    }
  }
}

}  // namespace switchyard
