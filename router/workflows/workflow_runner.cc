#include "router/workflows/workflow_runner.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "router/workflows/answer_extract.h"
#include "router/workflows/run_values.h"
#include "router/workflows/value_text.h"
#include "router/workflows/workflow_file.h"

namespace switchyard::workflows {
namespace {

// A call that failed, and whether trying again could help.
struct Failure {
  std::string message;
  bool retryable = true;
  bool named = false;  // the message already names the step (a repeat passing on its body's failure)
};

// Codes that say the request itself is wrong or not allowed: the same call will fail the same way.
bool Permanent(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kUnimplemented:
      return true;
    default:
      return false;
  }
}

Failure FromStatus(absl::string_view what, const absl::Status& s) {
  return {absl::StrCat(what, ": ", absl::StatusCodeToString(s.code()), ": ", s.message()), !Permanent(s.code())};
}

// One run of a workflow: its values, records and the step being run.
class Execution {
 public:
  Execution(const Workflow& wf, const nlohmann::json& inputs, WorkflowBackend& backend, const RunOptions& options)
      : wf_(wf), values_(wf, inputs), backend_(backend), options_(options) {}

  RunResult Run() {
    const absl::Time start = Now();
    absl::Status s = RunSteps(wf_.steps);
    result_.ok = s.ok();
    if (!s.ok()) result_.error = std::string(s.message());
    if (s.ok()) result_.failed_step.clear();
    for (const auto& [name, tmpl] : wf_.outputs) {
      auto v = tmpl.Evaluate(values_);
      if (v.ok()) {
        result_.outputs[name] = *std::move(v);
      } else if (result_.ok) {
        result_.ok = false;
        result_.error = absl::StrCat("outputs.", name, ": ", v.status().message());
      }
    }
    result_.latency_ms = absl::ToInt64Milliseconds(Now() - start);
    return std::move(result_);
  }

 private:
  absl::Time Now() const { return options_.now ? options_.now() : absl::Now(); }
  void Emit(const StepEvent& e) const {
    if (options_.on_event) options_.on_event(e);
  }

  // Ok when every step succeeded, was skipped, or failed with continue_on_error; otherwise the
  // failure, its message naming the step.
  absl::Status RunSteps(const std::vector<Step>& steps) {
    for (const Step& step : steps) {
      if (absl::Status s = RunStep(step); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  std::string Target(const Step& step) const {
    return step.kind == StepKind::kModel ? step.model.role : step.kind == StepKind::kTool ? step.tool.name : "";
  }

  StepEvent Event(StepEvent::Type type, const Step& step) const {
    StepEvent e;
    e.type = type;
    e.id = step.id;
    e.kind = step.kind;
    e.target = Target(step);
    if (!loops_.empty()) {
      e.loop = loops_.back().first;
      e.round = loops_.back().second;
    }
    return e;
  }

  // "step \"patch\" (round 2 of \"fix\")".
  std::string Name(const Step& step) const {
    std::string name = absl::StrCat("step \"", step.id, "\"");
    if (!loops_.empty()) absl::StrAppend(&name, " (round ", loops_.back().second, " of \"", loops_.back().first, "\")");
    return name;
  }

  absl::Status RunStep(const Step& step) {
    const absl::Time t0 = Now();
    StepRecord rec;
    rec.id = step.id;
    rec.name = step.name;
    rec.kind = step.kind;
    rec.target = Target(step);
    if (!loops_.empty()) {
      rec.loop = loops_.back().first;
      rec.round = loops_.back().second;
    }
    const size_t index = result_.steps.size();
    result_.steps.push_back(std::move(rec));  // reserved now, so a repeat's record comes before its rounds'

    // The step's new values are built apart and stored at the end: until then its templates
    // still read its previous round (`steps.patch.output or steps.write.output`).
    StepState next;
    next.kind = step.kind;
    std::optional<Failure> failure;
    bool skipped = false;
    if (t0 >= options_.deadline) {
      failure = Failure{"the workflow's deadline passed before the step could start", false};
    } else if (step.condition) {
      auto holds = step.condition->Test(values_);
      if (!holds.ok()) {
        failure = Failure{absl::StrCat("if: ", holds.status().message()), false};
      } else {
        skipped = !*holds;
      }
    }
    if (skipped) {
      next.status = "skipped";
      values_.step(step.id) = std::move(next);
      result_.steps[index].status = "skipped";
      Emit(Event(StepEvent::Type::kSkipped, step));
      return absl::OkStatus();
    }
    if (!failure) {
      Emit(Event(StepEvent::Type::kStarted, step));
      if (step.kind == StepKind::kRepeat) {
        next.status = "running";
        values_.step(step.id) = std::move(next);
        failure = RunRepeat(step, values_.step(step.id));
        next = values_.step(step.id);
      } else {
        failure = RunWithRetries(step, next, index);
      }
    }
    next.latency_ms = absl::ToInt64Milliseconds(Now() - t0);
    next.status = failure ? "failed" : "ok";
    if (failure) next.error = failure->message;
    StepRecord& r = result_.steps[index];  // RunRepeat grew the vector: look it up again
    r.status = next.status;
    r.attempts = next.attempts;
    r.rounds = next.rounds;
    r.latency_ms = next.latency_ms;
    r.output = next.output;
    r.error = next.error;
    StepEvent done = Event(StepEvent::Type::kFinished, step);
    done.ok = !failure;
    done.attempt = next.attempts;
    done.rounds = next.rounds;
    done.latency_ms = next.latency_ms;
    done.error = next.error;
    values_.step(step.id) = std::move(next);
    Emit(done);
    if (!failure) return absl::OkStatus();
    if (step.continue_on_error) {
      result_.failed_step.clear();  // a step inside may have failed it; the run goes on
      return absl::OkStatus();
    }
    if (failure->named) return absl::AbortedError(failure->message);
    result_.failed_step = step.id;
    return absl::AbortedError(absl::StrCat(Name(step), ": ", failure->message));
  }

  std::vector<Document> Documents(const Step& step, bool can_search, std::optional<Failure>* failure) {
    std::vector<Document> out;
    const std::vector<DocumentSpec>* specs = step.documents ? &*step.documents : can_search ? &wf_.documents : nullptr;
    if (specs == nullptr) return out;
    for (size_t i = 0; i < specs->size(); ++i) {
      auto name = (*specs)[i].name.Render(values_);
      auto text = name.ok() ? (*specs)[i].text.Render(values_) : absl::StatusOr<std::string>(name.status());
      if (!text.ok()) {
        *failure = Failure{absl::StrCat("documents[", i, "]: ", text.status().message()), false};
        return {};
      }
      out.push_back({*std::move(name), *std::move(text)});
    }
    return out;
  }

  absl::Time CallDeadline(const Step& step) const {
    absl::Time d = options_.deadline;
    if (step.timeout_s) d = std::min(d, Now() + absl::Seconds(*step.timeout_s));
    return d;
  }

  // Renders the request once (templates do not change between attempts), then calls.
  std::optional<Failure> RunWithRetries(const Step& step, StepState& st, size_t index) {
    std::optional<Failure> failure;
    std::vector<Message> messages;
    ChatOptions chat;
    std::string arguments;
    ToolOptions tool;
    if (step.kind == StepKind::kModel) {
      const ModelCall& m = step.model;
      if (m.system) {
        auto sys = m.system->Render(values_);
        if (!sys.ok()) return Failure{absl::StrCat("system: ", sys.status().message()), false};
        messages.push_back({Message::Role::kSystem, *std::move(sys)});
      }
      auto prompt = m.prompt.Render(values_);
      if (!prompt.ok()) return Failure{absl::StrCat("prompt: ", prompt.status().message()), false};
      messages.push_back({Message::Role::kUser, *std::move(prompt)});
      chat.router_tools = m.tools;
      chat.max_tokens = m.max_tokens;
      chat.temperature = m.temperature;
      chat.seed = m.seed;
      chat.thinking = m.thinking;
      chat.max_steps = m.max_steps;
      if (!m.json_schema.empty()) {
        chat.format = ChatOptions::Format::kJsonSchema;
        chat.json_schema = m.json_schema;
      } else if (m.extract == Extract::kJson) {
        chat.format = ChatOptions::Format::kJsonObject;
      }
      chat.documents = Documents(step, Contains(m.tools, "search_documents"), &failure);
      if (failure) return failure;
    } else {
      auto args = step.tool.with.Evaluate(values_);
      if (!args.ok()) return Failure{absl::StrCat("with.", args.status().message()), false};
      arguments = DumpJson(*args);
      tool.documents = Documents(step, step.tool.name == "search_documents", &failure);
      if (failure) return failure;
    }
    for (int attempt = 1; attempt <= step.retry.attempts; ++attempt) {
      st.attempts = attempt;
      if (step.kind == StepKind::kModel) {
        chat.deadline = CallDeadline(step);
        failure = CallModel(step, messages, chat, st, result_.steps[index]);
      } else {
        tool.deadline = CallDeadline(step);
        failure = CallTool(step, arguments, tool, st);
      }
      if (!failure || !failure->retryable || attempt == step.retry.attempts) break;
      StepEvent e = Event(StepEvent::Type::kRetrying, step);
      e.attempt = attempt;
      e.error = failure->message;
      Emit(e);
      if (step.retry.delay_ms > 0) {
        const absl::Duration delay = absl::Milliseconds(step.retry.delay_ms);
        if (Now() + delay >= options_.deadline) break;
        if (options_.sleep) {
          options_.sleep(delay);
        } else {
          absl::SleepFor(delay);
        }
      }
      if (Now() >= options_.deadline) break;
    }
    return failure;
  }

  static bool Contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  std::optional<Failure> CallModel(const Step& step, const std::vector<Message>& messages, const ChatOptions& chat,
                                   StepState& st, StepRecord& rec) {
    const ModelCall& m = step.model;
    auto reply = backend_.Chat(m.role, messages, chat);
    if (!reply.ok()) return FromStatus(m.role, reply.status());
    result_.prompt_tokens += reply->prompt_tokens;
    result_.completion_tokens += reply->completion_tokens;
    result_.cached_prompt_tokens += reply->cached_prompt_tokens;
    rec.prompt_tokens += reply->prompt_tokens;
    rec.completion_tokens += reply->completion_tokens;
    rec.cached_prompt_tokens += reply->cached_prompt_tokens;
    rec.finish = FinishName(reply->finish);
    rec.trace_id = reply->trace_id;
    st.reasoning = reply->reasoning;
    st.output = reply->text;
    st.result = nullptr;
    switch (reply->finish) {
      case Finish::kStop:
      case Finish::kLength:
      case Finish::kToolCalls:
        break;
      case Finish::kUnspecified:
        return Failure{absl::StrCat(m.role, ": the answer ended without a finish")};
      default:
        return Failure{absl::StrCat(m.role, ": the run ended with ", FinishName(reply->finish),
                                    reply->finish_detail.empty() ? "" : absl::StrCat(": ", reply->finish_detail))};
    }
    switch (m.extract) {
      case Extract::kText:
        break;
      case Extract::kCode:
        st.output = ExtractCode(reply->text);
        break;
      case Extract::kJson: {
        auto j = ExtractJson(reply->text);
        if (!j.ok()) return Failure{absl::StrCat("extract json: ", j.status().message())};
        st.result = *std::move(j);
        st.output = DumpJson(st.result);
        break;
      }
    }
    return std::nullopt;
  }

  std::optional<Failure> CallTool(const Step& step, const std::string& arguments, const ToolOptions& options, StepState& st) {
    auto reply = backend_.CallTool(step.tool.name, arguments, options);
    if (!reply.ok()) return FromStatus(step.tool.name, reply.status());
    st.output = reply->content;
    st.result = nullptr;
    if (!reply->structured_json.empty()) {
      if (auto j = ParseJsonBounded(reply->structured_json)) st.result = *std::move(j);
    }
    if (!reply->ok) return Failure{absl::StrCat(step.tool.name, ": ", reply->error.empty() ? reply->content : reply->error)};
    return std::nullopt;
  }

  std::optional<Failure> RunRepeat(const Step& step, StepState& st) {
    const Repeat& r = step.repeat;
    auto max_value = r.max.Evaluate(values_);
    if (!max_value.ok()) return Failure{absl::StrCat("repeat.max: ", max_value.status().message()), false};
    double rounds_d = 0;
    const nlohmann::json& mv = *max_value;
    const bool numeric = mv.is_number() ? (rounds_d = mv.get<double>(), true)
                                        : mv.is_string() && absl::SimpleAtod(mv.get<std::string>(), &rounds_d);
    if (!numeric || rounds_d != std::floor(rounds_d) || rounds_d < 1 || rounds_d > kMaxRepeatRounds) {
      return Failure{absl::StrCat("repeat.max: expected a whole number from 1 to ", kMaxRepeatRounds, ", got ", DescribeValue(mv)), false};
    }
    const int max = static_cast<int>(rounds_d);
    values_.EnterLoop(max);
    loops_.emplace_back(step.id, 0);
    std::optional<Failure> failure;
    bool done = r.until.has_value() ? false : true;
    for (int round = 1; round <= max; ++round) {
      values_.SetRound(round);
      loops_.back().second = round;
      st.rounds = round;
      absl::Status body = RunSteps(r.steps);
      // The repeat's output: the last step of this round that ran.
      for (auto it = r.steps.rbegin(); it != r.steps.rend(); ++it) {
        const StepState& inner = values_.step(it->id);
        if (inner.status == "ok" || inner.status == "failed") {
          st.output = inner.output;
          break;
        }
      }
      if (!body.ok()) {
        failure = Failure{std::string(body.message()), false, true};
        break;
      }
      if (r.until) {
        auto holds = r.until->Test(values_);
        if (!holds.ok()) {
          failure = Failure{absl::StrCat("repeat.until: ", holds.status().message()), false};
          break;
        }
        if (*holds) {
          done = true;
          break;
        }
      }
    }
    if (!failure && !done) {
      std::string message = absl::StrCat("until (", r.until->text(), ") still false after ", max, max == 1 ? " round" : " rounds");
      if (r.error) {
        st.status = "failed";  // the message may read steps.<this>.status
        auto text = r.error->Render(values_);
        message = text.ok() ? *std::move(text) : absl::StrCat(message, " (repeat.error: ", text.status().message(), ")");
      }
      failure = Failure{std::move(message), false};
    }
    loops_.pop_back();
    values_.LeaveLoop();
    return failure;
  }

  const Workflow& wf_;
  RunValues values_;
  WorkflowBackend& backend_;
  const RunOptions& options_;
  RunResult result_;
  std::vector<std::pair<std::string, int>> loops_;  // repeat id and round, innermost last
};

}  // namespace

WorkflowRunner::WorkflowRunner(WorkflowBackend& backend, RunOptions options)
    : backend_(backend), options_(std::move(options)) {}

RunResult WorkflowRunner::Run(const Workflow& workflow, const nlohmann::json& inputs) {
  Execution e(workflow, inputs, backend_, options_);
  return e.Run();
}

}  // namespace switchyard::workflows
