#include "workers/engine/backend/cuda/kernels/attention.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/attention_kernels.cuh"

namespace switchyard::cuda {

bool AttentionHeadDimSupported(int head_dim) { return attention_internal::HeadDimSupported(head_dim); }

int64_t AttentionPlan::WorkspaceFloats(int T, int heads, int head_dim) const {
  if (splits <= 1) return 0;
  return static_cast<int64_t>(T) * heads * splits * (head_dim + 2);
}

AttentionPlan PlanAttention(int T, int kv_heads, int max_context, int sm_count, int force_chunk) {
  // Chunks of 64 positions (two tiles): on an H200 a block walked its tiles at ~13 us each
  // (before the staging was unrolled) and 40 blocks left most SMs idle at 1024 positions; the
  // combine reads T * heads * splits * (head_dim + 2) floats, ~0.5 MB at 64 splits of Qwen3-0.6B.
  constexpr int kOnePassContext = 64, kMinChunk = 64, kMaxSplits = 64;
  AttentionPlan plan;
  if (T <= 0 || kv_heads <= 0 || max_context <= 0) return plan;
  auto cover = [&](int64_t chunk) {
    const int64_t splits = (max_context + chunk - 1) / chunk;
    if (splits > 1) plan = AttentionPlan{static_cast<int>(splits), static_cast<int>(chunk)};
  };
  if (force_chunk > 0) {
    cover(force_chunk);
    return plan;
  }
  const int64_t blocks = static_cast<int64_t>(T) * kv_heads, target = 4 * static_cast<int64_t>(std::max(sm_count, 1));
  if (max_context <= kOnePassContext || blocks >= target) return plan;
  const int64_t splits = std::min<int64_t>({(target + blocks - 1) / blocks, (max_context + kMinChunk - 1) / kMinChunk,
                                            kMaxSplits});
  if (splits < 2) return plan;
  const int64_t chunk = ((max_context + splits - 1) / splits + 31) / 32 * 32;
  cover(chunk);
  return plan;
}

absl::Status Attention(const DeviceAttentionArgs& a, const AttentionPlan& plan, float* workspace,
                       int64_t workspace_floats, cudaStream_t stream) {
  return attention_internal::RunAttention<0>(a, plan, workspace, workspace_floats, stream);
}

absl::Status KvWrite(const DeviceKvCache& cache, int layer, const DeviceTokens& tokens, int T, const float* k,
                     const float* v, cudaStream_t stream) {
  if (absl::Status s = attention_internal::CheckCache("KvWrite", cache, layer); !s.ok()) return s;
  if (T < 0) return absl::InvalidArgumentError(absl::StrCat("KvWrite: T=", T));
  if (T == 0) return absl::OkStatus();
  if (k == nullptr || v == nullptr || tokens.positions == nullptr || tokens.table_offsets == nullptr ||
      tokens.block_tables == nullptr) {
    return absl::InvalidArgumentError("KvWrite: null k, v or token map");
  }
  attention_internal::KvWriteParams p{};
  p.cache = cache.base;
  p.k = k;
  p.v = v;
  p.positions = tokens.positions;
  p.table_offsets = tokens.table_offsets;
  p.block_tables = tokens.block_tables;
  p.num_blocks = cache.num_blocks;
  p.kv_heads = cache.kv_heads;
  p.head_dim = cache.head_dim;
  p.block_size = cache.block_size;
  p.layer = layer;
  const int64_t n = static_cast<int64_t>(cache.kv_heads) * cache.head_dim;
  if (n > 2147483647) return absl::InvalidArgumentError("KvWrite: kv_heads * head_dim too large");
  const unsigned threads = static_cast<unsigned>(std::min<int64_t>(256, (n + 31) / 32 * 32));
  const dim3 grid(static_cast<unsigned>(T));
  const cudaError_t e =
      cache.f16 ? Launch<attention_internal::KvWriteKernel<__half>>(grid, dim3(threads), 0, stream, p)
                : Launch<attention_internal::KvWriteKernel<float>>(grid, dim3(threads), 0, stream, p);
  return CudaOk(e, "KvWrite");
}

}  // namespace switchyard::cuda
