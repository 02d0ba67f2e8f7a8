// In-memory stand-ins for what the worker client and an agent run act through, so that their
// tests need no gRPC: a transport whose replicas the test scripts (each opened stream waits
// for the test to send its events and end it), a policy that records what it is asked, a
// metrics recorder and a client stream. Fakes deliver on the test's thread, at once, as
// eagerly as gRPC may: a cancel can call back before it returns, so code under test must not
// hold its locks across these calls.
#ifndef SWITCHYARD_TESTS_ROUTER_AGENT_AGENT_FAKES_H_
#define SWITCHYARD_TESTS_ROUTER_AGENT_AGENT_FAKES_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "router/agent/agent_run.h"
#include "router/agent/run_metrics.h"
#include "router/agent/run_policy.h"
#include "router/agent/worker_transport.h"

namespace switchyard::testing {

// How long a test waits for something that should happen at once.
inline constexpr absl::Duration kWait = absl::Seconds(10);

inline v1::GenerateEvent TextEvent(const std::string& s, std::vector<int32_t> tokens = {}) {
  v1::GenerateEvent e;
  e.set_text_delta(s);
  for (int32_t t : tokens) e.add_token_ids(t);
  return e;
}
inline v1::GenerateEvent CallEvent(const std::string& id, const std::string& name, const nlohmann::json& args) {
  v1::GenerateEvent e;
  e.mutable_tool_call()->set_id(id);
  e.mutable_tool_call()->set_name(name);
  e.mutable_tool_call()->set_arguments_json(args.dump());
  return e;
}
inline v1::GenerateEvent FinishEvent(v1::FinishReason reason, int prompt, int completion, int cached = 0) {
  v1::GenerateEvent e;
  e.mutable_finish()->set_reason(reason);
  e.mutable_finish()->mutable_usage()->set_prompt_tokens(prompt);
  e.mutable_finish()->mutable_usage()->set_completion_tokens(completion);
  e.mutable_finish()->mutable_usage()->set_cached_prompt_tokens(cached);
  return e;
}

// One opened stream. The test sends events and ends it; they reach the observer as reads ask
// for them, and the end once the reads have ended (as gRPC's would).
class FakeStream final : public GenerateStream {
 public:
  FakeStream(std::string endpoint, std::shared_ptr<const v1::GenerateRequest> request, CallSettings settings,
             std::shared_ptr<GenerateStreamObserver> observer)
      : endpoint_(std::move(endpoint)), request_(std::move(request)), settings_(std::move(settings)),
        observer_(std::move(observer)) {}

  const std::string& endpoint() const { return endpoint_; }
  const v1::GenerateRequest& request() const { return *request_; }
  const CallSettings& settings() const { return settings_; }

  // The test's side.
  void Send(v1::GenerateEvent e) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      queued_.push_back(std::move(e));
    }
    Pump();
  }
  void End(absl::Status status) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (!end_) end_ = std::move(status);
    }
    Pump();
  }
  // The whole answer at once: events, then OK.
  void Answer(std::vector<v1::GenerateEvent> events) {
    for (auto& e : events) Send(std::move(e));
    End(absl::OkStatus());
  }
  bool cancelled() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }
  int delivered() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return delivered_;
  }
  bool done() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return done_;
  }

  // GenerateStream.
  void Start() override ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      EXPECT_FALSE(started_) << "Start() twice";
      started_ = true;
      read_pending_ = true;
    }
    Pump();
  }
  void Read() override ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (done_ || !started_) return;
      EXPECT_FALSE(read_pending_) << "two reads in flight";
      read_pending_ = true;
    }
    Pump();
  }
  void Cancel() override ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      queued_.clear();  // what the worker had not yet sent never comes
      if (!end_) end_ = absl::CancelledError("Cancelled");
    }
    Pump();
  }

 private:
  // Delivers what is due, one callback at a time, outside the lock; a nested call (a Read from
  // inside a callback) leaves the delivery to the loop already running.
  void Pump() ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (pumping_) return;
      pumping_ = true;
    }
    while (DeliverOne()) {
    }
  }
  // One event or the end, if due; false (and the pump stopped) when nothing is.
  bool DeliverOne() ABSL_LOCKS_EXCLUDED(mu_) {
    std::optional<v1::GenerateEvent> event;
    std::optional<absl::Status> end;
    std::shared_ptr<GenerateStreamObserver> observer;
    {
      absl::MutexLock lock(&mu_);
      if (!done_ && started_ && read_pending_ && !queued_.empty()) {
        event = std::move(queued_.front());
        queued_.pop_front();
        read_pending_ = false;
        ++delivered_;
        observer = observer_;
      } else if (!done_ && started_ && end_ && queued_.empty() && (read_pending_ || cancelled_)) {
        done_ = true;
        end = *end_;
        observer = std::move(observer_);
      } else {
        pumping_ = false;
        return false;
      }
    }
    if (event) {
      observer->OnStreamEvent(*std::move(event));
      return true;
    }
    observer->OnStreamDone(*end);
    absl::MutexLock lock(&mu_);
    pumping_ = false;
    return false;
  }

  const std::string endpoint_;
  const std::shared_ptr<const v1::GenerateRequest> request_;
  const CallSettings settings_;
  std::shared_ptr<GenerateStreamObserver> observer_;

  mutable absl::Mutex mu_;
  std::deque<v1::GenerateEvent> queued_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> end_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool read_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool pumping_ ABSL_GUARDED_BY(mu_) = false;
  int delivered_ ABSL_GUARDED_BY(mu_) = 0;
};

// Replicas by role, picked in the order they were added (first not excluded, not down).
class FakeTransport final : public WorkerTransport {
 public:
  void AddReplica(const std::string& role, const std::string& endpoint) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    replicas_.push_back(std::make_unique<Replica>(Replica{role, endpoint, false}));
  }
  void SetDown(const std::string& endpoint, bool down) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    for (auto& r : replicas_) {
      if (r->endpoint == endpoint) r->down = down;
    }
  }

  absl::StatusOr<PickedReplica> Pick(absl::string_view role, const std::vector<ReplicaKey>& exclude) override
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ++picks_;
    for (auto& r : replicas_) {
      if (r->role != role || r->down) continue;
      if (std::find(exclude.begin(), exclude.end(), r.get()) != exclude.end()) continue;
      return PickedReplica{r.get(), r->endpoint};
    }
    return absl::UnavailableError(absl::StrCat("no healthy '", role, "' worker"));
  }
  std::shared_ptr<GenerateStream> Open(const PickedReplica& replica, std::shared_ptr<const v1::GenerateRequest> request,
                                       const CallSettings& settings,
                                       std::shared_ptr<GenerateStreamObserver> observer) override ABSL_LOCKS_EXCLUDED(mu_) {
    auto s = std::make_shared<FakeStream>(replica.endpoint, std::move(request), settings, std::move(observer));
    absl::MutexLock lock(&mu_);
    streams_.push_back(s);
    return s;
  }

  // The `index`th stream opened (0-based), once it has been; fails the test after kWait.
  std::shared_ptr<FakeStream> WaitForStream(size_t index) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    auto opened = [this, index]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return streams_.size() > index; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&opened), kWait)) {
      ADD_FAILURE() << "stream " << index << " was never opened";
      return nullptr;
    }
    return streams_[index];
  }
  size_t streams() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return streams_.size();
  }
  int picks() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return picks_;
  }

 private:
  struct Replica {
    std::string role, endpoint;
    bool down;
  };
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Replica>> replicas_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<FakeStream>> streams_ ABSL_GUARDED_BY(mu_);
  int picks_ ABSL_GUARDED_BY(mu_) = 0;
};

// One ordered record of what happened, shared by the fakes (audit before streaming, ...).
class Journal {
 public:
  void Add(std::string entry) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    entries_.push_back(std::move(entry));
  }
  std::vector<std::string> entries() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return entries_;
  }
  // Where `entry` is, or -1.
  int IndexOf(const std::string& entry) const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i] == entry) return static_cast<int>(i);
    }
    return -1;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> entries_ ABSL_GUARDED_BY(mu_);
};

// Admits everything unless told otherwise; journals each audit ("audit:<tool>:<step>:<code>").
// Output outcomes answer as PolicyGate does: the block is PERMISSION_DENIED.
class FakePolicy final : public RunPolicy {
 public:
  explicit FakePolicy(Journal* journal) : journal_(journal) {}

  absl::flat_hash_set<std::string> denied_tools, denied_roles;
  std::string blocked_argument;  // a tool call whose arguments contain it is blocked
  absl::Status audit_refusal;    // what AuditToolCall answers (after journaling)

  absl::Status AdmitTool(absl::string_view tool) override {
    if (denied_tools.contains(tool)) return absl::PermissionDeniedError(absl::StrCat("may not use tool '", tool, "'"));
    return absl::OkStatus();
  }
  absl::Status AdmitDelegation(absl::string_view role) override {
    if (denied_roles.contains(role)) return absl::PermissionDeniedError(absl::StrCat("may not use role '", role, "'"));
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> GuardToolArguments(absl::string_view, std::string arguments_json) override {
    if (!blocked_argument.empty() && arguments_json.find(blocked_argument) != std::string::npos) {
      return absl::PermissionDeniedError("output blocked by guardrail rule 'secret'");
    }
    return arguments_json;
  }
  absl::Status AuditOutput(const GuardrailOutcome& outcome) override {
    return outcome.blocked ? outcome.ToStatus(GuardrailDirection::kOutput) : absl::OkStatus();
  }
  absl::Status AuditToolCall(absl::string_view tool, int step, const absl::Status& result) override {
    journal_->Add(absl::StrCat("audit:", tool, ":", step, ":", absl::StatusCodeToString(result.code())));
    return audit_refusal;
  }

 private:
  Journal* journal_;
};

class RecordingMetrics final : public RunMetrics {
 public:
  void FirstToken(absl::string_view role, double) override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    first_tokens_.push_back(std::string(role));
  }
  void ModelCall(const v1::StepTrace& step) override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    model_calls_.push_back(step.role());
  }
  void RunLimit(absl::string_view limit) override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    limits_.push_back(std::string(limit));
  }
  void ToolResult(const v1::ToolResult& result, absl::string_view) override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    tool_results_.push_back(result.tool_call_id());
  }
  std::vector<std::string> first_tokens() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return first_tokens_;
  }
  std::vector<std::string> model_calls() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return model_calls_;
  }
  std::vector<std::string> limits() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return limits_;
  }
  size_t tool_results() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return tool_results_.size();
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> first_tokens_ ABSL_GUARDED_BY(mu_), model_calls_ ABSL_GUARDED_BY(mu_),
      limits_ ABSL_GUARDED_BY(mu_), tool_results_ ABSL_GUARDED_BY(mu_);
};

// The client's stream: keeps every event, and completes each write at once (or, when held,
// when the test says so). Journals tool results as they are written ("stream:<call id>").
class FakeSink final : public RunEventSink {
 public:
  explicit FakeSink(Journal* journal = nullptr) : journal_(journal) {}

  void Attach(std::shared_ptr<AgentRun> run) { run_ = std::move(run); }
  // Held writes wait for Ack().
  void set_hold(bool hold) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    hold_ = hold;
  }

  void Write(const v1::ChatEvent* event) override ABSL_LOCKS_EXCLUDED(mu_) {
    bool ack;
    {
      absl::MutexLock lock(&mu_);
      EXPECT_FALSE(in_flight_) << "two writes in flight";
      EXPECT_FALSE(finished_) << "a write after Finish";
      events_.push_back(*event);
      if (journal_ != nullptr && event->has_tool_result()) journal_->Add("stream:" + event->tool_result().tool_call_id());
      in_flight_ = true;
      ack = !hold_;
      if (ack) in_flight_ = false;
    }
    if (ack) run_->OnWriteDone(true);
  }
  void Finish(const absl::Status& status, const RunSummary& summary) override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    EXPECT_FALSE(finished_) << "Finish twice";
    EXPECT_FALSE(in_flight_) << "Finish with a write in flight";
    finished_ = true;
    status_ = status;
    summary_ = summary;
  }

  // Completes the write in flight (held writes).
  void Ack(bool ok = true) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      ASSERT_TRUE(in_flight_) << "no write in flight";
      in_flight_ = false;
    }
    run_->OnWriteDone(ok);
  }

  // Waits for the run's Finish; fails the test after kWait.
  absl::Status WaitForFinish() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&finished_), kWait)) {
      ADD_FAILURE() << "the run never finished";
      return absl::DeadlineExceededError("never finished");
    }
    return status_;
  }
  bool finished() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return finished_;
  }
  RunSummary summary() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return summary_;
  }
  std::vector<v1::ChatEvent> events() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // One letter per event: R route, T text, G reasoning, C call, X result, S step, Z trace,
  // F finish, ? other.
  std::string kinds() const ABSL_LOCKS_EXCLUDED(mu_) {
    std::string k;
    for (const v1::ChatEvent& e : events()) {
      switch (e.event_case()) {
        case v1::ChatEvent::kRoute: k += 'R'; break;
        case v1::ChatEvent::kTextDelta: k += 'T'; break;
        case v1::ChatEvent::kReasoningDelta: k += 'G'; break;
        case v1::ChatEvent::kToolCall: k += 'C'; break;
        case v1::ChatEvent::kToolResult: k += 'X'; break;
        case v1::ChatEvent::kStep: k += 'S'; break;
        case v1::ChatEvent::kTrace: k += 'Z'; break;
        case v1::ChatEvent::kFinish: k += 'F'; break;
        default: k += '?';
      }
    }
    return k;
  }
  // The last event of a kind (an empty one when there is none).
  v1::ChatEvent Last(v1::ChatEvent::EventCase kind) const {
    v1::ChatEvent found;
    for (const v1::ChatEvent& e : events()) {
      if (e.event_case() == kind) found = e;
    }
    return found;
  }
  std::string text() const {
    std::string t;
    for (const v1::ChatEvent& e : events()) t += e.text_delta();
    return t;
  }

 private:
  Journal* journal_;
  std::shared_ptr<AgentRun> run_;
  mutable absl::Mutex mu_;
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  RunSummary summary_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ChatEvent> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ROUTER_AGENT_AGENT_FAKES_H_
