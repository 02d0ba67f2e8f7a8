// ChatMessage / ChatTool: a conversation as the chat template consumes it, and the parser of
// the OpenAI JSON shape clients send (role, content as a string, null or a list of text
// parts, reasoning_content, tool_calls with arguments as a JSON string or object, tool_call_id).
// Thread safety: plain values.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_MESSAGES_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_MESSAGES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

struct ChatToolCall {
  std::string id;
  std::string name;
  // As the template prints it: a string argument verbatim, an object as json.dumps writes it.
  std::string arguments;
};

struct ChatMessage {
  std::string role;  // system | user | assistant | tool
  std::string content;
  std::optional<std::string> reasoning_content;
  std::vector<ChatToolCall> tool_calls;
  std::string tool_call_id;
  std::string name;
};

// A tool as the template prints it: the client's JSON object, re-serialized by json.dumps.
struct ChatTool {
  std::string json;
  std::string name;  // function.name, for the output parser and validation
};

// InvalidArgument naming `source`, the message index and the key for anything malformed:
// not a list, a role outside system/user/assistant/tool, content neither string, null nor a
// list of {"type": "text", "text": ...} parts, tool calls without a function name, arguments
// that are neither a JSON string nor an object, tool messages without content.
absl::StatusOr<std::vector<ChatMessage>> ParseChatMessages(absl::string_view json, absl::string_view source);
// A list of OpenAI tools ({"type": "function", "function": {"name", "description",
// "parameters"}}) or bare functions ({"name", ...}).
absl::StatusOr<std::vector<ChatTool>> ParseChatTools(absl::string_view json, absl::string_view source);
// The OpenAI-shaped tool object for name, description and a JSON Schema (as text).
absl::StatusOr<ChatTool> MakeChatTool(absl::string_view name, absl::string_view description,
                                      absl::string_view parameters_schema_json);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_MESSAGES_H_
