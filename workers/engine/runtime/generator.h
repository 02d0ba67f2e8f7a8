// Generator: one sequence from prompt to finish on a ModelRunner (CPU or CUDA): prefill (in
// chunks of at most the runner's max_batch_tokens()), then decode token by token with the Sampler, streaming text that never splits a UTF-8 character or shows a
// stop string, and reporting each step's top logits. The worker's scheduler (issue #6) runs
// many sequences at once; this is the single-sequence path of switchyard-generate and tests.
// Thread safety: one Generate() at a time per runner.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_GENERATOR_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/runtime/model_runner.h"
#include "workers/engine/sampling/sampling_params.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {

struct TokenLogit {
  int32_t id;
  float logit;
  double prob;  // exp(logit - logsumexp(all logits)), before any sampling transform
};

struct GenerationStep {
  int32_t token;
  std::vector<TokenLogit> top;  // the best `top_logits` tokens by raw logit
  std::string text;             // text this step made visible
};

struct GenerationResult {
  std::vector<int32_t> prompt_tokens;
  std::vector<int32_t> tokens;
  std::string text;
  std::string finish_reason;  // "stop" (stop token or string) or "length" (max_tokens, context)
};

struct GenerateOptions {
  SamplingParams sampling;
  // Teacher forcing: feed these tokens instead of sampling, one per step, ignoring stop
  // conditions; generation then lasts min(force_tokens.size(), max_tokens) steps.
  std::vector<int32_t> force_tokens;
  int top_logits = 5;
  bool skip_special = true;  // keep special tokens (<|im_end|>) out of the text
};

class Generator {
 public:
  // All three must outlive the generator. `pool` must be made from runner.KvPoolFor()
  // (MakeKvPool).
  Generator(ModelRunner& runner, const Tokenizer& tokenizer, KvBlockPool& pool)
      : runner_(runner), tokenizer_(tokenizer), pool_(pool) {}

  // InvalidArgument for an empty prompt, a prompt that leaves no room in the context (naming
  // both lengths), bad sampling parameters or forced ids outside the vocabulary;
  // ResourceExhausted when the KV cache cannot hold the sequence. `on_step` may be empty.
  absl::StatusOr<GenerationResult> Generate(absl::Span<const int32_t> prompt, const GenerateOptions& options,
                                            const std::function<void(const GenerationStep&)>& on_step);

 private:
  ModelRunner& runner_;
  const Tokenizer& tokenizer_;
  KvBlockPool& pool_;
};

// The k best (id, logit) of a logits row with probabilities against the whole row, best first.
std::vector<TokenLogit> TopLogits(const float* logits, int64_t n, int k);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_GENERATOR_H_
