// KvBlockPool: the key/value cache of every sequence a worker runs, as fixed-size blocks of
// `block_size` token positions, handed out and taken back as sequences grow and finish (the
// paged KV cache of vLLM). A block id addresses that block in every layer.
//
// Layout per layer and block: K is [kv_heads][head_dim][block_size] (transposed, so one query
// element times a row of it scores block_size positions at once, no horizontal sums) and V is
// [kv_heads][block_size][head_dim] (a position's value row is contiguous). Elements are f32, or
// f16 (KvCacheShape::dtype), which halves the memory per cached token and the bytes attention
// reads per decoded token, as llama.cpp's default f16 cache does, at the cost of rounding the
// cached keys and values to 11 significant bits.
// Bookkeeping-only pools (KvMemory::kNone) hand out block ids and keep the accounting exactly
// as above but hold no K/V memory: the data of their block ids lives elsewhere (the CUDA
// runner's device cache, cuda_runner.h), so a 30 GB device cache costs no host RAM. Reading or
// writing K/V of such a pool is a bug; K(), V(), K16(), V16() and Write() abort naming it rather
// than hand out a pointer to nothing. Runners check has_memory() first and return a Status.
//
// Thread safety: Allocate/Free/counters are internally locked; the K/V memory of a block is
// written only by the forward pass that owns the sequence holding it.
#ifndef SWITCHYARD_WORKERS_ENGINE_KV_KV_BLOCK_POOL_H_
#define SWITCHYARD_WORKERS_ENGINE_KV_KV_BLOCK_POOL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "workers/engine/util/dtype.h"
#include "workers/engine/util/huge_page_buffer.h"

namespace switchyard {

struct KvCacheShape {
  int64_t layers = 0;
  int64_t kv_heads = 0;
  int64_t head_dim = 0;
  int64_t block_size = 16;
  DType dtype = DType::kF32;  // kF32 or kF16
  int64_t ElementBytes() const { return dtype == DType::kF16 ? 2 : 4; }
  // Bytes of one block across all layers (K and V).
  int64_t BlockBytes() const { return layers * 2 * kv_heads * block_size * head_dim * ElementBytes(); }
};

// Whether a pool holds the K/V data of its blocks.
enum class KvMemory {
  kHost,  // in host memory (huge pages): the CPU runner reads and writes it
  kNone,  // bookkeeping only: block ids and accounting; the data is in a device's memory
};

class KvBlockPool {
 public:
  // InvalidArgument for a non-positive shape; ResourceExhausted if the memory cannot be had.
  static absl::StatusOr<std::unique_ptr<KvBlockPool>> Create(const KvCacheShape& shape, int64_t num_blocks,
                                                             KvMemory memory = KvMemory::kHost);

  // A free block, or nullopt when all are in use ("no room" is a normal answer: the caller
  // waits or refuses the request).
  std::optional<int32_t> Allocate() ABSL_LOCKS_EXCLUDED(mu_);
  void Free(int32_t block) ABSL_LOCKS_EXCLUDED(mu_);
  int64_t free_blocks() const ABSL_LOCKS_EXCLUDED(mu_);
  int64_t num_blocks() const { return num_blocks_; }
  const KvCacheShape& shape() const { return shape_; }
  // False for a bookkeeping-only pool (KvMemory::kNone).
  bool has_memory() const { return data_ != nullptr; }

  // K: [kv_heads][head_dim][block_size], V: [kv_heads][block_size][head_dim] for (layer, block).
  // REQUIRES: has_memory() (aborts with a message otherwise).
  // f32 pools (dtype kF32):
  float* K(int64_t layer, int32_t block) { return reinterpret_cast<float*>(Data()) + Offset(layer, block, 0); }
  float* V(int64_t layer, int32_t block) { return reinterpret_cast<float*>(Data()) + Offset(layer, block, 1); }
  // f16 pools (dtype kF16), the same layout:
  uint16_t* K16(int64_t layer, int32_t block) { return reinterpret_cast<uint16_t*>(Data()) + Offset(layer, block, 0); }
  uint16_t* V16(int64_t layer, int32_t block) { return reinterpret_cast<uint16_t*>(Data()) + Offset(layer, block, 1); }
  // Stores one position's keys and values ([kv_heads][head_dim] each, f32) at `slot` of
  // `block`, rounded to f16 in an f16 pool. REQUIRES: has_memory().
  void Write(int64_t layer, int32_t block, int64_t slot, const float* k, const float* v);
  // The same for kv head `head` alone (k, v: [head_dim] each), so the threads of a decode step
  // can each write the heads they attend with. The stored bits equal Write's.
  void WriteHead(int64_t layer, int32_t block, int64_t slot, int64_t head, const float* k, const float* v);

  // Only Create builds pools.
  class PassKey {
    friend class KvBlockPool;
    PassKey() = default;
  };
  KvBlockPool(PassKey, const KvCacheShape& shape, int64_t num_blocks, HugePageBuffer data);

 private:
  // The K/V memory; one predictable branch per block access guards bookkeeping-only pools.
  std::byte* Data() const {
    if (ABSL_PREDICT_FALSE(data_ == nullptr)) NoMemory();
    return data_;
  }
  [[noreturn]] void NoMemory() const;
  int64_t Offset(int64_t layer, int32_t block, int kv) const {
    return ((layer * num_blocks_ + block) * 2 + kv) * per_kv_;
  }
  KvCacheShape shape_;
  int64_t num_blocks_;
  int64_t per_kv_;  // elements in one K (or V) of one block and layer
  HugePageBuffer memory_;
  std::byte* data_;
  mutable absl::Mutex mu_;
  std::vector<int32_t> free_ ABSL_GUARDED_BY(mu_);
};

// One sequence's view of the cache: its block table and how many positions hold data.
// Not thread-safe: owned by the sequence.
class KvSequence {
 public:
  explicit KvSequence(KvBlockPool* pool) : pool_(pool) {}
  ~KvSequence() { Release(); }
  KvSequence(const KvSequence&) = delete;
  KvSequence& operator=(const KvSequence&) = delete;

  // Makes room for positions [0, new_length). ResourceExhausted (and nothing allocated) when
  // the pool has too few free blocks.
  absl::Status Reserve(int64_t new_length);
  // Returns every block to the pool; the sequence is empty again.
  void Release();
  // Positions whose K/V have been written.
  int64_t length() const { return length_; }
  void set_length(int64_t n) { length_ = n; }
  const std::vector<int32_t>& blocks() const { return blocks_; }
  KvBlockPool* pool() const { return pool_; }

 private:
  KvBlockPool* pool_;
  std::vector<int32_t> blocks_;
  int64_t length_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_KV_KV_BLOCK_POOL_H_
