// Causal grouped-query attention over the paged KV cache, for a batch of tokens that may
// belong to different sequences (prefill chunks and decode steps alike).
//
// For token t of sequence s at position p and query head h (kv head g = h / (H / G)):
//   out[t, h] = sum_{j <= p} softmax_j(q[t, h] . K_s[g, j] * scale) V_s[g, j]
// bytes: 4 * H * d * (2 + 2 * (p + 1) / (H/G)) per token   flops: 4 * H * d * (p + 1) per token
// The K/V of every position up to p must already be in the cache (the runner writes a batch's
// new K/V before calling this). Threads split the (token, kv head) pairs; the query heads of a
// group share each key and value read.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_ATTENTION_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_ATTENTION_H_

#include <cstdint>
#include <vector>

#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/kv/kv_block_pool.h"

namespace switchyard::cpu {

struct AttentionToken {
  const std::vector<int32_t>* blocks;  // the sequence's block table
  int64_t position;                    // attends to positions [0, position]
};

struct AttentionArgs {
  const float* q;   // [T, heads, dim]
  float* out;       // [T, heads, dim]
  int64_t T, heads, kv_heads, dim;
  float scale;
  int64_t layer;
  KvBlockPool* pool;
  const AttentionToken* tokens;  // [T]
};

void Attention(const AttentionArgs& a, ThreadPool& pool);
// The (token, kv head) items [begin, end) of the T * kv_heads, for a thread inside a parallel
// region. `scores` is the thread's scratch.
void AttentionItems(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores);

namespace internal {
// The AVX-512 kernel for the common shapes (block_size 16, head_dim a multiple of 16, up to 8
// query heads per kv head). false: the shape is not one it handles (nothing computed).
bool AttentionItemsAvx512(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores);
// exp(x) for x <= 0, shared by the kernels so every variant rounds alike.
float ExpNonPositive(float x);
}  // namespace internal

}  // namespace switchyard::cpu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_ATTENTION_H_
