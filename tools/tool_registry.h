// ToolRegistry: the tools one agent run may call, built-in and client-declared, by name.
//
//   ToolRegistry registry;
//   RegisterBuiltinTools(registry, delegate);                 // builtin_tools.h
//   registry.Register(*Tool::Create("get_weather", "...", schema, nullptr));  // a client tool
//   json tools = registry.ToOpenAiTools();                      // for the chat template
//   ToolResult r = registry.Execute(call.name, call.arguments, context);
//
// Execute never runs a tool on arguments that are not a JSON object valid against its schema,
// and never fails by exception or crash: every problem is a ToolResult of kind kError whose
// content tells the model what to fix.
//
// Thread safety: Register during setup; afterwards Find, ToOpenAiTools and Execute are const and
// may run from several threads at once (executors must be thread-safe themselves).
#ifndef SWITCHYARD_TOOLS_TOOL_REGISTRY_H_
#define SWITCHYARD_TOOLS_TOOL_REGISTRY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tools/tool.h"
#include "tools/tool_context.h"
#include "tools/tool_result.h"

namespace switchyard::tools {

class ToolRegistry {
 public:
  // Arguments nested deeper than this are refused before validation.
  static constexpr int kMaxArgumentDepth = 64;

  // AlreadyExists when a tool of that name is registered.
  absl::Status Register(Tool tool);
  const Tool* Find(absl::string_view name) const;  // null when unknown
  const std::vector<Tool>& tools() const { return tools_; }  // in registration order

  // [{"type": "function", "function": {"name", "description", "parameters"}}, ...] in
  // registration order.
  nlohmann::json ToOpenAiTools() const;

  // `arguments_json` is the model's arguments text; empty or blank means {}.
  ToolResult Execute(absl::string_view name, absl::string_view arguments_json, const ToolContext& context) const;

 private:
  std::vector<Tool> tools_;
  absl::flat_hash_map<std::string, size_t> by_name_;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_TOOL_REGISTRY_H_
