// RopeTable: the rotary-embedding frequencies of a Qwen3 config (rope_theta, and linear or
// YaRN scaling as transformers computes them), and cos/sin for given positions.
// Thread safety: immutable after construction.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_ROPE_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_ROPE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "workers/engine/model/model_config.h"

namespace switchyard {

class RopeTable {
 public:
  // Unimplemented for "dynamic" scaling, whose frequencies change with the batch's length.
  static absl::StatusOr<RopeTable> Create(const ModelConfig& config);

  // cos/sin rows [n, head_dim/2] for positions[0..n).
  void Fill(const int64_t* positions, int64_t n, float* cos, float* sin) const;
  const std::vector<float>& inv_freq() const { return inv_freq_; }
  float attention_factor() const { return attention_factor_; }

 private:
  std::vector<float> inv_freq_;  // [head_dim/2], f32 as transformers keeps it
  float attention_factor_ = 1.0f;
  float position_scale_ = 1.0f;  // linear scaling divides positions by the factor
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_ROPE_H_
