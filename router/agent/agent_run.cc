#include "router/agent/agent_run.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "router/agent/prefix_keys.h"
#include "router/agent/tool_batch.h"

namespace switchyard {
namespace {

std::string MaxSecondsDetail(const RunLimits& limits) {
  return absl::StrCat("max_seconds: the run took ", limits.max_seconds, " s, its limit");
}

absl::Status ClientCancelled() { return absl::CancelledError("the client cancelled the run"); }

}  // namespace

// The step's call reports here; only its end counts (a failed attempt that is retried is the
// worker client's business, not the run's).
class AgentRun::StepObserver final : public WorkerCallObserver {
 public:
  explicit StepObserver(AgentRun* run) : run_(run) {}
  void OnAttempt(const std::string& endpoint) override { run_->OnAttempt(endpoint); }
  void OnEvent(v1::GenerateEvent event) override { run_->OnEvent(std::move(event)); }
  void OnAttemptEnd(const absl::Status& status, bool retrying) override {
    if (!retrying) run_->OnCallEnd(status);
  }

 private:
  AgentRun* const run_;
};

absl::StatusOr<std::shared_ptr<AgentRun>> AgentRun::Create(RunPlan plan, RunDeps deps,
                                                           std::unique_ptr<RunPolicy> policy, RunEventSink* sink) {
  // Not make_shared: the constructor is private.
  std::shared_ptr<AgentRun> run(new AgentRun(std::move(plan), deps, std::move(policy), sink));
  if (absl::Status s = run->SetUpTools(); !s.ok()) return s;
  return run;
}

AgentRun::AgentRun(RunPlan plan, RunDeps deps, std::unique_ptr<RunPolicy> policy, RunEventSink* sink)
    : plan_(std::move(plan)),
      deps_(deps),
      policy_(std::move(policy)),
      sink_(sink),
      observer_(std::make_unique<StepObserver>(this)),
      relay_(plan_.router_tools.empty()),
      request_(plan_.request),
      detector_(plan_.limits.max_identical_calls) {}

// The request's tools: the client's (handed back when called) and the router's (run here,
// each allowed by the policy), all shown to the model, the client's first.
absl::Status AgentRun::SetUpTools() {
  absl::MutexLock lock(&mu_);
  for (const v1::Tool& t : request_.tools()) client_tools_.insert(t.name());
  if (!relay_ && request_.response_format().type() != v1::ResponseFormat::TEXT) {
    return absl::InvalidArgumentError(
        "response_format: cannot be combined with router_tools (a forced format leaves the model no way to call "
        "them); ask for the format in a last request without router_tools");
  }
  toolbox_ = std::make_unique<RunToolbox>(
      *deps_.worker, *policy_,
      RunToolbox::Settings{plan_.trace_id, plan_.delegation_max_tokens, plan_.deadline, plan_.sandbox_limits,
                           plan_.request.cache_salt()},
      // Delegations run only inside the run's tool tasks, which hold the run.
      [this](v1::StepTrace t, const v1::Usage& usage) { OnDelegation(std::move(t), usage); });
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < plan_.router_tools.size(); ++i) {
    const std::string& name = plan_.router_tools[i];
    if (!seen.insert(name).second) continue;
    const std::string field = absl::StrCat("router_tools[", i, "]");
    if (client_tools_.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": \"", name, "\" is also declared in tools; rename the client's tool"));
    }
    absl::StatusOr<const tools::Tool*> tool = toolbox_->Add(name, field);
    if (!tool.ok()) return tool.status();
    v1::Tool* shown = request_.add_tools();
    shown->set_name((*tool)->name);
    shown->set_description((*tool)->description);
    shown->set_parameters_json_schema((*tool)->parameters_json);
  }
  return toolbox_->AddDocuments(plan_.documents);
}

AgentRun::State AgentRun::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void AgentRun::Start() {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    NewStepLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::Apply(Effects fx) {
  if (fx.tools) RunTools(*std::move(fx.tools));
  if (fx.cancel) fx.cancel->Cancel();
  if (fx.cancel_tools) toolbox_->CancelAll();
  if (fx.start) {
    if (absl::Status s = fx.start->Start(); !s.ok()) OnStartFailed(s);
  }
  if (fx.read) fx.read->Read();
  if (fx.write != nullptr) sink_->Write(fx.write);
  // Last: the sink may be gone once it has finished.
  if (fx.finish) sink_->Finish(*fx.finish, fx.summary);
}

// ---- the step's call ----

void AgentRun::NewStepLocked(Effects& fx) {
  ++step_;
  attempts_ = 0;
  answer_.emplace(plan_.output_rules, *policy_);
  step_start_ = deps_.clock->Now();
  // Recomputed whole: the keys of the messages step N sent are unchanged, as they are.
  SetPrefixKeys(&request_);
  call_ = deps_.worker->NewCall(plan_.route.role(), std::make_shared<const v1::GenerateRequest>(request_),
                                CallSettings{plan_.deadline, plan_.trace_id}, observer_.get(), shared_from_this());
  state_ = State::kModelStep;
  fx.start = call_;
}

void AgentRun::OnStartFailed(const absl::Status& status) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    if (step_ == 1) {
      // Nothing was said yet: the status alone answers the call.
      state_ = State::kDone;
      fx.finish = status;
    } else {
      EndWithErrorLocked(status);
      PumpLocked(fx);
    }
  }
  Apply(std::move(fx));
}

void AgentRun::OnAttempt(const std::string& endpoint) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    ++attempts_;
    replica_ = endpoint;
    if (step_ == 1 && attempts_ == 1) {
      v1::ChatEvent first;
      first.set_trace_id(plan_.trace_id);
      *first.mutable_route() = plan_.route;
      first.mutable_route()->set_replica(endpoint);
      outbox_.Push(std::move(first));
    } else if (v1::ChatEvent* first = outbox_.FirstQueued(); step_ == 1 && first != nullptr && first->has_route()) {
      first->mutable_route()->set_replica(endpoint);  // a retry: name the replica serving now
    }
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::OnEvent(v1::GenerateEvent event) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    if (step_ == 1 && !answer_->started()) {
      deps_.metrics->FirstToken(plan_.route.role(), absl::ToDoubleSeconds(deps_.clock->Now() - plan_.start));
    }
    if (!answer_->Take(event, outbox_).ok()) fx.cancel = call_;  // blocked: the run ends with the call
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::OnCallEnd(const absl::Status& status) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    if (!answer_->blocked().ok()) {
      EndWithErrorLocked(answer_->blocked());
    } else if (status.ok()) {
      EndOfStepLocked(fx);
    } else {
      CallFailedLocked(status);
    }
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::CallFailedLocked(const absl::Status& status) {
  const std::string who = absl::StrCat("worker ", replica_, " (", plan_.route.role(), ")");
  const absl::StatusCode code = status.code();
  if (code == absl::StatusCode::kDeadlineExceeded && plan_.deadline_is_run_limit && !cancelled_) {
    RecordStepLocked(absl::StrCat(who, ": ", status.message()));
    EndRunLocked(v1::RUN_LIMIT, "max_seconds", MaxSecondsDetail(plan_.limits));
    return;
  }
  RecordStepLocked(std::string(status.message()));
  if (answer_->started() && code != absl::StatusCode::kCancelled && code != absl::StatusCode::kDeadlineExceeded) {
    EndWithErrorLocked(absl::UnavailableError(absl::StrCat(who, " failed after the answer had started: ",
                                                           status.message(), "; the answer is incomplete")));
  } else {
    EndWithErrorLocked(absl::Status(code, absl::StrCat(who, ": ", status.message())));
  }
}

// The step's answer is complete: end the run, or run its router tools.
void AgentRun::EndOfStepLocked(Effects& fx) {
  if (!answer_->Flush(outbox_).ok()) {
    RecordStepLocked("");
    EndWithErrorLocked(answer_->blocked());
    return;
  }
  const size_t index = RecordStepLocked("");
  ToolWork work{index, trace_.step(index).step(), {}, {}};
  for (const v1::ToolCall& c : answer_->calls()) {
    // Without router tools the router only relays: every call is the client's. With them, a
    // call of an undeclared tool is run too, so that the model reads "no tool named ...".
    (relay_ || client_tools_.contains(c.name()) ? work.client_calls : work.router_calls).push_back(c);
  }
  if (work.router_calls.empty()) {
    PushStepLocked(index);
    const v1::FinishReason reason = answer_->finish().reason();
    EndRunLocked(reason, !work.client_calls.empty() ? "client_tool_calls" : reason == v1::LENGTH ? "length" : "stop", "");
    return;
  }
  if (auto limit = LimitHitLocked(work.router_calls)) {
    PushStepLocked(index);
    EndRunLocked(v1::RUN_LIMIT, limit->first, limit->second);
    return;
  }
  if (cancelled_) {  // nobody is left to read what the tools would say
    PushStepLocked(index);
    EndWithErrorLocked(ClientCancelled());
    return;
  }
  state_ = State::kRunningTools;
  fx.tools = std::move(work);
}

std::optional<std::pair<std::string, std::string>> AgentRun::LimitHitLocked(
    const std::vector<v1::ToolCall>& router_calls) {
  const RunLimits& limits = plan_.limits;
  if (step_ >= limits.max_steps) {
    return std::make_pair("max_steps",
                          absl::StrCat("max_steps: ", step_, " model calls made and the model still calls tools"));
  }
  if (trace_.tokens() >= limits.max_tokens) {
    return std::make_pair("max_tokens",
                          absl::StrCat("max_tokens: ", trace_.tokens(), " tokens used of ", limits.max_tokens));
  }
  if (deps_.clock->Now() >= plan_.deadline && plan_.deadline_is_run_limit) {
    return std::make_pair("max_seconds", MaxSecondsDetail(limits));
  }
  for (const v1::ToolCall& c : router_calls) {
    if (absl::Status s = detector_.Record(c.name(), c.arguments_json()); !s.ok()) {
      return std::make_pair("loop", std::string(s.message()));
    }
  }
  return std::nullopt;
}

// ---- the step's tools ----

void AgentRun::RunTools(ToolWork work) {
  std::shared_ptr<AgentRun> self = shared_from_this();
  const int32_t number = work.number;
  ToolBatchCallbacks callbacks{
      .on_result =
          [self, calls = work.router_calls, number](const v1::ToolResult& r) {
            for (const v1::ToolCall& c : calls) {
              if (c.id() == r.tool_call_id()) self->deps_.metrics->ToolResult(r, c.arguments_json());
            }
            // On record before the model (or the client) sees the result.
            const absl::Status outcome = r.ok() ? absl::OkStatus() : absl::UnknownError(r.error());
            self->OnToolResult(r, self->policy_->AuditToolCall(r.name(), number, outcome));
          },
      .on_done =
          [self, index = work.index, client_calls = std::move(work.client_calls)](
              std::vector<v1::ToolResult> results) { self->OnToolsDone(index, client_calls, std::move(results)); },
  };
  RunToolBatch(*deps_.tools, toolbox_->registry(), std::move(work.router_calls), toolbox_->context(), number,
               std::move(callbacks));
}

void AgentRun::OnToolResult(const v1::ToolResult& result, const absl::Status& audited) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    if (!audited.ok()) {
      if (audit_error_.ok()) audit_error_ = audited;
    } else {
      v1::ChatEvent e;
      *e.mutable_tool_result() = result;
      outbox_.Push(std::move(e));
    }
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::OnDelegation(v1::StepTrace trace, const v1::Usage& usage) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    const size_t index = trace_.Add(std::move(trace), usage);
    deps_.metrics->ModelCall(trace_.step(index));
    PushStepLocked(index);
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::OnToolsDone(size_t index, const std::vector<v1::ToolCall>& client_calls,
                           std::vector<v1::ToolResult> results) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    v1::StepTrace& step = trace_.step(index);
    for (const v1::ToolResult& r : results) *step.add_tool_results() = r;
    step.set_latency_ms(absl::ToInt64Milliseconds(deps_.clock->Now() - step_start_));
    PushStepLocked(index);
    if (!audit_error_.ok()) {
      EndWithErrorLocked(audit_error_);
    } else if (cancelled_) {
      EndWithErrorLocked(ClientCancelled());
    } else {
      AppendTurnLocked(results);
      if (!client_calls.empty()) {
        EndRunLocked(v1::TOOL_CALLS, "client_tool_calls", "");
      } else if (deps_.clock->Now() >= plan_.deadline) {
        if (plan_.deadline_is_run_limit) {
          EndRunLocked(v1::RUN_LIMIT, "max_seconds", MaxSecondsDetail(plan_.limits));
        } else {
          EndWithErrorLocked(absl::DeadlineExceededError("the request's deadline passed while its tools ran"));
        }
      } else {
        // tool_choice is the first step's: forcing a call on every step would never end.
        request_.clear_tool_choice();
        NewStepLocked(fx);
      }
    }
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

// The assistant's turn and one tool message per router call, paired by call id, appended to
// the messages the step sent, which stay as they were: the next step's conversation starts with
// this one's, byte for byte, and so do its prefix keys (the workers' caches keep the prefix).
// The turn is what the worker sent: all its text and reasoning, its calls in its order with its
// argument text (rewritten only where an output guardrail redacted it); results in call order.
void AgentRun::AppendTurnLocked(const std::vector<v1::ToolResult>& results) {
  v1::ChatMessage* a = request_.add_messages();
  a->set_role(v1::ChatMessage::ASSISTANT);
  a->set_content(answer_->text());
  a->set_reasoning_content(answer_->reasoning());
  for (const v1::ToolCall& c : answer_->calls()) *a->add_tool_calls() = c;
  for (const v1::ToolResult& r : results) {
    v1::ChatMessage* t = request_.add_messages();
    t->set_role(v1::ChatMessage::TOOL);
    t->set_tool_call_id(r.tool_call_id());
    t->set_name(r.name());
    t->set_content(r.content());
  }
}

// ---- the client's stream ----

void AgentRun::OnWriteDone(bool ok) {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    outbox_.WriteDone();
    if (!ok) CancelLocked(fx);  // the client is gone
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::Cancel() {
  Effects fx;
  {
    absl::MutexLock lock(&mu_);
    CancelLocked(fx);
    PumpLocked(fx);
  }
  Apply(std::move(fx));
}

void AgentRun::CancelLocked(Effects& fx) {
  cancelled_ = true;
  if (state_ == State::kModelStep) fx.cancel = call_;
  fx.cancel_tools = true;  // delegations in flight, and tools that check the flag
}

void AgentRun::PumpLocked(Effects& fx) {
  if (state_ == State::kDone) return;
  if (const v1::ChatEvent* e = outbox_.StartWrite()) fx.write = e;
  if (state_ == State::kEnding && outbox_.drained()) {
    state_ = State::kDone;
    fx.finish = final_;
    fx.summary = SummaryLocked();
    return;
  }
  if (state_ == State::kModelStep && !cancelled_ && answer_->blocked().ok() && outbox_.backlog() < kReadAhead) {
    fx.read = call_;  // a no-op while a read is in flight
  }
}

// ---- the trace and the end ----

// The step's model call into the trace (its tool results are added when they come).
size_t AgentRun::RecordStepLocked(const std::string& error) {
  v1::StepTrace t;
  t.set_role(plan_.route.role());
  t.set_replica(replica_);
  t.set_latency_ms(absl::ToInt64Milliseconds(deps_.clock->Now() - step_start_));
  t.set_finish_reason(error.empty() ? answer_->finish().reason() : v1::ERROR);
  t.set_error(error);
  for (const v1::ToolCall& c : answer_->calls()) *t.add_tool_calls() = c;
  const size_t index = trace_.Add(std::move(t), answer_->finish().usage());
  deps_.metrics->ModelCall(trace_.step(index));
  return index;
}

void AgentRun::PushStepLocked(size_t index) {
  v1::ChatEvent e;
  *e.mutable_step() = trace_.step(index);
  outbox_.Push(std::move(e));
}

// The run ends with its trace and a finish event (OK status).
void AgentRun::EndRunLocked(v1::FinishReason reason, const std::string& end_reason, const std::string& detail) {
  if (reason == v1::RUN_LIMIT) deps_.metrics->RunLimit(end_reason);
  v1::ChatEvent trace;
  *trace.mutable_trace() = trace_.Build(end_reason, plan_.start, deps_.clock->Now());
  outbox_.Push(std::move(trace));
  v1::ChatEvent e;
  e.mutable_finish()->set_reason(reason);
  *e.mutable_finish()->mutable_usage() = trace_.usage();
  e.mutable_finish()->set_detail(detail);
  outbox_.Push(std::move(e));
  final_ = absl::OkStatus();
  state_ = State::kEnding;
}

// The run ends with an error status, after its trace.
void AgentRun::EndWithErrorLocked(absl::Status status) {
  v1::ChatEvent trace;
  *trace.mutable_trace() = trace_.Build("error", plan_.start, deps_.clock->Now());
  outbox_.Push(std::move(trace));
  final_ = std::move(status);
  state_ = State::kEnding;
}

RunSummary AgentRun::SummaryLocked() const {
  RunSummary s;
  s.replica = replica_;
  s.steps = step_;
  s.usage = trace_.usage();
  s.tokens = trace_.tokens();
  return s;
}

}  // namespace switchyard
