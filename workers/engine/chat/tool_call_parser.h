// ParseToolCall: the text a model wrote between <tool_call> and </tool_call>, in either of the
// two forms Qwen models use, turned into a name and arguments (a JSON object, compact, keys in
// the model's order):
//  - Qwen3 (hermes style): {"name": "f", "arguments": {"x": 1}}; "arguments" may also be a
//    JSON string holding the object, or absent / null ({}).
//  - Qwen3-Coder (XML): <function=f>\n<parameter=x>\n1\n</parameter>\n</function>. A value loses
//    one leading and one trailing '\n' (the template writes them) and is typed the way vLLM's
//    qwen3_coder parser types it from the tool's JSON Schema: "null" is null; string types keep
//    the text; integer / number / boolean / object / array types parse it when they can and
//    keep the text otherwise. Without a schema type, a value that is JSON is taken as JSON and
//    anything else as a string. A call that is not valid UTF-8 is rejected.
// Thread safety: ToolParameterTypes is immutable after FromTools; ParseToolCall is stateless.
// Failure modes: none thrown; a malformed call comes back with ok=false and a reason.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_PARSER_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_PARSER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "workers/engine/chat/chat_messages.h"

namespace switchyard {

// The JSON Schema "type" of each tool's parameters (function name -> parameter -> type).
class ToolParameterTypes {
 public:
  ToolParameterTypes() = default;
  // Tools whose JSON cannot be read are skipped (their calls are then typed by inference).
  static ToolParameterTypes FromTools(const std::vector<ChatTool>& tools);
  // The declared type ("integer", ...; the first non-"null" one of a list), or "".
  absl::string_view Find(absl::string_view function, absl::string_view parameter) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> types_;
};

struct ParsedToolCall {
  bool ok = false;
  std::string name;
  std::string arguments;  // ok: a compact JSON object
  std::string error;      // !ok: why the call was rejected
};

ParsedToolCall ParseToolCall(absl::string_view body, const ToolParameterTypes& types);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_PARSER_H_
