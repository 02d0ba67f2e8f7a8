#include "tools/builtin_tools.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "tools/delegate_tool.h"
#include "tools/run_code_tool.h"
#include "tools/search_documents_tool.h"

namespace switchyard::tools {
namespace {

absl::Status Add(ToolRegistry& registry, absl::StatusOr<Tool> tool) {
  if (!tool.ok()) return tool.status();
  return registry.Register(*std::move(tool));
}

}  // namespace

absl::Status RegisterBuiltinTools(ToolRegistry& registry, std::shared_ptr<RoleDelegate> delegate) {
  if (absl::Status s = Add(registry, MakeRunCodeTool()); !s.ok()) return s;
  if (absl::Status s = Add(registry, MakeSearchDocumentsTool()); !s.ok()) return s;
  if (delegate == nullptr) return absl::OkStatus();
  for (const char* name : {"ask_coder", "ask_translator", "ask_reasoner"}) {
    if (absl::Status s = Add(registry, MakeDelegateTool(name, delegate)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

const std::vector<std::string>& BuiltinToolNames() {
  static const std::vector<std::string> kNames = {"run_code", "search_documents", "ask_coder", "ask_translator",
                                                  "ask_reasoner"};
  return kNames;
}

absl::StatusOr<Tool> MakeBuiltinTool(const std::string& name, std::shared_ptr<RoleDelegate> delegate) {
  if (name == "run_code") return MakeRunCodeTool();
  if (name == "search_documents") return MakeSearchDocumentsTool();
  if (name == "ask_coder" || name == "ask_translator" || name == "ask_reasoner") {
    if (delegate == nullptr) return absl::FailedPreconditionError(absl::StrCat(name, " needs a role delegate"));
    return MakeDelegateTool(name, std::move(delegate));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("no built-in tool named \"", name, "\" (", absl::StrJoin(BuiltinToolNames(), ", "), ")"));
}

}  // namespace switchyard::tools
