#include "tools/builtin_tools.h"

#include <utility>

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

}  // namespace switchyard::tools
