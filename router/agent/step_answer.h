// StepAnswer: one model answer (one step of a run) as it streams in — kept for the conversation
// and the trace (text, reasoning, tool calls, the worker's finish), and turned into the events
// the client sees. With output guardrails, text and reasoning pass through an OutputGuard each
// (held back and released as the guards allow, token ids dropped: they would spell out what is
// held back), and tool-call arguments through the policy's rules; each decision is audited. A
// block ends the answer: nothing more is taken, and the run ends with the block's status.
//
// The worker's finish is the step's, not the run's: it is kept, not forwarded.
// Thread safety: none; the run guards it with its own mutex.
#ifndef SWITCHYARD_ROUTER_AGENT_STEP_ANSWER_H_
#define SWITCHYARD_ROUTER_AGENT_STEP_ANSWER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "policies/guardrails.h"
#include "policies/output_guard.h"
#include "router/agent/run_outbox.h"
#include "router/agent/run_policy.h"
#include "switchyard/v1/router.pb.h"
#include "switchyard/v1/worker.pb.h"

namespace switchyard {

class StepAnswer {
 public:
  // `rules`: the output guardrails, or null for none. Both must outlive the answer.
  StepAnswer(const Guardrails* rules, RunPolicy& policy);

  // One worker event: kept, and its client events queued in `out`. Not OK (the block, or the
  // audit log's refusal) once the answer is blocked; later events are ignored.
  absl::Status Take(const v1::GenerateEvent& event, RunOutbox& out);
  // The answer is complete: queues what the guards still hold. Not OK when a rule blocks.
  absl::Status Flush(RunOutbox& out);

  bool started() const { return started_; }  // an event has come
  const absl::Status& blocked() const { return blocked_; }
  const std::string& text() const { return text_; }
  const std::string& reasoning() const { return reasoning_; }
  const std::vector<v1::ToolCall>& calls() const { return calls_; }  // arguments as run (guarded)
  const v1::Finish& finish() const { return finish_; }

 private:
  absl::Status TakeToolCall(const v1::GenerateEvent& event, RunOutbox& out);
  // A text or reasoning delta through its guard (other events pass, without token ids).
  absl::Status Guard(v1::ChatEvent event, RunOutbox& out);
  absl::Status Block(absl::Status why);

  const Guardrails* rules_;
  RunPolicy& policy_;
  std::optional<OutputGuard> text_guard_, reasoning_guard_;  // with rules only
  bool started_ = false;
  absl::Status blocked_;
  std::string text_, reasoning_;
  std::vector<v1::ToolCall> calls_;
  v1::Finish finish_;
};

// The client's form of a worker event (token ids kept).
v1::ChatEvent ToChatEvent(const v1::GenerateEvent& event);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_STEP_ANSWER_H_
