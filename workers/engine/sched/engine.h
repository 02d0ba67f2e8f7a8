// Engine: continuous batching over one model. Requests arrive from any thread; one engine
// thread runs steps: the Scheduler picks prefill chunks and decode tokens for every running
// sequence, the runner computes them as one batched forward pass (one matrix product per
// weight for the whole batch), and each sequence samples its next token and reports it.
// Sequences join and leave the batch at token boundaries; a cancelled sequence leaves, and
// its KV blocks return to the pool, at the next step.
//
//   auto engine = Engine::Create(runner, tokenizer, {.max_batch = 16, .max_queue = 64});  // any ModelRunner
//   auto handle = engine.Submit({.prompt = ids, .sampling = params, .on_output = push_to_stream});
//   handle->Cancel();  // from any thread
//
// Thread safety: Submit, Stats and Cancel are safe from any thread.
#ifndef SWITCHYARD_WORKERS_ENGINE_SCHED_ENGINE_H_
#define SWITCHYARD_WORKERS_ENGINE_SCHED_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "workers/engine/runtime/model_runner.h"
#include "workers/engine/sched/scheduler.h"
#include "workers/engine/sched/sequence.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {

struct EngineOptions {
  int max_batch = 16;
  int max_queue = 64;            // waiting requests beyond this are refused (ResourceExhausted)
  int64_t kv_blocks = 0;         // 0: enough for max_batch sequences of 2048 positions
  int64_t block_size = 16;
  int64_t step_tokens = 256;     // prefill chunk budget per step
  DType kv_dtype = DType::kF32;  // kF16 halves the cache per token (KvBlockPool)

  // Blocks of the KV pool for a model of `max_context` positions: kv_blocks, or (0) enough for
  // max_batch sequences of min(max_context, 2048) positions. A device cache sized before the
  // engine exists (DeviceOptions::kv_blocks) takes the same number.
  int64_t KvBlocks(int64_t max_context) const;
};

struct EngineStats {
  int running = 0;
  int waiting = 0;
  int64_t kv_blocks_total = 0;
  int64_t kv_blocks_free = 0;
  int64_t tokens_generated = 0;
  int64_t steps = 0;
  int64_t preemptions = 0;  // sequences that gave their cache back to let others run
};

// A submitted request, for cancelling it.
class RequestHandle {
 public:
  explicit RequestHandle(std::shared_ptr<std::atomic<bool>> cancel) : cancel_(std::move(cancel)) {}
  void Cancel() { cancel_->store(true, std::memory_order_release); }

 private:
  std::shared_ptr<std::atomic<bool>> cancel_;
};

class Engine {
 public:
  // `runner` and `tokenizer` must outlive the engine. Starts the engine thread. The KV pool is
  // built from runner->KvPoolFor(the options' block size, dtype and KvBlocks()): a device
  // runner's own (bookkeeping-only) pool whatever the options say; Stats() reports its size.
  // InvalidArgument for non-positive options or a step_tokens over runner->max_batch_tokens().
  static absl::StatusOr<std::unique_ptr<Engine>> Create(ModelRunner* runner, const Tokenizer* tokenizer,
                                                        const EngineOptions& options);
  ~Engine();  // finishes every sequence as cancelled and joins the thread

  // InvalidArgument for an empty prompt, a prompt that leaves no room in the context (naming
  // both lengths) or bad sampling parameters; ResourceExhausted when the queue is full.
  absl::StatusOr<std::shared_ptr<RequestHandle>> Submit(EngineRequest request);
  EngineStats Stats() const ABSL_LOCKS_EXCLUDED(mu_);
  const EngineOptions& options() const { return options_; }
  int64_t context_length() const { return runner_->max_context(); }

  // Only Create builds engines.
  class PassKey {
    friend class Engine;
    PassKey() = default;
  };
  Engine(PassKey, ModelRunner* runner, const Tokenizer* tokenizer, const EngineOptions& options,
         std::unique_ptr<KvBlockPool> pool);

 private:
  void Loop();
  void Step(const StepPlan& plan);

  ModelRunner* runner_;
  const Tokenizer* tokenizer_;
  EngineOptions options_;
  std::unique_ptr<KvBlockPool> pool_;
  Scheduler scheduler_;  // engine thread only

  mutable absl::Mutex mu_;
  struct Incoming {
    std::unique_ptr<Sequence> seq;
    std::shared_ptr<std::atomic<bool>> cancel;
  };
  std::vector<Incoming> incoming_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  EngineStats stats_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;  // the scheduler holds sequences
  // Cancel flags of live sequences, polled by the engine thread each step.
  std::vector<std::pair<Sequence*, std::shared_ptr<std::atomic<bool>>>> live_;  // engine thread only
  std::vector<float> logits_;  // engine thread only
  std::vector<int32_t> sampled_;  // engine thread only: the step's sampled tokens
  std::thread thread_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SCHED_ENGINE_H_
