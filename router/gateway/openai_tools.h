// Function calling in an OpenAI request: the tools a client declares (`tools`), which of them the
// model must or may call (`tool_choice`), and the calls an assistant message carries back
// (`messages[i].tool_calls`). All share the envelope {"type": "function", "function": {...}}.
//
// Errors: InvalidArgument "<path>: <what>" (openai_json_fields.h).
//
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_TOOLS_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_TOOLS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

// `tools`: an array of function tools, names 1-64 of [A-Za-z0-9_-] and unique. Appends them to
// chat->tools and their names to *client_tools.
absl::Status ParseTools(const nlohmann::json& tools, v1::ChatRequest* chat, std::vector<std::string>* client_tools);

// `tool_choice`: "auto", "none", "required" (needs a tool) or {"type": "function", "function":
// {"name": ...}} naming one of chat.tools. REQUIRES: chat.tools already parsed.
absl::Status ParseToolChoice(const nlohmann::json& v, const v1::ChatRequest& chat, v1::ToolChoice* out);

// One call of an assistant message's tool_calls, at `path`: id, function.name and
// function.arguments (a JSON object written as text).
absl::Status ParseToolCall(const nlohmann::json& v, const std::string& path, v1::ToolCall* out);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_TOOLS_H_
