#include "workers/engine/runtime/rope.h"

#include <algorithm>
#include <cmath>

namespace switchyard {

absl::StatusOr<RopeTable> RopeTable::Create(const ModelConfig& c) {
  RopeTable t;
  const int64_t dim = c.head_dim;
  const int64_t half = dim / 2;
  const double base = c.rope_theta;
  // transformers: inv_freq = 1 / base ** (arange(0, dim, 2).float() / dim), all in float32.
  std::vector<float> pos_freqs(static_cast<size_t>(half));
  for (int64_t i = 0; i < half; ++i) {
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(dim);
    pos_freqs[static_cast<size_t>(i)] = static_cast<float>(std::pow(base, static_cast<double>(exponent)));
  }
  t.inv_freq_.resize(static_cast<size_t>(half));
  for (int64_t i = 0; i < half; ++i) t.inv_freq_[static_cast<size_t>(i)] = 1.0f / pos_freqs[static_cast<size_t>(i)];
  const RopeScaling& rs = c.rope_scaling;
  switch (rs.type) {
    case RopeScaling::Type::kNone:
      break;
    case RopeScaling::Type::kLinear:
      t.position_scale_ = static_cast<float>(1.0 / rs.factor);
      break;
    case RopeScaling::Type::kDynamic:
      return absl::UnimplementedError(
          "rope_scaling type 'dynamic' is not supported (its frequencies depend on the batch); use 'yarn'");
    case RopeScaling::Type::kYarn: {
      // transformers' _compute_yarn_parameters, with mscale defaults.
      const double factor = rs.factor;
      const double orig = rs.original_max_position_embeddings > 0 ? static_cast<double>(rs.original_max_position_embeddings)
                                                                   : static_cast<double>(c.max_position_embeddings);
      t.attention_factor_ = rs.attention_factor > 0 ? static_cast<float>(rs.attention_factor)
                                                    : static_cast<float>(factor <= 1 ? 1.0 : 0.1 * std::log(factor) + 1.0);
      auto correction_dim = [&](double rotations) {
        return (static_cast<double>(dim) * std::log(orig / (rotations * 2 * M_PI))) / (2 * std::log(base));
      };
      double low = std::max(0.0, std::floor(correction_dim(rs.beta_fast)));
      double high = std::min(static_cast<double>(dim - 1), std::ceil(correction_dim(rs.beta_slow)));
      if (low == high) high += 0.001;
      for (int64_t i = 0; i < half; ++i) {
        const float ramp = std::clamp(static_cast<float>((static_cast<double>(i) - low) / (high - low)), 0.0f, 1.0f);
        const float extrapolation_factor = 1.0f - ramp;
        const float extrapolation = 1.0f / pos_freqs[static_cast<size_t>(i)];
        const float interpolation = 1.0f / (static_cast<float>(factor) * pos_freqs[static_cast<size_t>(i)]);
        t.inv_freq_[static_cast<size_t>(i)] =
            interpolation * (1.0f - extrapolation_factor) + extrapolation * extrapolation_factor;
      }
      break;
    }
  }
  return t;
}

void RopeTable::Fill(const int64_t* positions, int64_t n, float* cos, float* sin) const {
  const int64_t half = static_cast<int64_t>(inv_freq_.size());
  for (int64_t r = 0; r < n; ++r) {
    const double p = static_cast<double>(positions[r]) * position_scale_;
    for (int64_t i = 0; i < half; ++i) {
      const double angle = p * static_cast<double>(inv_freq_[static_cast<size_t>(i)]);
      cos[r * half + i] = static_cast<float>(std::cos(angle)) * attention_factor_;
      sin[r * half + i] = static_cast<float>(std::sin(angle)) * attention_factor_;
    }
  }
}

}  // namespace switchyard
