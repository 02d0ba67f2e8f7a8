// Scheduler, driven by hand without a model (as vLLM's tests/v1/core/test_scheduler.py does):
// each test plans steps, "runs" them by writing the planned positions into the KV cache and
// accepting a token for every sequence that samples, and checks what the next plan holds:
// chunked prefill within the token budget, decodes first, admission in arrival order within
// max_batch and the free blocks, preemption of the newest sequence when blocks run out,
// cancellation, and a sequence too large for the whole cache failing alone.
#include "workers/engine/sched/scheduler.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/small_tokenizer.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

constexpr int32_t kToken = 'a';  // what every sampled step "generates"

// What the tests read back of a plan: sequence id -> (tokens to compute, samples after).
struct Planned {
  int64_t count;
  bool samples;
  bool operator==(const Planned&) const = default;
};
using PlanView = std::map<std::string, Planned>;

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = Tokenizer::FromJson(testing::SmallTokenizer().dump(), "small.json");
    ASSERT_TRUE(tok.ok()) << tok.status();
    tokenizer_ = *std::move(tok);
  }

  // A pool of `blocks` blocks of 4 positions (one layer, one head: the bytes do not matter).
  void MakePool(int64_t blocks) {
    auto pool = KvBlockPool::Create(KvCacheShape{1, 1, 4, 4}, blocks);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
  }

  // A sequence with a prompt of `prompt` tokens that ends after `max_tokens` sampled ones.
  std::unique_ptr<Sequence> Seq(const std::string& id, int prompt, int max_tokens = 100) {
    EngineRequest r;
    r.id = id;
    r.prompt.assign(static_cast<size_t>(prompt), 'x');
    r.sampling.temperature = 0;
    r.sampling.max_tokens = max_tokens;
    r.on_output = [this, id](SequenceOutput o) {
      if (o.finished) finished_[id] = o;
    };
    auto s = std::make_unique<Sequence>(std::move(r), pool_.get(), *tokenizer_, testing::kSmallTokenizerVocab);
    by_id_[id] = s.get();
    return s;
  }

  // Runs a plan as the engine would: the chunk's positions go into the cache, and each
  // sequence that samples accepts kToken.
  void Run(const StepPlan& plan) {
    for (const StepPlan::Item& it : plan.items) {
      KvSequence& kv = it.seq->kv();
      const int64_t end = kv.length() + it.count;
      ASSERT_TRUE(kv.Reserve(end).ok()) << it.seq->id() << ": the scheduler planned more than the pool holds";
      kv.set_length(end);
      if (it.samples) it.seq->Accept(kToken, 1 << 20);
    }
  }

  static PlanView View(const StepPlan& plan) {
    PlanView v;
    for (const StepPlan::Item& it : plan.items) v[it.seq->id()] = Planned{it.count, it.samples};
    return v;
  }

  std::unique_ptr<Tokenizer> tokenizer_;
  std::unique_ptr<KvBlockPool> pool_;
  std::map<std::string, Sequence*> by_id_;
  std::map<std::string, SequenceOutput> finished_;
};

TEST_F(SchedulerTest, LongPromptsAreChunkedWithinTheBudgetAndDecodesGoFirst) {
  MakePool(64);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 4, .step_tokens = 8});
  sched.Add(Seq("long", 20));
  sched.Add(Seq("short", 3));
  StepPlan p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"long", {8, false}}}));  // the budget is spent: "short" waits
  EXPECT_EQ(sched.running(), 1);
  EXPECT_EQ(sched.waiting(), 1);
  Run(p);
  p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"long", {8, false}}}));
  Run(p);
  // The prompt's last 4 tokens, then sampling; "short" fits in what the budget leaves.
  p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"long", {4, true}}, {"short", {3, true}}}));
  Run(p);
  EXPECT_EQ(by_id_["long"]->generated(), 1);
  // Both decode: one token each.
  p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"long", {1, true}}, {"short", {1, true}}}));
  EXPECT_TRUE(p.preempted.empty());
}

TEST_F(SchedulerTest, MaxBatchAdmitsWaitersInArrivalOrderAsOthersFinish) {
  MakePool(64);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 2, .step_tokens = 64});
  sched.Add(Seq("a", 2, /*max_tokens=*/1));
  sched.Add(Seq("b", 2, /*max_tokens=*/3));
  sched.Add(Seq("c", 2));
  StepPlan p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"a", {2, true}}, {"b", {2, true}}}));
  EXPECT_EQ(sched.waiting(), 1);
  Run(p);  // "a" reaches max_tokens and finishes
  ASSERT_EQ(finished_.count("a"), 1u);
  EXPECT_EQ(finished_["a"].reason, FinishReason::kLength);
  EXPECT_EQ(finished_["a"].completion_tokens, 1);
  sched.Reap();
  p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"b", {1, true}}, {"c", {2, true}}}));
  EXPECT_EQ(sched.running(), 2);
  EXPECT_EQ(sched.waiting(), 0);
  Run(p);
  // The finished sequence gave its block back: "b" and "c" hold one each.
  EXPECT_EQ(pool_->free_blocks(), 64 - 2);
}

TEST_F(SchedulerTest, WhenBlocksRunOutTheNewestIsPreemptedAndRecomputesLater) {
  MakePool(4);  // 16 positions
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 4, .step_tokens = 64});
  sched.Add(Seq("old", 8));
  sched.Add(Seq("new", 7));
  StepPlan p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"old", {8, true}}, {"new", {7, true}}}));
  Run(p);  // "old" holds positions 0-7 (2 blocks), "new" 0-6 (2 blocks): the pool is full
  EXPECT_EQ(pool_->free_blocks(), 0);
  // "old" needs a third block for position 8: "new" gives its blocks up and waits.
  p = sched.Schedule();
  ASSERT_EQ(p.preempted.size(), 1u);
  EXPECT_EQ(p.preempted[0]->id(), "new");
  EXPECT_EQ(View(p), (PlanView{{"old", {1, true}}}));
  EXPECT_EQ(by_id_["new"]->state(), Sequence::State::kWaiting);
  EXPECT_EQ(by_id_["new"]->computed(), 0);
  EXPECT_EQ(by_id_["new"]->pending(), 8);  // its prompt and the token it had generated
  EXPECT_EQ(sched.waiting(), 1);
  Run(p);
  // "new" comes back first once blocks are free: here, never while "old" grows into them.
  EXPECT_EQ(pool_->free_blocks(), 1);
  p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"old", {1, true}}}));  // "new" needs 2 blocks, 1 is free
  EXPECT_FALSE(finished_.count("new"));  // no room is an answer, not an error
}

TEST_F(SchedulerTest, TheOldestWaiterIsNotOvertaken) {
  MakePool(4);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 4, .step_tokens = 64});
  sched.Add(Seq("holder", 9));  // 3 blocks
  Run(sched.Schedule());
  sched.Add(Seq("big", 8));    // needs 2 blocks, 1 free
  sched.Add(Seq("small", 2));  // would fit in the free block, but arrived later
  const StepPlan p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"holder", {1, true}}}));
  EXPECT_EQ(sched.waiting(), 2);
}

TEST_F(SchedulerTest, ASequenceLargerThanTheWholeCacheFailsAlone) {
  MakePool(4);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 4, .step_tokens = 64});
  sched.Add(Seq("huge", 17));
  sched.Add(Seq("fine", 3));
  const StepPlan p = sched.Schedule();
  ASSERT_EQ(finished_.count("huge"), 1u);
  EXPECT_EQ(finished_["huge"].reason, FinishReason::kError);
  EXPECT_EQ(finished_["huge"].error.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(finished_["huge"].error.message(), "prompt of 17 tokens does not fit in the KV cache (16 positions)");
  EXPECT_EQ(View(p), (PlanView{{"fine", {3, true}}}));
}

TEST_F(SchedulerTest, CancelledSequencesLeaveBeforePlanningAndFreeTheirBlocks) {
  MakePool(8);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 4, .step_tokens = 64});
  sched.Add(Seq("a", 5));
  sched.Add(Seq("b", 5));
  Run(sched.Schedule());
  EXPECT_EQ(pool_->free_blocks(), 8 - 4);
  by_id_["a"]->Cancel();
  sched.Add(Seq("waiting", 3));
  by_id_["waiting"]->Cancel();
  const StepPlan p = sched.Schedule();
  EXPECT_EQ(View(p), (PlanView{{"b", {1, true}}}));
  ASSERT_EQ(finished_.count("a"), 1u);
  EXPECT_EQ(finished_["a"].reason, FinishReason::kCancelled);
  EXPECT_EQ(finished_["a"].completion_tokens, 1);
  ASSERT_EQ(finished_.count("waiting"), 1u);
  EXPECT_EQ(finished_["waiting"].reason, FinishReason::kCancelled);
  EXPECT_EQ(sched.running(), 1);
  EXPECT_EQ(sched.waiting(), 0);
  EXPECT_EQ(pool_->free_blocks(), 8 - 2);  // "a"'s two blocks are back
}

TEST_F(SchedulerTest, FinishAllEndsRunningAndWaitingWithTheReason) {
  MakePool(8);
  Scheduler sched(pool_.get(), SchedulerOptions{.max_batch = 1, .step_tokens = 64});
  sched.Add(Seq("running", 3));
  sched.Add(Seq("queued", 3));
  Run(sched.Schedule());
  sched.FinishAll(FinishReason::kCancelled, absl::UnavailableError("the worker is shutting down"));
  ASSERT_EQ(finished_.size(), 2u);
  for (const auto& [id, out] : finished_) {
    EXPECT_EQ(out.reason, FinishReason::kCancelled) << id;
    EXPECT_EQ(out.error.message(), "the worker is shutting down") << id;
  }
  EXPECT_EQ(sched.running(), 0);
  EXPECT_EQ(sched.waiting(), 0);
  EXPECT_EQ(pool_->free_blocks(), 8);
}

}  // namespace
}  // namespace switchyard
