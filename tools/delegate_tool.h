// DelegateTool: the built-ins that hand a sub-task to another role — ask_coder (role "coder"),
// ask_translator ("translation"), ask_reasoner ("reasoning"). Arguments {task, context?}; the
// worker sees the task, then "\n\nContext:\n" and the context when one is given. The result is
// that worker's answer, verbatim.
#ifndef SWITCHYARD_TOOLS_DELEGATE_TOOL_H_
#define SWITCHYARD_TOOLS_DELEGATE_TOOL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/role_delegate.h"
#include "tools/tool.h"

namespace switchyard::tools {

// `tool_name` is "ask_coder", "ask_translator" or "ask_reasoner"; InvalidArgument otherwise.
// The delegate is shared by the tools and must outlive none of them.
absl::StatusOr<Tool> MakeDelegateTool(const std::string& tool_name, std::shared_ptr<RoleDelegate> delegate);

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_DELEGATE_TOOL_H_
