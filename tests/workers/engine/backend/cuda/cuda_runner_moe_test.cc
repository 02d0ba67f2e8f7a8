// CudaRunner (backend/cuda/runner/cuda_runner.h) on the CUDA emulator or a GPU, on the MoE fixture
// (qwen3-tiny-moe: 8 experts, top-2, renormalized): prompt logits and teacher-forced greedy
// steps within 1e-3 of llama.cpp's (as qwen3_fixture_test checks the CPU runner) and close to
// the CPU runner's, through both expert paths (per-expert split-bf16 GEMMs for prefill chunks,
// device-routed GEMVs for decode and small steps); batched steps mixing a prefill chunk with
// decode tokens of other sequences equal to the CPU runner's same step; a replayed MoE decode
// graph equal to the plain path.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/backend/cuda/runner_fixture_check.h"
#include "tests/workers/engine/backend/cuda/test_device.h"
#include "tests/workers/engine/runtime/fixture_reference.h"
#include "workers/engine/backend/cuda/runner/cuda_runner.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard::cuda {
namespace {

constexpr double kTolerance = 1e-3;  // against llama.cpp, as for the CPU runner
// Against the CPU runner, over the whole vocabulary, as for the dense fixture
// (cuda_runner_test.cc): the split-bf16 GEMMs carry 16 significant bits of each activation.
constexpr double kCpuTolerance = 1e-3;
// Every third reference prompt on the emulator (7 of 21: all 21 take it ~110 s); all on a GPU.
constexpr size_t kPromptStride = testing::kReferencePromptStride;

class CudaRunnerMoeTest : public RunnerFixtureTest {
 protected:
  const char* FixtureName() const override { return "qwen3-tiny-moe"; }
  void SetUp() override {
    RunnerFixtureTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_GT(model_->config().num_experts, 0);
  }

  std::unique_ptr<Qwen3Runner> MakeCpu() {
    auto cpu = Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2});
    EXPECT_TRUE(cpu.ok()) << cpu.status();
    return cpu.ok() ? std::move(*cpu) : nullptr;
  }
};

// Prompts in one chunk (per-expert GEMMs, one host read-back of the routing per MoE layer) and
// teacher-forced greedy steps (decode graphs: device-routed GEMVs, the dense products by
// split-bf16 GemmEx as gemv_max_tokens is 0): within 1e-3 of llama.cpp, and of the CPU runner
// over the whole vocabulary.
TEST_F(CudaRunnerMoeTest, TeacherForcedLogitsMatchLlamaCppAndCpu) {
  auto cpu = MakeCpu();
  ASSERT_NE(cpu, nullptr);
  TeacherForcedMatchesLlamaCppAndCpu(*cpu, kPromptStride, kTolerance, kCpuTolerance, "moe: ");
}

// The GEMV paths only (gemv_max_tokens 8): a prompt fed in chunks of at most 8 tokens wanting
// every row's logits (device-routed expert GEMVs over up to 8 tokens, experts with several
// rows), then greedy steps: within 1e-3 of llama.cpp.
TEST_F(CudaRunnerMoeTest, GemvPathsMatchLlamaCpp) {
  auto gpu = MakeRunner(CudaRunnerOptions{.gemv_max_tokens = 8});
  ASSERT_NE(gpu, nullptr);
  auto pool = MakePool(*gpu);
  const int64_t V = gpu->config().vocab_size;
  double worst = 0;
  for (size_t p : {size_t{1}}) {
    const auto& ref = refs_[p];
    KvSequence seq(pool.get());
    const int64_t n = static_cast<int64_t>(ref.tokens_hf.size());
    std::vector<float> logits(static_cast<size_t>(8 * V));
    for (int64_t at = 0; at < n; at += 8) {
      const int64_t len = std::min<int64_t>(8, n - at);
      SequenceChunk chunk{&seq, {ref.tokens_hf.data() + at, static_cast<size_t>(len)}, /*all_logits=*/true};
      ASSERT_TRUE(gpu->Forward({&chunk, 1}, logits.data()).ok());
      for (int64_t i = 0; i < len; ++i) {
        const double err = MaxTopError(logits.data() + i * V, ref.prompt_next[static_cast<size_t>(at + i)]);
        worst = std::max(worst, err);
        ASSERT_LE(err, kTolerance) << ref.id << " prompt position " << at + i;
      }
    }
    std::vector<float> step(logits.begin() + ((n - 1) % 8) * V, logits.begin() + ((n - 1) % 8 + 1) * V);
    for (size_t s = 0; s < 4; ++s) {
      if (s > 0) {
        const int32_t prev = ref.greedy[s - 1].token;
        SequenceChunk one{&seq, {&prev, 1}, false};
        ASSERT_TRUE(gpu->Forward({&one, 1}, step.data()).ok());
      }
      const double err = MaxTopError(step.data(), ref.greedy[s].top);
      worst = std::max(worst, err);
      ASSERT_LE(err, kTolerance) << ref.id << " greedy step " << s;
    }
  }
  std::printf("moe gemv paths: max |logit - llama.cpp| %.2e\n", worst);
}

// One step mixing a prefill chunk (all its logits) with decode tokens of two sequences that are
// already under way, against the CPU runner doing the same steps: 14 tokens (more than
// gemv_max_tokens: per-expert GEMMs) and 5 tokens (device-routed GEMVs).
TEST_F(CudaRunnerMoeTest, MixedPrefillAndDecodeStepMatchesCpu) {
  auto gpu = MakeRunner(CudaRunnerOptions{.gemv_max_tokens = 8});
  ASSERT_NE(gpu, nullptr);
  auto cpu = MakeCpu();
  ASSERT_NE(cpu, nullptr);
  auto gpool = MakePool(*gpu);
  auto cpool = KvBlockPool::Create(cpu->kv_shape(16), 64);
  ASSERT_TRUE(cpool.ok());
  const int64_t V = gpu->config().vocab_size;
  double worst = 0;
  for (const int64_t chunk_len : {int64_t{12}, int64_t{3}}) {
    SCOPED_TRACE("prefill chunk of " + std::to_string(chunk_len));
    // Two sequences decoding: their prompts first (the same on both runners).
    KvSequence ga(gpool.get()), gb(gpool.get()), gc(gpool.get());
    KvSequence ca(cpool->get()), cb(cpool->get()), cc(cpool->get());
    std::vector<float> g_out(static_cast<size_t>((chunk_len + 2) * V)), c_out(g_out.size());
    {
      std::vector<SequenceChunk> g{SequenceChunk{&ga, refs_[2].tokens_hf, false}, SequenceChunk{&gb, refs_[4].tokens_hf, false}};
      std::vector<SequenceChunk> c{SequenceChunk{&ca, refs_[2].tokens_hf, false}, SequenceChunk{&cb, refs_[4].tokens_hf, false}};
      ASSERT_TRUE(gpu->Forward(g, g_out.data()).ok());
      ASSERT_TRUE(cpu->Forward(c, c_out.data()).ok());
      worst = std::max(worst, MaxDiff(g_out.data(), c_out.data(), static_cast<size_t>(2 * V)));
    }
    // The mixed step: sequence c's first chunk_len prompt tokens (every row's logits), then one
    // decode token each for a and b.
    const std::vector<int32_t>& prompt = refs_[18].tokens_hf;
    ASSERT_GE(prompt.size(), static_cast<size_t>(chunk_len));
    const int32_t ta = refs_[2].greedy[0].token, tb = refs_[4].greedy[0].token;
    std::vector<SequenceChunk> g_step = {SequenceChunk{&gc, {prompt.data(), static_cast<size_t>(chunk_len)}, true},
                                         SequenceChunk{&ga, {&ta, 1}, false}, SequenceChunk{&gb, {&tb, 1}, false}};
    std::vector<SequenceChunk> c_step = {SequenceChunk{&cc, {prompt.data(), static_cast<size_t>(chunk_len)}, true},
                                         SequenceChunk{&ca, {&ta, 1}, false}, SequenceChunk{&cb, {&tb, 1}, false}};
    ASSERT_TRUE(gpu->Forward(g_step, g_out.data()).ok());
    ASSERT_TRUE(cpu->Forward(c_step, c_out.data()).ok());
    const double diff = MaxDiff(g_out.data(), c_out.data(), g_out.size());
    worst = std::max(worst, diff);
    EXPECT_LE(diff, kCpuTolerance);
    // And the next step, everyone decoding: c continues from its chunk.
    const int32_t tc = prompt[static_cast<size_t>(chunk_len)];
    const int32_t ta2 = refs_[2].greedy[1].token, tb2 = refs_[4].greedy[1].token;
    g_step = {SequenceChunk{&gc, {&tc, 1}, false}, SequenceChunk{&ga, {&ta2, 1}, false},
              SequenceChunk{&gb, {&tb2, 1}, false}};
    c_step = {SequenceChunk{&cc, {&tc, 1}, false}, SequenceChunk{&ca, {&ta2, 1}, false},
              SequenceChunk{&cb, {&tb2, 1}, false}};
    ASSERT_TRUE(gpu->Forward(g_step, g_out.data()).ok());
    ASSERT_TRUE(cpu->Forward(c_step, c_out.data()).ok());
    worst = std::max(worst, MaxDiff(g_out.data(), c_out.data(), static_cast<size_t>(3 * V)));
    EXPECT_LE(worst, kCpuTolerance);
  }
  std::printf("moe mixed steps: max |cuda - cpu| %.2e\n", worst);
}

// Decode steps of ten sequences (more than gemv_max_tokens: the router by split-bf16 GemmEx,
// the experts by device-routed GEMVs), captured once and replayed, equal the plain path's
// (graphs off) to 1e-5, as for the dense model: the captured attention is sized for the context
// bucket, the plain one for the exact context, which may order its sums differently.
TEST_F(CudaRunnerMoeTest, ReplayedDecodeGraphEqualsThePlainPath) {
  auto graphed = MakeRunner(CudaRunnerOptions{.gemv_max_tokens = 8, .decode_graphs = true});
  auto plain = MakeRunner(CudaRunnerOptions{.gemv_max_tokens = 8, .decode_graphs = false});
  ASSERT_NE(graphed, nullptr);
  ASSERT_NE(plain, nullptr);
  auto gpool = MakePool(*graphed), ppool = MakePool(*plain);
  const int64_t V = graphed->config().vocab_size;
  // Ten sequences, each the first 8 tokens of a reference prompt, prefilled in one step; then
  // the prompts' next tokens, one a step.
  constexpr int kSeqs = 10;
  constexpr size_t kPrefix = 8;
  std::vector<std::unique_ptr<KvSequence>> gs, ps;
  std::vector<SequenceChunk> g_fill, p_fill;
  for (int i = 0; i < kSeqs; ++i) {
    gs.push_back(std::make_unique<KvSequence>(gpool.get()));
    ps.push_back(std::make_unique<KvSequence>(ppool.get()));
    const std::vector<int32_t>& prompt = refs_[static_cast<size_t>(i) + 1].tokens_hf;  // 18 to 80 tokens
    ASSERT_GT(prompt.size(), kPrefix + 3);
    g_fill.push_back(SequenceChunk{gs.back().get(), {prompt.data(), kPrefix}, false});
    p_fill.push_back(SequenceChunk{ps.back().get(), {prompt.data(), kPrefix}, false});
  }
  std::vector<float> scratch(static_cast<size_t>(kSeqs * V));
  ASSERT_TRUE(graphed->Forward(g_fill, scratch.data()).ok());
  ASSERT_TRUE(plain->Forward(p_fill, scratch.data()).ok());
  double worst = 0;
  for (size_t s = 0; s < 3; ++s) {
    std::vector<int32_t> toks(kSeqs);
    std::vector<SequenceChunk> g_step, p_step;
    for (int i = 0; i < kSeqs; ++i) {
      toks[static_cast<size_t>(i)] = refs_[static_cast<size_t>(i) + 1].tokens_hf[kPrefix + s];
      g_step.push_back(SequenceChunk{gs[static_cast<size_t>(i)].get(), {&toks[static_cast<size_t>(i)], 1}, false});
      p_step.push_back(SequenceChunk{ps[static_cast<size_t>(i)].get(), {&toks[static_cast<size_t>(i)], 1}, false});
    }
    std::vector<float> g_out(static_cast<size_t>(kSeqs * V)), p_out(g_out.size());
    ASSERT_TRUE(graphed->Forward(g_step, g_out.data()).ok());
    ASSERT_TRUE(plain->Forward(p_step, p_out.data()).ok());
    worst = std::max(worst, MaxDiff(g_out.data(), p_out.data(), g_out.size()));
  }
  std::printf("moe decode graph replay vs plain path: max diff %.2e\n", worst);
  EXPECT_LE(worst, 1e-5);
  EXPECT_EQ(graphed->graphs_captured(), 1);
  EXPECT_EQ(graphed->graph_replays(), 2);
  EXPECT_EQ(plain->graphs_captured(), 0);
}

}  // namespace
}  // namespace switchyard::cuda
