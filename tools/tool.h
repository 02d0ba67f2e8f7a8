// Tool: one function the model may call — its name, description, JSON schema for the arguments,
// and the executor that runs it. A Tool without an executor was declared by the client: the
// registry validates its arguments and hands the call back (ToolResultKind::kClientCall).
#ifndef SWITCHYARD_TOOLS_TOOL_H_
#define SWITCHYARD_TOOLS_TOOL_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "tools/json_schema.h"
#include "tools/tool_context.h"

namespace switchyard::tools {

// What an executor produces: text for the model and the same as JSON for the trace and clients.
struct ToolOutput {
  std::string content;
  nlohmann::json structured;
};

// Runs with arguments already valid against the tool's schema. An error Status becomes a
// ToolResult of kind kError whose content is the status message.
using ToolExecutor = std::function<absl::StatusOr<ToolOutput>(const nlohmann::json& arguments, const ToolContext&)>;

struct Tool {
  std::string name;
  std::string description;
  JsonSchema parameters;
  std::string parameters_json;  // the schema as JSON text, as the client or built-in wrote it
  ToolExecutor executor;        // empty: a client tool

  // InvalidArgument when the name is not 1-64 of [A-Za-z0-9_-] (OpenAI's rule), the schema is
  // not JSON, uses unsupported keywords, or does not describe an object ("type": "object").
  static absl::StatusOr<Tool> Create(std::string name, std::string description, absl::string_view parameters_json,
                                     ToolExecutor executor);
  bool is_client_tool() const { return !executor; }
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_TOOL_H_
