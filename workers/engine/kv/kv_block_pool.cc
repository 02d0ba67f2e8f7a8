#include "workers/engine/kv/kv_block_pool.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace switchyard {

absl::StatusOr<std::unique_ptr<KvBlockPool>> KvBlockPool::Create(const KvCacheShape& shape, int64_t num_blocks,
                                                                 KvMemory memory) {
  if (shape.layers <= 0 || shape.kv_heads <= 0 || shape.head_dim <= 0 || shape.block_size <= 0 || num_blocks <= 0 ||
      num_blocks > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError("KV cache: layers, kv heads, head dim, block size and block count must be positive");
  }
  if (shape.dtype != DType::kF32 && shape.dtype != DType::kF16) {
    return absl::InvalidArgumentError("KV cache: the element type must be f32 or f16");
  }
  if (memory == KvMemory::kNone) return std::make_unique<KvBlockPool>(PassKey(), shape, num_blocks, HugePageBuffer());
  // Huge pages: decode walks a sequence's blocks in every layer each token.
  auto data = HugePageBuffer::Allocate(static_cast<size_t>(shape.BlockBytes() * num_blocks));
  if (!data.ok()) {
    return absl::ResourceExhaustedError(absl::StrCat("KV cache: cannot allocate ", shape.BlockBytes() * num_blocks >> 20,
                                                     " MiB for ", num_blocks, " blocks; lower the KV cache size"));
  }
  return std::make_unique<KvBlockPool>(PassKey(), shape, num_blocks, std::move(*data));
}

KvBlockPool::KvBlockPool(PassKey, const KvCacheShape& shape, int64_t num_blocks, HugePageBuffer data)
    : shape_(shape), num_blocks_(num_blocks), per_kv_(shape.kv_heads * shape.block_size * shape.head_dim),
      memory_(std::move(data)), data_(static_cast<std::byte*>(memory_.data())) {
  absl::MutexLock lock(&mu_);
  free_.reserve(static_cast<size_t>(num_blocks));
  // Handed out lowest id first.
  for (int64_t b = num_blocks - 1; b >= 0; --b) free_.push_back(static_cast<int32_t>(b));
}

void KvBlockPool::NoMemory() const {
  // A programming error, not an input one: the caller ran a host computation on a pool whose
  // data is on a device. Reading on would read whatever lies at address 0 + offset.
  std::fprintf(stderr,
               "KvBlockPool: K/V data of a bookkeeping-only pool (KvMemory::kNone, %lld blocks) was accessed; its data "
               "lives in device memory. Build the pool with KvMemory::kHost for a host runner.\n",
               static_cast<long long>(num_blocks_));
  std::abort();
}

void KvBlockPool::Write(int64_t layer, int32_t block, int64_t slot, const float* k, const float* v) {
  const int64_t d = shape_.head_dim;
  for (int64_t g = 0; g < shape_.kv_heads; ++g) WriteHead(layer, block, slot, g, k + g * d, v + g * d);
}

void KvBlockPool::WriteHead(int64_t layer, int32_t block, int64_t slot, int64_t head, const float* k, const float* v) {
  const int64_t d = shape_.head_dim, bs = shape_.block_size;
  if (shape_.dtype == DType::kF16) {
    uint16_t* kb = K16(layer, block) + head * d * bs;
    uint16_t* vb = V16(layer, block) + (head * bs + slot) * d;
    // K is stored transposed, so its values are converted in a row first, then scattered.
    uint16_t k16[512];
    for (int64_t i0 = 0; i0 < d; i0 += 512) {
      const int64_t n = std::min<int64_t>(512, d - i0);
      F32ToF16Row(k + i0, k16, n);
      for (int64_t i = 0; i < n; ++i) kb[(i0 + i) * bs + slot] = k16[i];
    }
    F32ToF16Row(v, vb, d);
    return;
  }
  float* kb = K(layer, block) + head * d * bs;
  float* vb = V(layer, block) + (head * bs + slot) * d;
  for (int64_t i = 0; i < d; ++i) kb[i * bs + slot] = k[i];
  std::memcpy(vb, v, static_cast<size_t>(d) * sizeof(float));
}

std::optional<int32_t> KvBlockPool::Allocate() {
  absl::MutexLock lock(&mu_);
  if (free_.empty()) return std::nullopt;
  const int32_t b = free_.back();
  free_.pop_back();
  return b;
}

void KvBlockPool::Free(int32_t block) {
  absl::MutexLock lock(&mu_);
  free_.push_back(block);
}

int64_t KvBlockPool::free_blocks() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(free_.size());
}

absl::Status KvSequence::Reserve(int64_t new_length) {
  const int64_t bs = pool_->shape().block_size;
  const int64_t need = (new_length + bs - 1) / bs - static_cast<int64_t>(blocks_.size());
  if (need <= 0) return absl::OkStatus();
  std::vector<int32_t> got;
  for (int64_t i = 0; i < need; ++i) {
    auto b = pool_->Allocate();
    if (!b) {
      for (int32_t x : got) pool_->Free(x);
      return absl::ResourceExhaustedError(absl::StrCat("KV cache full: ", need, " more blocks of ", bs,
                                                       " positions needed, ", i, " free"));
    }
    got.push_back(*b);
  }
  blocks_.insert(blocks_.end(), got.begin(), got.end());
  return absl::OkStatus();
}

void KvSequence::Release() {
  for (int32_t b : blocks_) pool_->Free(b);
  blocks_.clear();
  length_ = 0;
}

}  // namespace switchyard
