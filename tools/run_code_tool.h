// RunCodeTool: the run_code built-in — runs Python or bash in the sandbox under the tenant's
// limits (ToolContext::sandbox_limits), with the timeout cut to what is left of the request's
// deadline. Arguments {language: "python"|"bash", code}. The content is JSON:
//   {"exit_code", "stdout", "stderr", "timed_out", "killed", "wall_ms", "truncated",
//    "stdout_truncated", "stderr_truncated"}
// (non-UTF-8 output bytes become U+FFFD); `structured` is the sandbox's full ToJson. A program
// that fails or times out is a successful call: the model reads what happened.
#ifndef SWITCHYARD_TOOLS_RUN_CODE_TOOL_H_
#define SWITCHYARD_TOOLS_RUN_CODE_TOOL_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "tools/tool.h"

namespace switchyard::tools {

inline constexpr int64_t kRunCodeMaxSourceBytes = 100000;

absl::StatusOr<Tool> MakeRunCodeTool();

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_RUN_CODE_TOOL_H_
