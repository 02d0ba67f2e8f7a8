// Sampler: picks the next token from a row of logits. The order is transformers' and vLLM's:
// repetition penalty (prompt and output tokens), presence and frequency penalties (output
// tokens), then greedy argmax, or temperature -> top-k -> top-p -> min-p -> a draw from the
// renormalized distribution with the sequence's own seeded generator, so the same seed and
// input give the same tokens on every run.
// Thread safety: one Sampler per sequence.
#ifndef SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_
#define SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_

#include <cstdint>
#include <random>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "workers/engine/sampling/sampling_params.h"

namespace switchyard {

class Sampler {
 public:
  // REQUIRES: params.Validate().ok().
  Sampler(const SamplingParams& params, int64_t vocab_size);

  // Records prompt tokens for the repetition penalty.
  void AddPrompt(absl::Span<const int32_t> prompt);
  // Records a generated token (for penalties), whether sampled or forced.
  void Accept(int32_t token);
  // Chooses a token. Modifies `logits` (penalties, temperature) in place.
  int32_t Sample(float* logits);

  // The distribution Sample() draws from, for tests: (token, probability) pairs summing to 1.
  std::vector<std::pair<int32_t, double>> Distribution(float* logits);

 private:
  void ApplyPenalties(float* logits) const;
  SamplingParams params_;
  int64_t vocab_;
  std::mt19937_64 rng_;
  absl::flat_hash_map<int32_t, int32_t> output_counts_;
  std::vector<int32_t> seen_;        // distinct prompt and output tokens
  std::vector<uint8_t> seen_mask_;
  std::vector<std::pair<float, int32_t>> candidates_;  // scratch
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_
