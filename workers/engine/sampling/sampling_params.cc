#include "workers/engine/sampling/sampling_params.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace switchyard {

absl::Status SamplingParams::Validate() const {
  auto bad = [](absl::string_view field, auto value, absl::string_view range) {
    return absl::InvalidArgumentError(absl::StrCat(field, " = ", value, " is outside ", range));
  };
  if (!(temperature >= 0.0f && temperature <= 100.0f)) return bad("temperature", temperature, "[0, 100]");
  if (top_k < 0) return bad("top_k", top_k, "[0, vocabulary size]");
  if (!(top_p > 0.0f && top_p <= 1.0f)) return bad("top_p", top_p, "(0, 1]");
  if (!(min_p >= 0.0f && min_p <= 1.0f)) return bad("min_p", min_p, "[0, 1]");
  if (!(repetition_penalty > 0.0f && repetition_penalty <= 100.0f)) return bad("repetition_penalty", repetition_penalty, "(0, 100]");
  if (!(presence_penalty >= -2.0f && presence_penalty <= 2.0f)) return bad("presence_penalty", presence_penalty, "[-2, 2]");
  if (!(frequency_penalty >= -2.0f && frequency_penalty <= 2.0f)) return bad("frequency_penalty", frequency_penalty, "[-2, 2]");
  if (max_tokens < 1) return bad("max_tokens", max_tokens, "[1, context]");
  if (grammar_starts_after_token < -1) return bad("grammar_starts_after_token", grammar_starts_after_token, "[-1, vocabulary size)");
  for (const std::string& s : stop_strings) {
    if (s.empty()) return absl::InvalidArgumentError("stop strings must not be empty");
  }
  return absl::OkStatus();
}

SamplingParams SamplingParams::FromGenerationConfig(const GenerationConfig& g) {
  SamplingParams p;
  p.temperature = g.do_sample ? static_cast<float>(g.temperature) : 0.0f;
  p.top_k = static_cast<int32_t>(g.top_k);
  p.top_p = static_cast<float>(g.top_p);
  p.min_p = static_cast<float>(g.min_p);
  p.repetition_penalty = static_cast<float>(g.repetition_penalty);
  p.presence_penalty = static_cast<float>(g.presence_penalty);
  p.frequency_penalty = static_cast<float>(g.frequency_penalty);
  if (g.max_new_tokens) p.max_tokens = static_cast<int32_t>(*g.max_new_tokens);
  for (int64_t id : g.eos_token_ids) p.stop_token_ids.push_back(static_cast<int32_t>(id));
  return p;
}

}  // namespace switchyard
