// Continuous batching: many concurrent sequences through one Engine give exactly the tokens
// each gives alone (same seed), also when the KV pool is small enough to force preemption;
// cancellation frees the cache; full queues and bad requests are refused.
#include "workers/engine/sched/engine.h"

#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_writer.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

// Collects the outputs of many requests, from the engine thread.
class Collector {
 public:
  OutputFn For(int i) {
    return [this, i](SequenceOutput o) {
      absl::MutexLock lock(&mu_);
      Result& r = results_[i];
      r.tokens.insert(r.tokens.end(), o.token_ids.begin(), o.token_ids.end());
      r.text += o.text;
      if (o.finished) {
        r.done = true;
        r.reason = o.reason;
        r.error = o.error;
        ++done_;
      }
    };
  }
  void WaitFor(int n) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(+[](std::pair<int*, int>* p) { return *p->first >= p->second; }, new_pair(n)));
  }
  struct Result {
    std::vector<int32_t> tokens;
    std::string text;
    bool done = false;
    FinishReason reason = FinishReason::kNone;
    absl::Status error;
  };
  Result Get(int i) {
    absl::MutexLock lock(&mu_);
    return results_[i];
  }

 private:
  std::pair<int*, int>* new_pair(int n) {
    pair_ = {&done_, n};
    return &pair_;
  }
  absl::Mutex mu_;
  std::map<int, Result> results_;
  int done_ = 0;
  std::pair<int*, int> pair_;
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape("tiny");
    o.shape.max_position_embeddings = 256;
    o.seed = 21;
    o.tokenizer_dir = *tok;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    model_ = std::move(*LoadModel(dir_.path(), LoadOptions{.progress = nullptr, .prefault = false}));
    tok_ = std::move(*Tokenizer::Load(model_->tokenizer_json_path()));
    runner_ = std::move(*Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2}));
  }

 public:
  std::vector<int32_t> Prompt(int i) {
    return *tok_->Encode(absl::StrCat("Request number ", i, ": tell me about ", std::string(static_cast<size_t>(i % 5 + 1), 'x')));
  }
  SamplingParams Params(int i) {
    SamplingParams p;
    p.temperature = i % 3 == 0 ? 0.0f : 0.9f;
    p.top_k = 40;
    p.seed = static_cast<uint64_t>(1000 + i);
    p.max_tokens = 10 + i % 7;
    return p;
  }
  // What the single-sequence generator gives for request i.

 protected:
  GenerationResult Solo(int i) {
    auto pool = std::move(*KvBlockPool::Create(runner_->kv_shape(16), 32));
    Generator gen(*runner_, *tok_, *pool);
    GenerateOptions o;
    o.sampling = Params(i);
    return *gen.Generate(Prompt(i), o, nullptr);
  }
  testing::ScratchDir dir_;
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<Qwen3Runner> runner_;
};

// Stats are refreshed by the engine thread after the step that finished the last sequence.
EngineStats WaitIdle(Engine& engine) {
  for (int i = 0; i < 2000; ++i) {
    const EngineStats s = engine.Stats();
    if (s.running == 0 && s.waiting == 0 && s.kv_blocks_free == s.kv_blocks_total) return s;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return engine.Stats();
}

void RunConcurrent(EngineTest* t, Engine& engine, int n, std::vector<GenerationResult>& solo) {
  Collector c;
  for (int i = 0; i < n; ++i) {
    EngineRequest r;
    r.id = absl::StrCat("r", i);
    r.prompt = t->Prompt(i);
    r.sampling = t->Params(i);
    r.on_output = c.For(i);
    ASSERT_TRUE(engine.Submit(std::move(r)).ok());
  }
  c.WaitFor(n);
  for (int i = 0; i < n; ++i) {
    const auto r = c.Get(i);
    EXPECT_TRUE(r.error.ok()) << r.error;
    EXPECT_EQ(r.tokens, solo[static_cast<size_t>(i)].tokens) << "request " << i;
    EXPECT_EQ(r.text, solo[static_cast<size_t>(i)].text) << "request " << i;
    EXPECT_EQ(r.reason, FinishReason::kLength);
  }
}

TEST_F(EngineTest, ConcurrentSequencesMatchSoloRuns) {
  const int n = 12;
  std::vector<GenerationResult> solo;
  for (int i = 0; i < n; ++i) solo.push_back(Solo(i));
  auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 8, .max_queue = 16, .kv_blocks = 64});
  ASSERT_TRUE(engine.ok());
  RunConcurrent(this, **engine, n, solo);
  const EngineStats s = WaitIdle(**engine);
  EXPECT_EQ(s.kv_blocks_free, 64);
  EXPECT_GT(s.tokens_generated, 12 * 10);
}

TEST_F(EngineTest, PreemptionUnderAScarcePoolKeepsResultsExact) {
  const int n = 8;
  std::vector<GenerationResult> solo;
  for (int i = 0; i < n; ++i) solo.push_back(Solo(i));
  // 6 blocks of 4 positions: each sequence needs ~4-7 blocks, so they must take turns.
  auto engine = Engine::Create(runner_.get(), tok_.get(),
                               EngineOptions{.max_batch = 8, .max_queue = 16, .kv_blocks = 12, .block_size = 4, .step_tokens = 8});
  ASSERT_TRUE(engine.ok());
  RunConcurrent(this, **engine, n, solo);
  const EngineStats s = WaitIdle(**engine);
  EXPECT_EQ(s.kv_blocks_free, 12);
  EXPECT_GT(s.preemptions, 0);  // the pool really was too small for all of them at once
}

TEST_F(EngineTest, CancellationFreesTheCache) {
  auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 4, .max_queue = 4, .kv_blocks = 32});
  ASSERT_TRUE(engine.ok());
  Collector c;
  EngineRequest r;
  r.prompt = Prompt(1);
  r.sampling = Params(1);
  r.sampling.max_tokens = 200;
  r.on_output = c.For(0);
  auto handle = (*engine)->Submit(std::move(r));
  ASSERT_TRUE(handle.ok());
  (*handle)->Cancel();
  c.WaitFor(1);
  EXPECT_EQ(c.Get(0).reason, FinishReason::kCancelled);
  EXPECT_LT(c.Get(0).tokens.size(), 200u);
  EXPECT_EQ(WaitIdle(**engine).kv_blocks_free, 32);
}

TEST_F(EngineTest, RefusesBadRequestsAndFullQueues) {
  auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 1, .max_queue = 1, .kv_blocks = 32});
  ASSERT_TRUE(engine.ok());
  EngineRequest empty;
  EXPECT_EQ((*engine)->Submit(std::move(empty)).status().code(), absl::StatusCode::kInvalidArgument);
  EngineRequest huge;
  huge.prompt.assign(300, 9707);
  auto s = (*engine)->Submit(std::move(huge));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("prompt of 300 tokens leaves no room in the model's context of 256 tokens"));
  EngineRequest bad;
  bad.prompt = Prompt(0);
  bad.sampling.top_p = 0;
  EXPECT_EQ((*engine)->Submit(std::move(bad)).status().code(), absl::StatusCode::kInvalidArgument);
  // One running + one queued fill it; the third is refused. The running one holds the engine
  // thread in its first output until the test has submitted the others, so neither a slow
  // machine nor a fast one changes what is running and what is queued.
  Collector c;
  absl::Notification first_output, release;
  std::vector<std::shared_ptr<RequestHandle>> handles;
  int refused = 0;
  for (int i = 0; i < 3; ++i) {
    EngineRequest r;
    r.prompt = Prompt(i);
    r.sampling = Params(i);
    r.sampling.max_tokens = 100;
    r.on_output = c.For(i);
    if (i == 0) {
      r.on_output = [&, inner = std::move(r.on_output)](SequenceOutput o) {
        if (!first_output.HasBeenNotified()) {
          first_output.Notify();
          release.WaitForNotification();
        }
        inner(std::move(o));
      };
    }
    auto h = (*engine)->Submit(std::move(r));
    if (i == 0) first_output.WaitForNotification();
    if (h.ok()) {
      handles.push_back(*h);
    } else {
      EXPECT_EQ(h.status().code(), absl::StatusCode::kResourceExhausted);
      EXPECT_THAT(std::string(h.status().message()), HasSubstr("queue is full"));
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1);
  for (auto& h : handles) h->Cancel();
  release.Notify();
  c.WaitFor(2);
}

}  // namespace
}  // namespace switchyard
