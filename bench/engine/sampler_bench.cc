// Sampler::Sample() per token on Qwen3's vocabulary (151936), one row of random logits shaped
// like a model's (Gaussian, sd 3, with a 0.1% head 12 above), the penalties off:
//   build/bin/switchyard-bench-sampler
// Argument: the parameter set (see kCases). Time per iteration = one token of one sequence; the
// row is restored from a copy each time (Sample() modifies it), a copy that is timed too
// (~600 KB, tens of microseconds) and reported alone as BM_CopyRow.
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "workers/engine/sampling/sampler.h"

namespace switchyard {
namespace {

constexpr int64_t kVocab = 151936;

struct Case {
  const char* name;
  SamplingParams params;
};

SamplingParams Params(float temperature, int32_t top_k, float top_p, float min_p) {
  SamplingParams p;
  p.temperature = temperature;
  p.top_k = top_k;
  p.top_p = top_p;
  p.min_p = min_p;
  p.seed = 7;
  return p;
}

const Case kCases[] = {
    {"greedy", Params(0.0f, 0, 1.0f, 0.0f)},
    {"t0.7", Params(0.7f, 0, 1.0f, 0.0f)},
    {"t0.7_top_p0.9", Params(0.7f, 0, 0.9f, 0.0f)},
    {"qwen3_t0.6_top_k20_top_p0.95", Params(0.6f, 20, 0.95f, 0.0f)},
    {"min_p0.05", Params(1.0f, 0, 1.0f, 0.05f)},
};

std::vector<float> Row() {
  std::mt19937_64 g(1);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::uniform_real_distribution<float> coin(0.0f, 1.0f);
  std::vector<float> row(kVocab);
  for (float& x : row) x = normal(g) + (coin(g) < 0.001f ? 12.0f : 0.0f);
  return row;
}

void BM_Sample(benchmark::State& state) {
  const Case& c = kCases[state.range(0)];
  state.SetLabel(c.name);
  const std::vector<float> row = Row();
  std::vector<float> logits(row.size());
  Sampler sampler(c.params, kVocab);
  for (auto _ : state) {
    logits = row;
    benchmark::DoNotOptimize(sampler.Sample(logits.data()));
  }
}
BENCHMARK(BM_Sample)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

void BM_CopyRow(benchmark::State& state) {
  const std::vector<float> row = Row();
  std::vector<float> logits(row.size());
  for (auto _ : state) {
    logits = row;
    benchmark::DoNotOptimize(logits.data());
  }
}
BENCHMARK(BM_CopyRow)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
