// ChatMessage / ChatTool: a conversation as the chat templates consume it, and the parsers of
// the OpenAI JSON shape clients send: messages with role, content (a string, null, or a list
// of {"type": "text", "text": ...} parts), reasoning_content, tool_calls ({id, type,
// function: {name, arguments}} with arguments as a JSON string or an object), tool_call_id and
// name; tools as {"type": "function", "function": {name, description, parameters}} or bare
// functions.
//
// Parsing normalizes content the way vLLM's OpenAI server does before a template sees it: null
// or absent content becomes "", a list of text parts becomes their texts joined by "\n".
// Everything else keeps the client's bytes (tool definitions are re-serialized exactly as
// Python's json.loads + json.dumps would, keys in their order).
//
// Thread safety: plain values and stateless functions. Failure modes: InvalidArgument naming
// the source, the message index and the key (see ParseChatMessages).
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
  // The arguments as JSON text: the client's string (OpenAI sends JSON inside a string) or an
  // object as json.dumps writes it. Templates see it as vLLM passes it: parsed into an object
  // when it is JSON, the text itself otherwise (see chat_template.h).
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

// A tool as the templates print it: the client's JSON object, as json.dumps writes it.
struct ChatTool {
  std::string json;
  std::string name;  // function.name
};

// A JSON list of messages. InvalidArgument "<source>: messages[3].tool_calls[0].function.name:
// required key is missing" and the like for: not a list; a message that is not an object; a
// role outside system/user/assistant/tool; content that is not a string, null or a list of
// text parts; reasoning_content, tool_call_id or name that are not strings; tool calls without
// a function name; arguments that are neither a JSON string, an object nor null.
absl::StatusOr<std::vector<ChatMessage>> ParseChatMessages(absl::string_view json, absl::string_view source);
// A JSON list of tools: OpenAI's {"type": "function", "function": {...}} or bare functions
// ({"name", "description", "parameters"}); each needs a function name.
absl::StatusOr<std::vector<ChatTool>> ParseChatTools(absl::string_view json, absl::string_view source);
// The OpenAI-shaped tool for a name, a description and a JSON Schema given as text ("" means
// {}). InvalidArgument if the schema is not JSON.
absl::StatusOr<ChatTool> MakeChatTool(absl::string_view name, absl::string_view description,
                                      absl::string_view parameters_schema_json);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_MESSAGES_H_
