#include "tools/run_code_tool.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandbox_result.h"
#include "sandbox/script_language.h"

namespace switchyard::tools {
namespace {

std::string Schema() {
  return absl::StrCat(R"({
  "type": "object",
  "properties": {
    "language": {"type": "string", "enum": ["python", "bash"]},
    "code": {"type": "string", "minLength": 1, "maxLength": )",
                      kRunCodeMaxSourceBytes, R"(, "description": "The whole program; print what you want to see."}
  },
  "required": ["language", "code"],
  "additionalProperties": false
})");
}

absl::StatusOr<ToolOutput> RunCode(const nlohmann::json& args, const ToolContext& context) {
  const absl::Time now = absl::Now();
  if (absl::Status live = context.CheckLive(now); !live.ok()) return live;
  absl::StatusOr<sandbox::ScriptLanguage> lang = sandbox::ParseScriptLanguage(args.at("language").get<std::string>());
  if (!lang.ok()) return lang.status();
  sandbox::SandboxLimits limits = context.sandbox_limits;
  if (context.deadline != absl::InfiniteFuture()) {
    const auto left = std::chrono::milliseconds(absl::ToInt64Milliseconds(context.deadline - now));
    if (left.count() <= 0) return absl::DeadlineExceededError("the request's deadline has passed");
    limits.timeout = std::min(limits.timeout, left);
  }
  absl::StatusOr<sandbox::SandboxResult> r =
      sandbox::Sandbox::Run(sandbox::ScriptPolicy(*lang, args.at("code").get<std::string>(), limits));
  if (!r.ok()) return r.status();
  nlohmann::json summary = {
      {"exit_code", r->exit_code},
      {"stdout", r->stdout_bytes},
      {"stderr", r->stderr_bytes},
      {"timed_out", r->timed_out},
      {"killed", r->killed},
      {"wall_ms", r->wall_ms},
      {"truncated", r->truncated},
      {"stdout_truncated", r->stdout_total > static_cast<int64_t>(r->stdout_bytes.size())},
      {"stderr_truncated", r->stderr_total > static_cast<int64_t>(r->stderr_bytes.size())},
  };
  ToolOutput out;
  out.content = summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.structured = sandbox::ToJson(*r);
  return out;
}

}  // namespace

absl::StatusOr<Tool> MakeRunCodeTool() {
  return Tool::Create("run_code",
                      "Run a Python 3 or bash program in an isolated sandbox without network access. Returns exit "
                      "code, stdout, stderr, wall time and whether output was truncated or the program was killed.",
                      Schema(), RunCode);
}

}  // namespace switchyard::tools
