// SamplingParams: how the next token is chosen, and when generation stops. Defaults come from
// the model's generation_config.json; requests override them.
#ifndef SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLING_PARAMS_H_
#define SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLING_PARAMS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "workers/engine/model/generation_config.h"

namespace switchyard {

class CompiledGrammar;  // workers/engine/grammar/compiled_grammar.h

struct SamplingParams {
  float temperature = 1.0f;        // 0: greedy (argmax, lowest id on ties)
  int32_t top_k = 0;               // 0: off
  float top_p = 1.0f;              // 1: off
  float min_p = 0.0f;              // 0: off
  float repetition_penalty = 1.0f; // transformers' rule, over prompt and output tokens
  float presence_penalty = 0.0f;   // OpenAI's rules, over output tokens
  float frequency_penalty = 0.0f;
  uint64_t seed = 0;
  int32_t max_tokens = 256;
  std::vector<int32_t> stop_token_ids;
  std::vector<std::string> stop_strings;
  // Constrained decoding: when set, only tokens the grammar allows are sampled (a JSON schema's
  // response format, a tool-call envelope; see GrammarCache), and the stop tokens only once the
  // output is complete. Shared and immutable; the grammar's vocabulary must be the model's.
  std::shared_ptr<const CompiledGrammar> grammar;
  // The grammar holds only once this token has been generated; -1: from the first token. Qwen3
  // reasons first (<think> ... </think>) and a grammar from the start would forbid that, so the
  // worker passes </think>'s id, as vLLM's reasoning parsers defer structured output.
  int32_t grammar_starts_after_token = -1;

  // InvalidArgument naming the field: temperature < 0 or > 100, top_k < 0, top_p outside
  // (0, 1], min_p outside [0, 1], repetition_penalty <= 0, penalties outside [-2, 2],
  // max_tokens < 1, empty stop strings, grammar_starts_after_token < -1.
  absl::Status Validate() const;
  bool greedy() const { return temperature == 0.0f; }

  // The model's defaults: do_sample false means greedy; eos ids become stop tokens.
  static SamplingParams FromGenerationConfig(const GenerationConfig& g);
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLING_PARAMS_H_
