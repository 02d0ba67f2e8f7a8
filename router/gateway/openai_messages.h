// The `messages` of an OpenAI request as ChatMessages: system (and developer, OpenAI's newer
// name for it), user, assistant (with tool_calls and reasoning_content) and tool (with
// tool_call_id); content as a string, null, or an array of text parts.
//
// Errors: InvalidArgument "<path>: <what>" (openai_json_fields.h), e.g. "messages[1].role: ...".
//
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_MESSAGES_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_MESSAGES_H_

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

// A non-empty array of messages, appended to chat->messages in order.
absl::Status ParseMessages(const nlohmann::json& messages, v1::ChatRequest* chat);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_MESSAGES_H_
