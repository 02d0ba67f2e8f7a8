#include "router/agent/step_answer.h"

#include <utility>

namespace switchyard {

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

StepAnswer::StepAnswer(const Guardrails* rules, RunPolicy& policy) : rules_(rules), policy_(policy) {
  if (rules_ != nullptr) {
    text_guard_.emplace(*rules_);
    reasoning_guard_.emplace(*rules_);
  }
}

absl::Status StepAnswer::Take(const v1::GenerateEvent& e, RunOutbox& out) {
  if (!blocked_.ok()) return blocked_;
  started_ = true;
  switch (e.event_case()) {
    case v1::GenerateEvent::kFinish:
      finish_ = e.finish();
      return absl::OkStatus();
    case v1::GenerateEvent::kToolCall: return TakeToolCall(e, out);
    case v1::GenerateEvent::kTextDelta: text_ += e.text_delta(); break;
    case v1::GenerateEvent::kReasoningDelta: reasoning_ += e.reasoning_delta(); break;
    default: break;
  }
  if (rules_ == nullptr) {
    out.Push(ToChatEvent(e));
    return absl::OkStatus();
  }
  return Guard(ToChatEvent(e), out);
}

absl::Status StepAnswer::TakeToolCall(const v1::GenerateEvent& e, RunOutbox& out) {
  v1::ChatEvent call = ToChatEvent(e);
  absl::StatusOr<std::string> args = policy_.GuardToolArguments(e.tool_call().name(), e.tool_call().arguments_json());
  if (!args.ok()) return Block(args.status());
  call.mutable_tool_call()->set_arguments_json(*std::move(args));
  calls_.push_back(call.tool_call());
  if (rules_ != nullptr) {
    // Text before a call is complete: release what the guards hold so the order holds.
    if (absl::Status s = Flush(out); !s.ok()) return s;
    call.clear_token_ids();
  }
  out.Push(std::move(call));
  return absl::OkStatus();
}

absl::Status StepAnswer::Guard(v1::ChatEvent e, RunOutbox& out) {
  e.clear_token_ids();
  if (!e.has_text_delta() && !e.has_reasoning_delta()) {
    out.Push(std::move(e));
    return absl::OkStatus();
  }
  const bool text = e.has_text_delta();
  OutputGuard& guard = text ? *text_guard_ : *reasoning_guard_;
  GuardrailOutcome o = guard.Push(text ? e.text_delta() : e.reasoning_delta());
  if (absl::Status s = policy_.AuditOutput(o); !s.ok()) return Block(std::move(s));
  if (o.text.empty()) return absl::OkStatus();
  text ? e.set_text_delta(std::move(o.text)) : e.set_reasoning_delta(std::move(o.text));
  out.Push(std::move(e));
  return absl::OkStatus();
}

absl::Status StepAnswer::Flush(RunOutbox& out) {
  if (!blocked_.ok()) return blocked_;
  if (rules_ == nullptr) return absl::OkStatus();
  for (bool text : {false, true}) {
    std::optional<OutputGuard>& guard = text ? text_guard_ : reasoning_guard_;
    GuardrailOutcome o = guard->Finish();
    guard.emplace(*rules_);
    if (absl::Status s = policy_.AuditOutput(o); !s.ok()) return Block(std::move(s));
    if (o.text.empty()) continue;
    v1::ChatEvent rest;
    text ? rest.set_text_delta(std::move(o.text)) : rest.set_reasoning_delta(std::move(o.text));
    out.Push(std::move(rest));
  }
  return absl::OkStatus();
}

absl::Status StepAnswer::Block(absl::Status why) {
  blocked_ = std::move(why);
  return blocked_;
}

}  // namespace switchyard
