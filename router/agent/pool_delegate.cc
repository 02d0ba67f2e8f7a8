#include "router/agent/pool_delegate.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "router/agent/prefix_keys.h"

namespace switchyard {
namespace {

// Collects one delegation's answer and the trace of each attempt; the tool thread waits for
// the end.
class Delegation final : public WorkerCallObserver {
 public:
  Delegation(std::string_view role, std::string delegated_by) : role_(role), delegated_by_(std::move(delegated_by)) {}

  void set_call(WorkerCall* call) { call_ = call; }

  void OnAttempt(const std::string& endpoint) override {
    start_ = absl::Now();
    endpoint_ = endpoint;
    text_.clear();
    usages_.emplace_back();
    v1::StepTrace& t = traces_.emplace_back();
    t.set_role(role_);
    t.set_replica(endpoint);
    t.set_delegated_by(delegated_by_);
  }
  void OnEvent(v1::GenerateEvent e) override {
    if (e.has_text_delta()) text_ += e.text_delta();
    if (e.has_finish()) {
      usages_.back() = e.finish().usage();
      v1::StepTrace& t = traces_.back();
      t.set_prompt_tokens(e.finish().usage().prompt_tokens());
      t.set_completion_tokens(e.finish().usage().completion_tokens());
      t.set_finish_reason(e.finish().reason());
    }
    call_->Read();
  }
  void OnAttemptEnd(const absl::Status& status, bool retrying) override {
    v1::StepTrace& t = traces_.back();
    t.set_latency_ms(absl::ToInt64Milliseconds(absl::Now() - start_));
    if (!status.ok()) {
      const std::string error = absl::StrCat(role_, " worker ", endpoint_, ": ", status.message());
      t.set_finish_reason(v1::ERROR);
      t.set_error(error);
      status_ = absl::Status(status.code(), error);
    } else {
      status_ = absl::OkStatus();
    }
    if (!retrying) done_.Notify();
  }

  void Wait() { done_.WaitForNotification(); }
  // After Wait(): the answer or the last attempt's error, and every attempt's trace.
  absl::StatusOr<std::string> result() && {
    if (!status_.ok()) return status_;
    return std::move(text_);
  }
  std::vector<v1::StepTrace>& traces() { return traces_; }
  const std::vector<v1::Usage>& usages() const { return usages_; }  // one per trace

 private:
  const std::string role_;
  const std::string delegated_by_;
  WorkerCall* call_ = nullptr;
  // Written by the call's callbacks, one at a time; read after done_.
  absl::Time start_;
  std::string endpoint_;
  std::string text_;
  std::vector<v1::StepTrace> traces_;
  std::vector<v1::Usage> usages_;
  absl::Status status_;
  absl::Notification done_;
};

}  // namespace

absl::StatusOr<std::string> PoolDelegate::Ask(std::string_view role, std::string_view task,
                                              const tools::ToolContext& context) {
  if (hooks_.admit_role) {
    if (absl::Status s = hooks_.admit_role(role); !s.ok()) return s;
  }
  if (absl::Status live = context.CheckLive(); !live.ok()) return live;
  auto request = std::make_shared<v1::GenerateRequest>();
  request->set_request_id(trace_id_);
  v1::ChatMessage* m = request->add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content(std::string(task));
  request->mutable_sampling()->set_max_tokens(max_tokens_);
  request->set_cache_salt(cache_salt_);
  SetPrefixKeys(request.get());

  Delegation delegation(role, context.tool_call_id);
  std::shared_ptr<WorkerCall> call =
      client_.NewCall(std::string(role), std::move(request), CallSettings{context.deadline, trace_id_}, &delegation);
  delegation.set_call(call.get());
  if (!calls_->Add(call)) return absl::CancelledError("the request was cancelled");
  if (absl::Status s = call->Start(); !s.ok()) {
    calls_->Remove(call);
    return s;
  }
  delegation.Wait();
  calls_->Remove(call);
  if (hooks_.record) {
    for (size_t i = 0; i < delegation.traces().size(); ++i) {
      hooks_.record(std::move(delegation.traces()[i]), delegation.usages()[i]);
    }
  }
  return std::move(delegation).result();
}

}  // namespace switchyard
