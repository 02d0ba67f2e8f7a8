// The sampling fields of an OpenAI request, read from the body's top level into SamplingParams:
// temperature, top_p, presence_penalty, frequency_penalty, max_tokens / max_completion_tokens
// (the latter wins), seed and stop (a string or up to 16); vLLM's top_k, min_p and
// repetition_penalty. A null field is unset.
//
// Errors: InvalidArgument "<field>: <what>" (openai_json_fields.h), e.g. "top_p: 1.5 is outside [0, 1]".
//
// Thread safety: pure function.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_SAMPLING_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_SAMPLING_H_

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

absl::Status ParseSampling(const nlohmann::json& body, v1::SamplingParams* s);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_SAMPLING_H_
