// Rotary frequencies as transformers computes them, including linear and YaRN scaling.
// Expected values were computed with Python's math module from transformers' formulas
// (_compute_default_rope_parameters, _compute_yarn_parameters) for head_dim 8.
#include "workers/engine/runtime/rope.h"

#include <cmath>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

ModelConfig Config(double theta, int64_t head_dim) {
  ModelConfig c;
  c.head_dim = head_dim;
  c.rope_theta = theta;
  c.max_position_embeddings = 40960;
  return c;
}

TEST(RopeTest, DefaultFrequencies) {
  auto t = RopeTable::Create(Config(1e6, 8));
  ASSERT_TRUE(t.ok());
  // 1 / 1e6 ** (i / 8) for i = 0, 2, 4, 6
  const double want[4] = {1.0, 0.03162277660168379, 0.001, 3.1622776601683795e-05};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(t->inv_freq()[static_cast<size_t>(i)], want[i], want[i] * 1e-6);
  float c[4], s[4];
  const int64_t pos = 7;
  t->Fill(&pos, 1, c, s);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(c[i], std::cos(7 * want[i]), 1e-6);
    EXPECT_NEAR(s[i], std::sin(7 * want[i]), 1e-6);
  }
}

TEST(RopeTest, LinearScalingDividesPositions) {
  ModelConfig c = Config(1e4, 8);
  c.rope_scaling.type = RopeScaling::Type::kLinear;
  c.rope_scaling.factor = 4;
  auto t = RopeTable::Create(c);
  ASSERT_TRUE(t.ok());
  float cs[4], sn[4];
  const int64_t pos = 8;
  t->Fill(&pos, 1, cs, sn);
  EXPECT_NEAR(cs[0], std::cos(2.0), 1e-6);  // position 8 / 4 at frequency 1
}

TEST(RopeTest, YarnMatchesTransformers) {
  // rope_theta 1e6, head_dim 8, factor 4, original 32768, beta_fast 32, beta_slow 1:
  // dim(r) = 8 * ln(32768 / (2 pi r)) / (2 ln 1e6): dim(32) = 1.47, dim(1) = 2.48, so the
  // correction range is low = floor(1.47) = 1, high = ceil(2.48) = 3 and
  // ramp(i) = clamp((i - 1) / 2, 0, 1) = 0, 0, 0.5, 1 for i = 0..3.
  ModelConfig c = Config(1e6, 8);
  c.rope_scaling.type = RopeScaling::Type::kYarn;
  c.rope_scaling.factor = 4;
  c.rope_scaling.original_max_position_embeddings = 32768;
  auto t = RopeTable::Create(c);
  ASSERT_TRUE(t.ok());
  const double base[4] = {1.0, 0.03162277660168379, 0.001, 3.1622776601683795e-05};
  const double ramp[4] = {0.0, 0.0, 0.5, 1.0};
  for (int i = 0; i < 4; ++i) {
    const double extrapolation_factor = 1 - ramp[i];
    const double want = base[i] / 4 * (1 - extrapolation_factor) + base[i] * extrapolation_factor;
    EXPECT_NEAR(t->inv_freq()[static_cast<size_t>(i)], want, want * 1e-6) << i;
  }
  EXPECT_NEAR(t->attention_factor(), 0.1 * std::log(4.0) + 1.0, 1e-6);
  ModelConfig d = Config(1e6, 8);
  d.rope_scaling.type = RopeScaling::Type::kDynamic;
  d.rope_scaling.factor = 2;
  EXPECT_EQ(RopeTable::Create(d).status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace switchyard
