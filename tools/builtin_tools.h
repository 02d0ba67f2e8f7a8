// RegisterBuiltinTools: puts every built-in tool into a registry — run_code, search_documents,
// and, when a delegate is given, ask_coder, ask_translator and ask_reasoner.
#ifndef SWITCHYARD_TOOLS_BUILTIN_TOOLS_H_
#define SWITCHYARD_TOOLS_BUILTIN_TOOLS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/role_delegate.h"
#include "tools/tool_registry.h"

namespace switchyard::tools {

// AlreadyExists when one of the names is taken in `registry`.
absl::Status RegisterBuiltinTools(ToolRegistry& registry, std::shared_ptr<RoleDelegate> delegate);

// Every built-in's name: run_code, search_documents, ask_coder, ask_translator, ask_reasoner.
const std::vector<std::string>& BuiltinToolNames();
// One built-in by name (a run registers only the tools its request asked for). InvalidArgument
// for an unknown name; the ask_* tools need a delegate (FailedPrecondition without one).
absl::StatusOr<Tool> MakeBuiltinTool(const std::string& name, std::shared_ptr<RoleDelegate> delegate);

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_BUILTIN_TOOLS_H_
