// Attention kernels of the CUDA backend, the GPU twins of cpu::Attention (backend/cpu/attention.h)
// and KvBlockPool::Write (kv/kv_block_pool.h): causal grouped-query attention over the paged KV
// cache for a batch of tokens of different sequences (prefill chunks and decode steps in one
// launch, each token at its own position), and the store of a batch's new keys and values.
//
// The device cache is one allocation laid out exactly as KvBlockPool's: for (layer, block), K is
// [kv_heads][head_dim][block_size] and V is [kv_heads][block_size][head_dim], f32 or f16, at
// element offset ((layer * num_blocks + block) * 2 + kv) * kv_heads * block_size * head_dim (kv:
// 0 for K, 1 for V). A pool's bytes copied to the device are a valid device cache.
//
// Everything that varies per step (positions, block tables) is read from device arrays, and
// what the host passes (counts, bounds, the split plan) is fixed for a given batch shape: the
// runner uploads a step's token map once, every layer reuses it, no launch waits on the host,
// and a captured CUDA graph replays for any batch with the same T and context bound.
//
// Attention(): one block of 128 threads per (token, kv head, split); the group's query heads
// share every K/V tile it stages in shared memory (32 positions per tile), with an online
// softmax (running max and sum), so no score row is ever materialised. Long contexts split the
// positions into chunks (split-K, "flash decoding"): each chunk's block writes an unnormalised
// partial (max, sum, weighted values) to a workspace and a second kernel combines them.
// PlanAttention() decides from the context bound and how many blocks the batch already gives.
//
// Supported: head_dim 16, 32, 64, 80, 96, 128; up to 16 query heads per kv head; any block
// size; f32 or f16 cache; q and out f32. Others are refused with InvalidArgument.
// Errors: InvalidArgument for bad shapes, arguments or a workspace too small for the plan; the
// launch's error (CudaOk) otherwise. Asynchronous on `stream`, like any kernel launch.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_H_

#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

inline constexpr int kAttentionMaxGroup = 16;  // query heads per kv head
// head_dim values Attention() has kernels for: 16, 32, 64, 80, 96, 128.
bool AttentionHeadDimSupported(int head_dim);

// The paged KV cache in device memory (see the layout above). Immutable description; the
// memory it points to is written by KvWrite and read by Attention.
struct DeviceKvCache {
  void* base = nullptr;  // f32 or f16 elements, KvBlockPool's layout
  int64_t num_blocks = 0;
  int layers = 0, kv_heads = 0, head_dim = 0, block_size = 0;
  bool f16 = false;
};

// Where a batch's T tokens sit in the cache: device arrays the runner writes once per step.
// Token t belongs to the sequence whose block table starts at block_tables[table_offsets[t]];
// position p of that sequence is slot p % block_size of block table[p / block_size].
struct DeviceTokens {
  const int32_t* positions = nullptr;      // [T]; token t attends to positions [0, positions[t]]
  const int32_t* table_offsets = nullptr;  // [T]
  const int32_t* block_tables = nullptr;   // the batch's block tables, concatenated
};

// REQUIRES: every position's block is in its table, and the K/V of every position a token
// attends to is written (KvWrite of the batch runs before Attention). A token whose position is
// negative or >= max_context gets NaN outputs rather than a silently truncated attention.
struct DeviceAttentionArgs {
  const float* q = nullptr;  // [T, heads, head_dim] f32
  float* out = nullptr;      // [T, heads, head_dim] f32; must not overlap q
  int T = 0, heads = 0;
  float scale = 1.0f;  // applied to q . k before the softmax
  int layer = 0;
  DeviceKvCache cache;
  DeviceTokens tokens;
  int max_context = 0;  // a bound on positions[t] + 1 over the batch (fixes the grid)
};

// How Attention() covers the positions: one pass (splits == 1), or `splits` chunks of `chunk`
// positions each (the last one shorter) and a combine.
struct AttentionPlan {
  int splits = 1;
  int chunk = 0;  // positions per split; 0 when splits == 1
  // Floats of workspace Attention() needs for this plan: T * heads * splits * (head_dim + 2);
  // 0 for one pass.
  int64_t WorkspaceFloats(int T, int heads, int head_dim) const;
};

// The split-K policy. Splitting pays when the batch gives too few blocks to fill the GPU and
// contexts are long: a batch of T tokens runs T * kv_heads blocks, each walking up to
// max_context positions. One pass when max_context <= 64 or the batch already makes
// 4 * sm_count blocks; otherwise enough splits to reach about 4 * sm_count blocks, each chunk at
// least 64 positions (2 tiles; the combine's extra traffic is T * heads * splits * (head_dim + 2)
// floats), at most 64 splits (bounds the workspace), chunks a multiple of 32 positions.
// `force_chunk` > 0 overrides the policy (tests, tuning): chunks of exactly that many positions.
AttentionPlan PlanAttention(int T, int kv_heads, int max_context, int sm_count = 132, int force_chunk = 0);

// attention  out[t, h] = sum_{j <= p_t} softmax_j(q[t, h] . K[g, j] * scale) V[g, j],  g = h / (heads / kv_heads)
// bytes: per token ~ elem * 2 * kv_heads * head_dim * (p + 1) (K and V read once per group)
//        + 8 * heads * head_dim, plus 4 * T * heads * splits * (2 * head_dim + 4) for split-K
// flops: per token 4 * heads * head_dim * (p + 1)
// `workspace`: device floats, at least plan.WorkspaceFloats(T, heads, head_dim) (may be null
// for a one-pass plan).
absl::Status Attention(const DeviceAttentionArgs& a, const AttentionPlan& plan, float* workspace,
                       int64_t workspace_floats, cudaStream_t stream);

// kv_write  for each token t: cache[layer, block(p_t), slot(p_t)] = k[t], v[t], rounded to f16
// (nearest even, as F32ToF16, NaN as 0x7e00 with its sign) in an f16 cache: bit for bit what
// KvBlockPool::Write stores.   k, v: [T, kv_heads, head_dim] f32
// bytes: T * kv_heads * head_dim * (8 + 2 * elem)   flops: none.
// REQUIRES: no two tokens write the same position of the same sequence.
absl::Status KvWrite(const DeviceKvCache& cache, int layer, const DeviceTokens& tokens, int T, const float* k,
                     const float* v, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_H_
