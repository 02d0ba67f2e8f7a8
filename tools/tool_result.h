// ToolResult: the outcome of one tool call as the agent loop sees it. `content` is always what
// goes back to the model as the tool message: the tool's output, or a readable error (unknown
// tool, arguments that are not JSON or break the schema, the tool's own failure). A client tool
// is not run here: its result says so, and the loop hands the call back to the client.
#ifndef SWITCHYARD_TOOLS_TOOL_RESULT_H_
#define SWITCHYARD_TOOLS_TOOL_RESULT_H_

#include <string>

#include "nlohmann/json.hpp"

namespace switchyard::tools {

enum class ToolResultKind {
  kOutput,      // the tool ran; content is its output
  kError,       // nothing useful ran; content == error, for the model and the trace
  kClientCall,  // declared by the client: return the call to it (OpenAI semantics)
};

struct ToolResult {
  ToolResultKind kind = ToolResultKind::kError;
  bool ok = false;             // kind == kOutput
  std::string content;         // for the model
  nlohmann::json structured;   // the same output as JSON (null for errors and client calls)
  std::string error;           // empty unless kind == kError

  bool for_client() const { return kind == ToolResultKind::kClientCall; }
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_TOOL_RESULT_H_
