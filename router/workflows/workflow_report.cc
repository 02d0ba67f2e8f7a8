#include "router/workflows/workflow_report.h"

#include "absl/strings/str_cat.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {
namespace {

const char* TargetKey(StepKind kind) { return kind == StepKind::kModel ? "role" : "tool"; }

// A logfmt value: bare when it is one plain word, else a JSON string.
std::string LogValue(const std::string& v) {
  bool bare = !v.empty();
  for (char c : v) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f || c == '"' || c == '=' || c == '\\') bare = false;
  }
  return bare ? v : DumpJson(v);
}

const char* EventName(StepEvent::Type t) {
  switch (t) {
    case StepEvent::Type::kStarted: return "started";
    case StepEvent::Type::kRetrying: return "retrying";
    case StepEvent::Type::kFinished: return "finished";
    case StepEvent::Type::kSkipped: return "skipped";
  }
  return "?";
}

}  // namespace

nlohmann::json ReportJson(const Workflow& workflow, const RunResult& result) {
  nlohmann::json j = nlohmann::json::object();
  j["workflow"] = workflow.name;
  j["ok"] = result.ok;
  if (!result.ok) {
    j["error"] = result.error;
    if (!result.failed_step.empty()) j["failed_step"] = result.failed_step;
  }
  j["outputs"] = result.outputs;
  j["latency_ms"] = result.latency_ms;
  j["usage"] = {{"prompt_tokens", result.prompt_tokens},
                {"completion_tokens", result.completion_tokens},
                {"cached_prompt_tokens", result.cached_prompt_tokens}};
  nlohmann::json steps = nlohmann::json::array();
  for (const StepRecord& r : result.steps) {
    nlohmann::json s = nlohmann::json::object();
    s["id"] = r.id;
    if (!r.name.empty() && r.name != r.id) s["name"] = r.name;
    s["kind"] = StepKindName(r.kind);
    if (!r.target.empty()) s[TargetKey(r.kind)] = r.target;
    if (!r.loop.empty()) {
      s["loop"] = r.loop;
      s["round"] = r.round;
    }
    s["status"] = r.status;
    s["ok"] = r.status == "ok";
    s["attempts"] = r.attempts;
    if (r.kind == StepKind::kRepeat) s["rounds"] = r.rounds;
    s["latency_ms"] = r.latency_ms;
    const std::string out = TruncateUtf8(r.output, kReportOutputBytes);
    s["output"] = out;
    if (out.size() < r.output.size()) s["output_truncated"] = true;
    if (!r.error.empty()) s["error"] = r.error;
    if (r.kind == StepKind::kModel && r.attempts > 0) {
      if (!r.finish.empty()) s["finish"] = r.finish;
      if (!r.trace_id.empty()) s["trace_id"] = r.trace_id;
      s["usage"] = {{"prompt_tokens", r.prompt_tokens},
                    {"completion_tokens", r.completion_tokens},
                    {"cached_prompt_tokens", r.cached_prompt_tokens}};
    }
    steps.push_back(std::move(s));
  }
  j["steps"] = std::move(steps);
  return j;
}

std::string FormatStepEvent(const StepEvent& e) {
  std::string line = absl::StrCat("event=", EventName(e.type), " step=", LogValue(e.id), " kind=", StepKindName(e.kind));
  if (!e.target.empty()) absl::StrAppend(&line, " ", TargetKey(e.kind), "=", LogValue(e.target));
  if (!e.loop.empty()) absl::StrAppend(&line, " loop=", LogValue(e.loop), " round=", e.round);
  switch (e.type) {
    case StepEvent::Type::kRetrying:
      absl::StrAppend(&line, " attempt=", e.attempt, " error=", LogValue(e.error));
      break;
    case StepEvent::Type::kFinished:
      absl::StrAppend(&line, " ok=", e.ok ? "true" : "false");
      if (e.kind == StepKind::kRepeat) {
        absl::StrAppend(&line, " rounds=", e.rounds);
      } else {
        absl::StrAppend(&line, " attempts=", e.attempt);
      }
      absl::StrAppend(&line, " latency_ms=", e.latency_ms);
      if (!e.ok) absl::StrAppend(&line, " error=", LogValue(e.error));
      break;
    default:
      break;
  }
  return line;
}

}  // namespace switchyard::workflows
