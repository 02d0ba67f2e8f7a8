// An OpenAI request's `response_format` as a ResponseFormat: {"type": "text"},
// {"type": "json_object"}, or {"type": "json_schema", "json_schema": {"name": ..., "schema": {...}}}:
// the answer is to be JSON, or JSON that follows the schema.
//
// Errors: InvalidArgument "response_format...: <what>" (openai_json_fields.h).
//
// Thread safety: pure function.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_FORMAT_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_FORMAT_H_

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

absl::Status ParseResponseFormat(const nlohmann::json& v, v1::ResponseFormat* out);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_FORMAT_H_
