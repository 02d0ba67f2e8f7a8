// The CUDA runner behind the ModelRunner seam, on the CUDA emulator or a GPU, with the dense fixture:
// MakeModelRunner builds it for Device::kCuda; the Generator on it gives llama.cpp's greedy
// tokens (also with the prompt split into the runner's largest batches); the Engine on it,
// continuous batching over a bookkeeping-only pool and replayed decode graphs, gives exactly the
// Generator's tokens; options that do not apply to CUDA are refused; and the CPU runner refuses a
// bookkeeping-only pool.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/backend/cuda/test_device.h"
#include "tests/workers/engine/runtime/fixture_reference.h"
#include "workers/engine/backend/cuda/runner/cuda_runner.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/model_runner_factory.h"
#include "workers/engine/sched/engine.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

constexpr int kPrompts = 3;  // the first reference prompts: en_plain, ...
constexpr int kSteps = 8;    // greedy steps each (the emulator runs ~0.3 s a step)

class CudaEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SWITCHYARD_REQUIRE_SHARED();
    SWITCHYARD_REQUIRE_CUDA_DEVICE();
    auto dir = testing::FixtureDir("qwen3-tiny-dense");
    if (!dir) GTEST_SKIP() << "../shared/fixtures/qwen3-tiny-dense is absent";
    auto m = LoadModel(*dir + "/hf", LoadOptions{.progress = nullptr, .prefault = false});
    ASSERT_TRUE(m.ok()) << m.status();
    model_ = std::move(*m);
    auto tok = Tokenizer::Load(model_->tokenizer_json_path());
    ASSERT_TRUE(tok.ok()) << tok.status();
    tok_ = std::move(*tok);
    refs_ = testing::ReadReference(*dir + "/ref.json");
    ASSERT_GE(refs_.size(), static_cast<size_t>(kPrompts));
  }

  // The CUDA runner as the worker builds it: through the factory (linked with the emulator or the real runtime).
  std::unique_ptr<ModelRunner> CudaRunner(int64_t max_batch_tokens = 64) {
    DeviceOptions o;
    o.device = Device::kCuda;
    o.kv_blocks = 64;
    o.max_batch_tokens = max_batch_tokens;
    auto r = MakeModelRunner(*model_, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? std::move(*r) : nullptr;
  }

  static SamplingParams Greedy() {
    SamplingParams p;
    p.temperature = 0.0f;
    p.max_tokens = kSteps;
    return p;
  }

  // Greedy tokens of reference prompt i through the Generator on `runner`.
  std::vector<int32_t> Generate(ModelRunner& runner, int i) {
    auto pool = MakeKvPool(runner, KvPoolSpec{ModelKvShape(runner.config(), 16, DType::kF32), 64});
    EXPECT_TRUE(pool.ok()) << pool.status();
    if (!pool.ok()) return {};
    Generator gen(runner, *tok_, **pool);
    GenerateOptions go;
    go.sampling = Greedy();
    auto result = gen.Generate(refs_[static_cast<size_t>(i)].tokens_hf, go, nullptr);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->tokens : std::vector<int32_t>{};
  }

  std::vector<int32_t> Reference(int i) const {
    std::vector<int32_t> want;
    for (int s = 0; s < kSteps; ++s) want.push_back(refs_[static_cast<size_t>(i)].greedy[static_cast<size_t>(s)].token);
    return want;
  }

  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::vector<testing::ReferencePrompt> refs_;
};

TEST_F(CudaEngineTest, FactoryBuildsTheCudaRunnerWithABookkeepingPool) {
  ASSERT_TRUE(CheckDevice(Device::kCuda).ok()) << "SetUp found a device";
  auto runner = CudaRunner();
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->device_name(), "cuda");
  EXPECT_EQ(runner->max_batch_tokens(), 64);
  EXPECT_EQ(runner->vocab_size(), model_->config().vocab_size);
  // Whatever the caller wishes, the pool is the device cache's: 64 blocks of 16, no host memory.
  const KvPoolSpec spec = runner->KvPoolFor(KvPoolSpec{ModelKvShape(runner->config(), 32, DType::kF16), 1000});
  EXPECT_EQ(spec.num_blocks, 64);
  EXPECT_EQ(spec.shape.block_size, 16);
  EXPECT_EQ(spec.shape.dtype, DType::kF32);
  EXPECT_EQ(spec.memory, KvMemory::kNone);
  auto pool = MakeKvPool(*runner, KvPoolSpec{ModelKvShape(runner->config(), 16, DType::kF32), 8});
  ASSERT_TRUE(pool.ok()) << pool.status();
  EXPECT_FALSE((*pool)->has_memory());
  EXPECT_EQ((*pool)->num_blocks(), 64);

  // The CPU runner through the same factory computes on the caller's own host pool.
  auto cpu = MakeModelRunner(*model_, DeviceOptions{.device = Device::kCpu, .cpu = RunnerOptions{.threads = 2}});
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  EXPECT_EQ((*cpu)->device_name(), "cpu");
  const KvPoolSpec cspec = (*cpu)->KvPoolFor(KvPoolSpec{ModelKvShape((*cpu)->config(), 32, DType::kF16), 1000});
  EXPECT_EQ(cspec.num_blocks, 1000);
  EXPECT_EQ(cspec.shape.block_size, 32);
  EXPECT_EQ(cspec.shape.dtype, DType::kF16);
  EXPECT_EQ(cspec.memory, KvMemory::kHost);
}

TEST_F(CudaEngineTest, CpuOnlyOptionsAreRefusedOnCuda) {
  DeviceOptions threads{.device = Device::kCuda, .cpu = RunnerOptions{.threads = 4}};
  auto r = MakeModelRunner(*model_, threads);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("thread count does not apply to the CUDA backend"));
  DeviceOptions bf16{.device = Device::kCuda, .cpu = RunnerOptions{.bf16_activations = true}};
  r = MakeModelRunner(*model_, bf16);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("bf16 activations are a CPU backend mode"));
  DeviceOptions dtype{.device = Device::kCuda, .kv_dtype = DType::kBF16};
  EXPECT_EQ(MakeModelRunner(*model_, dtype).status().code(), absl::StatusCode::kInvalidArgument);
  auto bad = ParseDevice("tpu");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "'tpu' is not a device (use cpu or cuda)");
  EXPECT_EQ(*ParseDevice("cuda"), Device::kCuda);
  EXPECT_EQ(*ParseDevice("cpu"), Device::kCpu);
}

// Greedy decoding through the Generator on the CUDA runner gives llama.cpp's tokens, whether the
// prompt goes in one Forward or, on a runner whose largest batch is 5 tokens, in several.
TEST_F(CudaEngineTest, GeneratorOnCudaGivesLlamaCppGreedyTokens) {
  auto whole = CudaRunner();
  auto chunked = CudaRunner(/*max_batch_tokens=*/5);
  ASSERT_NE(whole, nullptr);
  ASSERT_NE(chunked, nullptr);
  ASSERT_GT(refs_[0].tokens_hf.size(), 5u) << "the prompt must need several chunks";
  EXPECT_EQ(Generate(*whole, 0), Reference(0));
  EXPECT_EQ(Generate(*chunked, 0), Reference(0));
}

// Collects the engine's outputs per request, from the engine thread.
class Outputs {
 public:
  OutputFn For(int i) {
    return [this, i](SequenceOutput o) {
      absl::MutexLock lock(&mu_);
      auto& r = results_[i];
      r.tokens.insert(r.tokens.end(), o.token_ids.begin(), o.token_ids.end());
      if (o.finished) {
        r.reason = o.reason;
        r.error = o.error;
        ++done_;
      }
    };
  }
  void WaitFor(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done_ >= n; };
    mu_.Await(absl::Condition(&enough));
  }
  struct Result {
    std::vector<int32_t> tokens;
    FinishReason reason = FinishReason::kNone;
    absl::Status error;
  };
  Result Get(int i) {
    absl::MutexLock lock(&mu_);
    return results_[i];
  }

 private:
  absl::Mutex mu_;
  std::map<int, Result> results_ ABSL_GUARDED_BY(mu_);
  int done_ ABSL_GUARDED_BY(mu_) = 0;
};

// Three requests at once through the Engine on the CUDA runner (their prompts prefilled in one
// step, then decoded together by replayed graphs, over a bookkeeping-only pool): exactly the
// tokens the Generator gives each alone on another CUDA runner, and llama.cpp's.
TEST_F(CudaEngineTest, EngineOnCudaGivesTheGeneratorsTokens) {
  auto solo_runner = CudaRunner();
  ASSERT_NE(solo_runner, nullptr);
  std::vector<std::vector<int32_t>> solo;
  for (int i = 0; i < kPrompts; ++i) solo.push_back(Generate(*solo_runner, i));

  auto runner = CudaRunner();  // its own device cache: one pool per CUDA runner
  ASSERT_NE(runner, nullptr);
  auto engine = Engine::Create(runner.get(), tok_.get(), EngineOptions{.max_batch = 4, .max_queue = 4, .step_tokens = 64});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->Stats().kv_blocks_total, 64) << "the device cache's blocks, not the options' default";
  Outputs out;
  for (int i = 0; i < kPrompts; ++i) {
    EngineRequest r;
    r.id = absl::StrCat("cuda", i);
    r.prompt = refs_[static_cast<size_t>(i)].tokens_hf;
    r.sampling = Greedy();
    r.on_output = out.For(i);
    ASSERT_TRUE((*engine)->Submit(std::move(r)).ok());
  }
  out.WaitFor(kPrompts);
  for (int i = 0; i < kPrompts; ++i) {
    const Outputs::Result r = out.Get(i);
    EXPECT_TRUE(r.error.ok()) << r.error;
    EXPECT_EQ(r.reason, FinishReason::kLength);
    EXPECT_EQ(r.tokens, solo[static_cast<size_t>(i)]) << "request " << i;
    EXPECT_EQ(r.tokens, Reference(i)) << "request " << i;
  }
  const auto* cuda = dynamic_cast<const cuda::CudaRunner*>(runner.get());
  ASSERT_NE(cuda, nullptr);
  EXPECT_GT(cuda->graph_replays(), 0) << "decode steps should replay captured graphs";
}

TEST_F(CudaEngineTest, EngineRefusesStepsOverTheRunnersLargestBatch) {
  auto runner = CudaRunner(/*max_batch_tokens=*/64);
  ASSERT_NE(runner, nullptr);
  auto engine = Engine::Create(runner.get(), tok_.get(), EngineOptions{.step_tokens = 256});
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.status().message(), "engine: step_tokens 256 exceeds the cuda runner's largest batch of 64 tokens");
}

// The CPU runner needs the K/V in host memory: a bookkeeping-only pool is a clear error, and
// nothing is computed or reserved.
TEST_F(CudaEngineTest, CpuRunnerRefusesABookkeepingPool) {
  auto cpu = Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2});
  ASSERT_TRUE(cpu.ok()) << cpu.status();
  auto pool = KvBlockPool::Create((*cpu)->kv_shape(16), 8, KvMemory::kNone);
  ASSERT_TRUE(pool.ok()) << pool.status();
  KvSequence seq(pool->get());
  std::vector<float> logits(static_cast<size_t>((*cpu)->vocab_size()));
  SequenceChunk chunk{&seq, refs_[0].tokens_hf};
  const absl::Status st = (*cpu)->Forward({&chunk, 1}, logits.data());
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_THAT(std::string(st.message()), HasSubstr("bookkeeping-only"));
  EXPECT_EQ(seq.length(), 0);
  EXPECT_EQ((*pool)->free_blocks(), 8);
}

}  // namespace
}  // namespace switchyard
