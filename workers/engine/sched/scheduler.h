// Scheduler: decides what the next engine step computes (vLLM's scheduler, CPU-sized).
//
// Each step gets a token budget. Running sequences come first, in arrival order: a decoding
// sequence takes 1 token, a prefilling one takes the rest of its prompt up to what the budget
// leaves (chunked prefill), so long prompts never stall the others' decoding. Waiting
// sequences join while the batch has room (max_batch) and the KV pool has blocks for their next
// chunk. When the pool cannot hold a running sequence's next token, the newest running
// sequence is preempted: its blocks are freed and it waits to recompute them ("no room" is a
// normal answer, never an error, unless a single sequence cannot fit in the whole pool).
// Thread safety: used only by the engine thread.
#ifndef SWITCHYARD_WORKERS_ENGINE_SCHED_SCHEDULER_H_
#define SWITCHYARD_WORKERS_ENGINE_SCHED_SCHEDULER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/sched/sequence.h"

namespace switchyard {

struct SchedulerOptions {
  int max_batch = 16;          // running sequences at most
  int64_t step_tokens = 256;   // tokens computed per step at most (prefill chunks + decodes)
};

// One step's work: for each sequence, how many of its pending tokens to compute now.
struct StepPlan {
  struct Item {
    Sequence* seq;
    int64_t count;
    bool samples;  // the chunk reaches the end of the sequence's tokens: sample afterwards
  };
  std::vector<Item> items;
  std::vector<Sequence*> preempted;  // informational (tests, logs)
  bool empty() const { return items.empty(); }
};

class Scheduler {
 public:
  Scheduler(KvBlockPool* pool, SchedulerOptions options) : pool_(pool), options_(options) {}

  void Add(std::unique_ptr<Sequence> seq);
  // Removes finished and cancelled sequences (reporting cancellation), then plans a step.
  StepPlan Schedule();
  // Drops finished sequences after a step.
  void Reap();

  int running() const { return static_cast<int>(running_.size()); }
  int waiting() const { return static_cast<int>(waiting_.size()); }
  // Every sequence, for shutdown.
  void FinishAll(FinishReason reason, const absl::Status& error);

 private:
  int64_t BlocksFor(int64_t positions) const {
    const int64_t bs = pool_->shape().block_size;
    return (positions + bs - 1) / bs;
  }
  // Extra blocks `seq` needs to hold `count` more positions.
  int64_t ExtraBlocks(Sequence& seq, int64_t count) const {
    return std::max<int64_t>(0, BlocksFor(seq.computed() + count) - static_cast<int64_t>(seq.kv().blocks().size()));
  }

  KvBlockPool* pool_;
  SchedulerOptions options_;
  std::vector<std::unique_ptr<Sequence>> running_;  // arrival order
  std::deque<std::unique_ptr<Sequence>> waiting_;   // arrival order (preempted ones go first)
  uint64_t next_arrival_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SCHED_SCHEDULER_H_
