// ModelRunner: what the Engine and the Generator need of a backend's forward pass, whatever
// computes it: Qwen3Runner (runtime/qwen3_runner.h, the CPU) or cuda::CudaRunner
// (backend/cuda/runner/cuda_runner.h). MakeModelRunner (runtime/model_runner_factory.h) picks one.
//
// The contract, shared by every backend:
//  - Forward() runs any mix of sequences' chunks (prompt tokens, single decode tokens) as one
//    batch, appends their keys and values to each sequence's cache and writes the logits rows
//    the chunks ask for (LogitRows);
//  - the caller owns the block tables: each chunk's KvSequence lives in a KvBlockPool that the
//    caller built from KvPoolFor(). On the CPU the pool holds the K/V data; a backend whose cache
//    lives in device memory asks for a bookkeeping-only pool (KvMemory::kNone) of exactly its
//    own shape and block count, whose block ids address its device cache.
//
//   auto runner = MakeModelRunner(model, DeviceOptions{.device = Device::kCpu});
//   auto pool = MakeKvPool(**runner, KvPoolSpec{ModelKvShape((*runner)->config(), 16, DType::kF32), 256});
//   KvSequence seq(pool->get());
//   SequenceChunk chunk{&seq, prompt_ids};
//   (*runner)->Forward({&chunk, 1}, logits.data());
//
// Thread safety: one Forward() at a time (the step thread); the accessors are const and safe.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/model/model_config.h"

namespace switchyard {

// The new tokens of one sequence in a batch. Their positions continue from kv->length().
struct SequenceChunk {
  KvSequence* kv;
  absl::Span<const int32_t> tokens;
  bool all_logits = false;  // logits for every token (scoring a prompt), or only the last
  bool want_logits = true;  // false: none (a prefill chunk in the middle of a prompt)
};

// What every backend's Forward checks of a chunk before computing anything: it has tokens, its
// ids are inside the vocabulary and it ends within the model's context. InvalidArgument naming
// the offending value otherwise.
absl::Status ValidateChunk(const SequenceChunk& chunk, const ModelConfig& config);

// Logits rows Forward writes for `chunks`: per chunk wanting logits, all its tokens or one.
int64_t LogitRows(absl::Span<const SequenceChunk> chunks);

// The KvBlockPool a caller builds for a runner: its shape, block count and whether it holds the
// K/V data (kHost) or only block ids and accounting (kNone, the data being in device memory).
struct KvPoolSpec {
  KvCacheShape shape;
  int64_t num_blocks = 0;
  KvMemory memory = KvMemory::kHost;
};

// The cache shape of a model: every layer's kv heads of head_dim, `block_size` positions a block.
KvCacheShape ModelKvShape(const ModelConfig& config, int64_t block_size, DType dtype);

class ModelRunner {
 public:
  virtual ~ModelRunner() = default;

  // Runs the chunks, appends their K/V to each sequence's cache, and writes logits rows to
  // `logits` ([LogitRows(chunks), vocab_size()]). InvalidArgument for token ids outside the
  // vocabulary, positions past max_context(), batches over max_batch_tokens() or a pool not
  // made from KvPoolFor(); ResourceExhausted when the KV pool has no room (no sequence changes).
  virtual absl::Status Forward(absl::Span<const SequenceChunk> chunks, float* logits) = 0;

  virtual const ModelConfig& config() const = 0;
  // The pool the caller must build for this runner's sequences, given the one it would like
  // (`wish`: block size, element type, block count). The CPU runner computes on any host pool
  // and returns the wish. A runner that allocated its cache when it was created (CUDA) returns
  // its own shape and block count, bookkeeping-only, whatever the wish: build from the result,
  // and build one such pool per runner (two would hand out the same device blocks).
  virtual KvPoolSpec KvPoolFor(const KvPoolSpec& wish) const = 0;
  // The most tokens (all chunks together) one Forward() may carry: scratch sized at creation
  // on the device; unbounded on the CPU. Callers split longer prompts into chunks.
  virtual int64_t max_batch_tokens() const { return std::numeric_limits<int64_t>::max(); }
  // "cpu" or "cuda", for logs.
  virtual absl::string_view device_name() const = 0;
  // Calls fn(i) once for every i in [0, n), possibly on several threads at once (fn must be
  // safe to run concurrently for different i), and returns when all calls have. Not during
  // Forward(). The CPU runner lends its forward pass's threads, idle between steps; the
  // default runs the calls in order on the calling thread. The Engine samples with it.
  virtual void ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < n; ++i) fn(i);
  }

  int64_t vocab_size() const { return config().vocab_size; }
  int64_t max_context() const { return config().max_position_embeddings; }
};

// KvBlockPool::Create on what runner.KvPoolFor(wish) asks for.
absl::StatusOr<std::unique_ptr<KvBlockPool>> MakeKvPool(const ModelRunner& runner, const KvPoolSpec& wish);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_H_
