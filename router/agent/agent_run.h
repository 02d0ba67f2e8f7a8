// AgentRun: one agent run — a conversation on one role, step after step, until the model
// stops calling router tools — as a state machine that decides and asks injected parts to act
// (the scheduler/runner split of vLLM: the run never touches a socket or a thread itself).
//
//   kStarting ──Start──▶ kModelStep ──call ends OK, router tools called──▶ kRunningTools
//                            │  ▲                                              │
//                            │  └──────────── tools done, no limit hit ────────┘
//                            ▼
//   call ends OK with no router tool, a limit, an error, a block, a cancel ──▶ kEnding ──▶ kDone
//
//   kModelStep    the step's worker call is open (WorkerClient: pick, retry once, cancel). Each
//                 event goes through the StepAnswer (guardrails) to the client. The request
//                 carries the plan's cache salt and the conversation's prefix keys (prefix_keys.h).
//   kRunningTools the step's router tools run on the ToolExecutor (RunToolBatch); each result is
//                 audited, then streamed; delegations stream their StepTrace as they end.
//   kEnding       the run's end is decided and its last events (RunTrace, finish) are queued;
//                 nothing is outstanding but the writes.
//   kDone         the sink's Finish has been called; nothing more happens.
//
// Events in: the call's attempts, events and end (from the worker client), tool results and
// the batch's end (tool threads), delegation traces, writes done and cancellation (the
// client's stream). Facts that change the next transition but are not states: the client
// cancelled (the open call or the tools are stopped, and the run ends when they have), the
// answer was blocked (the call is cancelled, the run ends at its end), the audit log refused a
// tool call (the run ends when the tools are done).
//
// The client sees, in order: the route decision (with the trace id and the replica that
// serves), each step's deltas and tool calls, each router tool's result, a StepTrace per model
// call (delegations included, numbered in one sequence), the RunTrace, and the finish: the last
// answer's reason, TOOL_CALLS when a client tool was called (handed back, OpenAI semantics) or
// RUN_LIMIT with the limit in Finish.detail. Errors end the stream with a status after the
// RunTrace. The run reads from the worker only while the client keeps up (kReadAhead events).
//
// Thread safety: every method may be called from any thread. Decisions are made under the
// run's mutex; the parts are called outside it (a cancel or a start may call back at once).
// The run is shared (shared_ptr): calls and tool tasks hold it while they may call it.
#ifndef SWITCHYARD_ROUTER_AGENT_AGENT_RUN_H_
#define SWITCHYARD_ROUTER_AGENT_AGENT_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "policies/clock.h"
#include "policies/guardrails.h"
#include "router/agent/repeated_call_detector.h"
#include "router/agent/run_limits.h"
#include "router/agent/run_metrics.h"
#include "router/agent/run_outbox.h"
#include "router/agent/run_policy.h"
#include "router/agent/run_toolbox.h"
#include "router/agent/run_trace_builder.h"
#include "router/agent/step_answer.h"
#include "router/agent/tool_pool.h"
#include "router/agent/worker_client.h"
#include "sandbox/sandbox_limits.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

// Everything decided before the first model call (router/service admits the request).
struct RunPlan {
  std::string trace_id;
  v1::RouteDecision route;        // the first event's; the replica is filled in when picked
  v1::GenerateRequest request;    // the first step's: messages, sampling, the client's tools,
                                  // cache_salt (every call of the run carries it), ...
  std::vector<std::string> router_tools;  // the request's, in order (repeats are ignored)
  google::protobuf::RepeatedPtrField<v1::Document> documents;
  RunLimits limits;
  absl::Time start;
  // The client's deadline, the router's default or max_seconds, whichever comes first. Only
  // the last ends a run as RUN_LIMIT; the others are DEADLINE_EXCEEDED.
  absl::Time deadline = absl::InfiniteFuture();
  bool deadline_is_run_limit = false;
  const Guardrails* output_rules = nullptr;  // null: none; must outlive the run (the policy's)
  int32_t delegation_max_tokens = 1024;
  sandbox::SandboxLimits sandbox_limits;
};

// The parts a run acts through; all must outlive the run.
struct RunDeps {
  WorkerClient* worker = nullptr;
  ToolExecutor* tools = nullptr;
  RunMetrics* metrics = nullptr;
  const Clock* clock = nullptr;
};

// What the run's end reports besides its status (the chat_done log line, the tenant's charge).
struct RunSummary {
  std::string replica;  // the last step's
  int steps = 0;        // model calls of the conversation (delegations not counted)
  v1::Usage usage;      // over every model call, delegations included
  int64_t tokens = 0;   // prompt + completion
};

// The client's stream, as the run sees it.
class RunEventSink {
 public:
  virtual ~RunEventSink() = default;
  // Sends `event` (valid until OnWriteDone). One write at a time: the run waits for
  // AgentRun::OnWriteDone before the next.
  virtual void Write(const v1::ChatEvent* event) = 0;
  // The run's end, after its last write: called once, and the run calls the sink no more.
  virtual void Finish(const absl::Status& status, const RunSummary& summary) = 0;
};

class AgentRun final : public std::enable_shared_from_this<AgentRun> {
 public:
  enum class State { kStarting, kModelStep, kRunningTools, kEnding, kDone };
  // Events read from the worker ahead of the client's stream.
  static constexpr size_t kReadAhead = 4;

  // Sets up the run's tools (router_tools: each a built-in the policy admits; documents). An
  // error (INVALID_ARGUMENT naming the field, the policy's denial) is the call's status; nothing
  // has started. `sink` must outlive the run's last call to it.
  static absl::StatusOr<std::shared_ptr<AgentRun>> Create(RunPlan plan, RunDeps deps, std::unique_ptr<RunPolicy> policy,
                                                          RunEventSink* sink);

  // Starts the first step. When the role has no healthy replica the run finishes at once
  // (UNAVAILABLE, no event).
  void Start() ABSL_LOCKS_EXCLUDED(mu_);
  // The sink's write finished; !ok: the client is gone (as Cancel).
  void OnWriteDone(bool ok) ABSL_LOCKS_EXCLUDED(mu_);
  // The client cancelled: the open call and delegations are cancelled, the run ends CANCELLED
  // once they have ended.
  void Cancel() ABSL_LOCKS_EXCLUDED(mu_);

  State state() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  class StepObserver;
  struct ToolWork {
    size_t index;    // the step's entry in the trace
    int32_t number;  // its step number, which the tool results carry
    std::vector<v1::ToolCall> router_calls, client_calls;
  };
  // What a decision asks to be done, outside the lock.
  struct Effects {
    const v1::ChatEvent* write = nullptr;
    std::shared_ptr<WorkerCall> start, read, cancel;
    bool cancel_tools = false;
    std::optional<ToolWork> tools;
    std::optional<absl::Status> finish;
    RunSummary summary;
  };

  AgentRun(RunPlan plan, RunDeps deps, std::unique_ptr<RunPolicy> policy, RunEventSink* sink);
  absl::Status SetUpTools();
  void Apply(Effects fx) ABSL_LOCKS_EXCLUDED(mu_);

  // The step's call (StepObserver forwards here).
  void OnAttempt(const std::string& endpoint) ABSL_LOCKS_EXCLUDED(mu_);
  void OnEvent(v1::GenerateEvent event) ABSL_LOCKS_EXCLUDED(mu_);
  void OnCallEnd(const absl::Status& status) ABSL_LOCKS_EXCLUDED(mu_);
  void OnStartFailed(const absl::Status& status) ABSL_LOCKS_EXCLUDED(mu_);
  // The step's tools (tool threads).
  void OnToolResult(const v1::ToolResult& result, const absl::Status& audited) ABSL_LOCKS_EXCLUDED(mu_);
  void OnToolsDone(size_t index, const std::vector<v1::ToolCall>& client_calls, std::vector<v1::ToolResult> results)
      ABSL_LOCKS_EXCLUDED(mu_);
  void OnDelegation(v1::StepTrace trace, const v1::Usage& usage) ABSL_LOCKS_EXCLUDED(mu_);
  void RunTools(ToolWork work);

  // Decisions.
  void NewStepLocked(Effects& fx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CallFailedLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndOfStepLocked(Effects& fx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CancelLocked(Effects& fx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The limit the next step would break ("max_steps", ...) with its detail, or nullopt.
  std::optional<std::pair<std::string, std::string>> LimitHitLocked(const std::vector<v1::ToolCall>& router_calls)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AppendTurnLocked(const std::vector<v1::ToolResult>& results) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  size_t RecordStepLocked(const std::string& error) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PushStepLocked(size_t index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndRunLocked(v1::FinishReason reason, const std::string& end_reason, const std::string& detail)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndWithErrorLocked(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes, reads and the finish that are due now.
  void PumpLocked(Effects& fx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  RunSummary SummaryLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Fixed once created.
  const RunPlan plan_;
  const RunDeps deps_;
  const std::unique_ptr<RunPolicy> policy_;
  RunEventSink* const sink_;
  const std::unique_ptr<StepObserver> observer_;
  const bool relay_;  // no router tools: every tool call is the client's
  std::unique_ptr<RunToolbox> toolbox_;  // set up by Create, then read-only
  absl::flat_hash_set<std::string> client_tools_;  // likewise

  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kStarting;
  v1::GenerateRequest request_ ABSL_GUARDED_BY(mu_);  // the conversation; changed between steps
  RunOutbox outbox_ ABSL_GUARDED_BY(mu_);
  RunTraceBuilder trace_ ABSL_GUARDED_BY(mu_);
  RepeatedCallDetector detector_ ABSL_GUARDED_BY(mu_);
  // The step in progress.
  int step_ ABSL_GUARDED_BY(mu_) = 0;
  int attempts_ ABSL_GUARDED_BY(mu_) = 0;
  std::string replica_ ABSL_GUARDED_BY(mu_);
  absl::Time step_start_ ABSL_GUARDED_BY(mu_);
  std::optional<StepAnswer> answer_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<WorkerCall> call_ ABSL_GUARDED_BY(mu_);
  // Facts for the next transition.
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status audit_error_ ABSL_GUARDED_BY(mu_);  // the first tool call the audit log refused
  // The end.
  absl::Status final_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_AGENT_RUN_H_
