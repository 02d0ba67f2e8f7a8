// OpenAI's POST /v1/chat/completions body -> a switchyard.v1.ChatRequest.
//
// Accepted: messages (system, developer, user, assistant with tool_calls and
// reasoning_content, tool with tool_call_id; content as a string or text parts), tools,
// tool_choice (auto, none, required, {"type":"function","function":{"name":...}}),
// response_format (text, json_object, json_schema), temperature, top_p, max_tokens,
// max_completion_tokens (wins over max_tokens), stop (a string or a list), seed,
// presence_penalty, frequency_penalty, n (1 only), stream, stream_options.include_usage;
// vLLM's extensions top_k, min_p, repetition_penalty and chat_template_kwargs.enable_thinking;
// and Switchyard's own object:
//
//   "switchyard": {"router_tools": ["search_documents"], "documents": [{"name": ..., "text": ...}],
//                  "limits": {"max_steps": 4, "max_tokens": 20000, "max_seconds": 60,
//                             "max_identical_calls": 2},
//                  "enable_thinking": false}
//
// Fields OpenAI defines that change nothing here (user, metadata, store, parallel_tool_calls,
// service_tier, ...) and unknown fields are ignored, as vLLM does. `model` picks the route
// through the ModelCatalog.
//
// Errors: InvalidArgument whose message starts with the field's path and a colon
// ("messages[2].tool_calls[0].function.arguments: not a JSON object ..."), or with no path for
// the body as a whole ("the body is not valid JSON: ..."); NotFound for an unknown model.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_REQUEST_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_REQUEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "router/gateway/model_catalog.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

struct ChatCompletionRequest {
  std::string model;           // as the client named it; echoed in the response
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage: a last chunk with usage
  v1::ChatRequest chat;
  // Names of the client's tools: their calls go back as tool_calls; the router's own tools'
  // calls are reported in the `switchyard` extension instead.
  std::vector<std::string> client_tools;
};

// Nesting deeper than this is refused before parsing (JSON values are walked recursively).
inline constexpr int kMaxJsonDepth = 64;

absl::StatusOr<ChatCompletionRequest> ParseChatCompletionRequest(absl::string_view body, const ModelCatalog& models);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_REQUEST_H_
