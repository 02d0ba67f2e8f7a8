// What the CUDA runner tests (dense and MoE) share: their fixture (a ../shared model, its
// llama.cpp reference, runners and pools), and the check against it: every reference prompt's
// logits in one chunk, then its teacher-forced greedy steps, through a runner under test and
// the CPU runner side by side; each position's top-5 within `tolerance` of llama.cpp's, and the
// largest difference from the CPU runner over the whole vocabulary reported for the caller to
// bound.
#ifndef SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_RUNNER_FIXTURE_CHECK_H_
#define SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_RUNNER_FIXTURE_CHECK_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/backend/cuda/test_device.h"
#include "tests/workers/engine/runtime/fixture_reference.h"
#include "workers/engine/backend/cuda/runner/cuda_runner.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/model_runner.h"

namespace switchyard::cuda {


inline double MaxTopError(const float* logits, const std::vector<switchyard::testing::TopEntry>& top) {
  double worst = 0;
  for (const auto& e : top) worst = std::max(worst, std::fabs(static_cast<double>(logits[e.id]) - e.logit));
  return worst;
}

inline double MaxDiff(const float* a, const float* b, size_t n) {
  double worst = 0;
  for (size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

inline double MaxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  return MaxDiff(a.data(), b.data(), std::min(a.size(), b.size()));
}

struct FixtureErrors {
  double prompt = 0;  // largest top-5 error against llama.cpp over prompt positions
  double greedy = 0;  // the same over greedy steps
  double cpu = 0;     // largest |logit - CPU runner's| over the whole vocabulary
};

// Every `stride`-th reference prompt through `gpu` (sequences in `gpu_pool`) and `cpu` (in
// `cpu_pool`). Fails the test (ASSERT, so the caller checks HasFatalFailure()) at the first
// position beyond `tolerance`; otherwise fills `errors`.
inline void CheckTeacherForced(ModelRunner& gpu, KvBlockPool& gpu_pool, ModelRunner& cpu, KvBlockPool& cpu_pool,
                               const std::vector<switchyard::testing::ReferencePrompt>& refs, size_t stride,
                               double tolerance, FixtureErrors* errors) {
  const int64_t V = gpu.config().vocab_size;
  for (size_t p = 0; p < refs.size(); p += stride) {
    const auto& ref = refs[p];
    KvSequence seq(&gpu_pool), cseq(&cpu_pool);
    const int64_t n = static_cast<int64_t>(ref.tokens_hf.size());
    std::vector<float> logits(static_cast<size_t>(n * V)), cpu_logits(logits.size());
    SequenceChunk chunk{&seq, ref.tokens_hf, /*all_logits=*/true};
    SequenceChunk cchunk{&cseq, ref.tokens_hf, /*all_logits=*/true};
    ASSERT_TRUE(gpu.Forward({&chunk, 1}, logits.data()).ok());
    ASSERT_TRUE(cpu.Forward({&cchunk, 1}, cpu_logits.data()).ok());
    errors->cpu = std::max(errors->cpu, MaxDiff(logits.data(), cpu_logits.data(), logits.size()));
    for (int64_t i = 0; i < n; ++i) {
      const double err = MaxTopError(logits.data() + i * V, ref.prompt_next[static_cast<size_t>(i)]);
      errors->prompt = std::max(errors->prompt, err);
      ASSERT_LE(err, tolerance) << ref.id << " prompt position " << i;
    }
    std::vector<float> step(logits.end() - V, logits.end()), cpu_step(static_cast<size_t>(V));
    for (size_t s = 0; s < ref.greedy.size(); ++s) {
      if (s > 0) {
        const int32_t prev = ref.greedy[s - 1].token;
        SequenceChunk one{&seq, {&prev, 1}, false}, cone{&cseq, {&prev, 1}, false};
        ASSERT_TRUE(gpu.Forward({&one, 1}, step.data()).ok());
        ASSERT_TRUE(cpu.Forward({&cone, 1}, cpu_step.data()).ok());
        errors->cpu = std::max(errors->cpu, MaxDiff(step.data(), cpu_step.data(), step.size()));
      }
      const double err = MaxTopError(step.data(), ref.greedy[s].top);
      errors->greedy = std::max(errors->greedy, err);
      ASSERT_LE(err, tolerance) << ref.id << " greedy step " << s;
    }
  }
}

// A test of CudaRunner on ../shared/fixtures/<FixtureName()>: skips without ../shared, the
// fixture or a device; loads the model and its 21 reference prompts.
class RunnerFixtureTest : public ::testing::Test {
 protected:
  virtual const char* FixtureName() const = 0;
  void SetUp() override {
    SWITCHYARD_REQUIRE_SHARED();
    SWITCHYARD_REQUIRE_CUDA_DEVICE();
    auto dir = switchyard::testing::FixtureDir(FixtureName());
    if (!dir) GTEST_SKIP() << "../shared/fixtures/" << FixtureName() << " is absent";
    auto m = LoadModel(*dir + "/hf", LoadOptions{.progress = nullptr, .prefault = false});
    ASSERT_TRUE(m.ok()) << m.status();
    model_ = std::move(*m);
    refs_ = switchyard::testing::ReadReference(*dir + "/ref.json");
    ASSERT_EQ(refs_.size(), 21u);
  }

  // A runner with a 64-block device cache, and a pool of exactly its shape.
  std::unique_ptr<CudaRunner> MakeRunner(CudaRunnerOptions o = {}) {
    o.kv_blocks = 64;
    auto r = CudaRunner::Create(*model_, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? std::move(*r) : nullptr;
  }
  std::unique_ptr<KvBlockPool> MakePool(const CudaRunner& r) {
    auto pool = KvBlockPool::Create(r.kv_shape(), r.kv_blocks());
    EXPECT_TRUE(pool.ok());
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  // CheckTeacherForced with a runner on the split-bf16 GEMMs and decode graphs (gemv_max_tokens
  // 0) against `cpu`: every position within `tolerance` of llama.cpp, the whole vocabulary
  // within `cpu_tolerance` of the CPU runner, graphs replayed; the errors printed after `label`.
  void TeacherForcedMatchesLlamaCppAndCpu(ModelRunner& cpu, size_t stride, double tolerance, double cpu_tolerance,
                                          const char* label) {
    const auto start = std::chrono::steady_clock::now();
    auto gpu = MakeRunner(CudaRunnerOptions{.gemv_max_tokens = 0});
    ASSERT_NE(gpu, nullptr);
    auto gpu_pool = MakePool(*gpu);
    auto cpu_pool = KvBlockPool::Create(ModelKvShape(cpu.config(), 16, DType::kF32), 64);
    ASSERT_TRUE(cpu_pool.ok());
    FixtureErrors errors;
    CheckTeacherForced(*gpu, *gpu_pool, cpu, **cpu_pool, refs_, stride, tolerance, &errors);
    if (HasFatalFailure()) return;
    EXPECT_LE(errors.cpu, cpu_tolerance);
    EXPECT_GT(gpu->graph_replays(), 0);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%smax |logit - llama.cpp|: prompt %.2e, greedy %.2e; max |cuda - cpu| %.2e; %lld graphs, %lld replays; %.1f s\n",
                label, errors.prompt, errors.greedy, errors.cpu, static_cast<long long>(gpu->graphs_captured()),
                static_cast<long long>(gpu->graph_replays()), secs);
  }

  std::unique_ptr<LoadedModel> model_;
  std::vector<switchyard::testing::ReferencePrompt> refs_;
};

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_RUNNER_FIXTURE_CHECK_H_
