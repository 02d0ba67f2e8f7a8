// Switchyard's own object in an OpenAI request body, for what OpenAI's API has no field for:
//
//   "switchyard": {"router_tools": ["search_documents"], "documents": [{"name": ..., "text": ...}],
//                  "limits": {"max_steps": 4, "max_tokens": 20000, "max_seconds": 60,
//                             "max_identical_calls": 2},
//                  "enable_thinking": false}
//
// Unlike the rest of the body, unknown keys here are errors: the object is ours, so a key we do
// not know is a mistake, not another vendor's extension.
//
// Errors: InvalidArgument "switchyard...: <what>" (openai_json_fields.h).
//
// Thread safety: pure function.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_SWITCHYARD_EXTENSION_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_SWITCHYARD_EXTENSION_H_

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

absl::Status ParseSwitchyardExtension(const nlohmann::json& v, v1::ChatRequest* chat);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_SWITCHYARD_EXTENSION_H_
