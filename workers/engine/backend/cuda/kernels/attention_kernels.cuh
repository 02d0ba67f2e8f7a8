// The kernels behind attention.h and the host code that checks arguments and launches them.
// They are templates on kEndOffset, the offset of a token's last attended position from its own
// position: production code (attention.cu) instantiates 0 only; the attention tests instantiate
// -1 (each token misses its own key, a classic off-by-one) to show their comparison catches it.
// Included by attention.cu and, under the emulator, by the tests; nothing else.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_KERNELS_CUH_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_KERNELS_CUH_

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/attention.h"
#include "workers/engine/backend/cuda/kernels/block_reduce.cuh"

namespace switchyard::cuda::attention_internal {

constexpr int kThreads = 128;  // per attention block: 4 warps
constexpr int kWarps = kThreads / 32;
constexpr int kTile = 32;  // positions staged in shared memory per step, one per lane
constexpr int kHeadsPerWarp = kAttentionMaxGroup / kWarps;
constexpr float kLog2e = 1.44269504088896341f;

// Kernel arguments, passed by value (a kernel parameter struct).
struct AttentionParams {
  const float* q;
  float* out;
  float* ws;  // split-K: [rows][splits] maxima, [rows][splits] sums, [rows][splits][head_dim] sums of values; null: one pass
  const void* cache;
  const int32_t* positions;
  const int32_t* table_offsets;
  const int32_t* block_tables;
  int64_t num_blocks;
  int64_t rows;  // T * heads
  int heads, group, kv_heads, block_size, layer, max_context, chunk;
  float scale_log2;  // scale * log2(e): scores go through exp2
};

struct KvWriteParams {
  void* cache;
  const float* k;
  const float* v;
  const int32_t* positions;
  const int32_t* table_offsets;
  const int32_t* block_tables;
  int64_t num_blocks;
  int kv_heads, head_dim, block_size, layer;
};

__device__ __forceinline__ float ToFloat(float x) { return x; }
__device__ __forceinline__ float ToFloat(__half x) { return __half2float(x); }

// F32ToF16 of util/dtype.h exactly: round to nearest even (cvt.rn), NaN as 0x7e00 with its sign.
__device__ __forceinline__ void StoreKv(float* p, float x) { *p = x; }
__device__ __forceinline__ void StoreKv(__half* p, float x) {
  *p = x != x ? __ushort_as_half(static_cast<unsigned short>(((__float_as_uint(x) >> 16) & 0x8000u) | 0x7e00u))
              : __float2half_rn(x);
}

__device__ __forceinline__ float WarpMax(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

// Element offset of K (kv 0) or V (kv 1) of (layer, block): KvBlockPool::Offset.
__device__ __forceinline__ int64_t CacheOffset(int layer, int64_t num_blocks, int block, int kv, int64_t per_kv) {
  return ((static_cast<int64_t>(layer) * num_blocks + block) * 2 + kv) * per_kv;
}

// One block per (token t, kv head g, split): blockIdx.x = t * kv_heads + g, blockIdx.y = split.
// It covers positions [split * chunk, min((split + 1) * chunk, p + 1)) a tile of 32 at a time:
//  1. stage: lane j of every warp finds position j's block and slot once; the tile's keys
//     ([kDim][32], coalesced along positions) and values ([32][kDim], a warp per position row)
//     go to shared memory as f32, read from the cache once for all the group's query heads,
//     all of a lane's loads in flight together;
//  2. scores: warp w takes heads w, w + 4, ...; lane j scores position j against the head's
//     query (in shared memory), and the warp updates the head's running max (log2 domain) and
//     rescale factor; each lane keeps its share of the running sum, summed once at the end;
//  3. values: thread (row r, column i) keeps acc[h][i] for heads r, r + R, ... in registers
//     (R = 128 / kDim rows of kDim columns; for 80 and 96, threads past kDim idle here).
// Shared memory: 4 * (2 * 32 * kDim + 16 * kDim + 16 * 32 + 32) bytes (43 KB at kDim 128).
// One pass (ws null) writes out = acc / sum; a split writes its unnormalised partial.
template <class TKv, int kDim, int kEndOffset>
__global__ void __launch_bounds__(kThreads, 4) AttentionKernel(AttentionParams p) {
  constexpr int kRows = kThreads / kDim;
  constexpr int kAcc = (kAttentionMaxGroup + kRows - 1) / kRows;
  constexpr int kKeyLoads = kDim / kWarps;      // key dims a lane stages per tile
  constexpr int kValueRows = kTile / kWarps;    // value rows a warp stages per tile
  constexpr int kValueCols = (kDim + 31) / 32;  // columns of a row a lane stages
  static_assert(kDim % 16 == 0 && kDim <= kThreads, "head_dim: a multiple of 16, at most 128");
  SY_SHARED(float, ks, kDim * kTile);                   // [kDim][kTile] the tile's keys
  SY_SHARED(float, vs, kTile * kDim);                   // [kTile][kDim] its values
  SY_SHARED(float, qs, kAttentionMaxGroup * kDim);      // [group][kDim] the group's queries
  SY_SHARED(float, ps, kAttentionMaxGroup * kTile);     // [group][kTile] the tile's weights
  SY_SHARED(float, rescale, kAttentionMaxGroup);        // exp2(old max - new max) per head
  SY_SHARED(float, sums, kAttentionMaxGroup);           // the softmax denominators (one pass)

  const int tid = static_cast<int>(threadIdx.x), lane = tid % 32, warp = tid / 32;
  const int t = static_cast<int>(blockIdx.x) / p.kv_heads, g = static_cast<int>(blockIdx.x) % p.kv_heads;
  const int split = static_cast<int>(blockIdx.y), splits = static_cast<int>(gridDim.y);
  const int group = p.group;
  const int64_t head0 = static_cast<int64_t>(t) * p.heads + static_cast<int64_t>(g) * group;  // first q row
  const int pos = p.positions[t];
  if (pos < 0 || pos >= p.max_context) {  // outside the grid's bound: NaN, never a truncated answer
    if (p.ws == nullptr) {
      for (int i = tid; i < group * kDim; i += kThreads) p.out[head0 * kDim + i] = NAN;
    }
    return;  // split-K: the combine writes the NaNs
  }
  const int n = pos + 1 + kEndOffset;  // positions [0, n) are attended
  const int begin = split * p.chunk;
  if (begin >= n) return;  // this token's context ends before this split (the whole block leaves)
  const int end = static_cast<int>(min(static_cast<long long>(begin) + p.chunk, static_cast<long long>(n)));

  const float* qg = p.q + head0 * kDim;
  for (int i = tid; i < group * kDim; i += kThreads) qs[i] = qg[i];

  const TKv* cache = static_cast<const TKv*>(p.cache);
  const int bs = p.block_size;
  const int64_t per_kv = static_cast<int64_t>(p.kv_heads) * bs * kDim;
  const int32_t* table = p.block_tables + p.table_offsets[t];

  float m[kHeadsPerWarp], l[kHeadsPerWarp];  // heads warp + kWarps * k: running max, this lane's sum
  for (int k = 0; k < kHeadsPerWarp; ++k) m[k] = -INFINITY, l[k] = 0.0f;
  const int col = tid % kDim, row = tid / kDim;
  const bool pv = row < kRows;
  float acc[kAcc];
  for (int k = 0; k < kAcc; ++k) acc[k] = 0.0f;

  for (int tile = begin; tile < end; tile += kTile) {
    const int nv = min(kTile, end - tile);  // positions of this tile that count
    const bool valid = lane < nv;
    long long koff = 0, voff = 0;  // this lane's position: its key column and value row
    if (valid) {
      const int pj = tile + lane;
      const int block = table[pj / bs], slot = pj % bs;
      koff = CacheOffset(p.layer, p.num_blocks, block, 0, per_kv) + static_cast<int64_t>(g) * kDim * bs + slot;
      voff = CacheOffset(p.layer, p.num_blocks, block, 1, per_kv) + (static_cast<int64_t>(g) * bs + slot) * kDim;
    }
    // Every load of the tile is issued before the first store to shared memory (unrolled into
    // registers): on an H200 this took attention over 1024 cached positions from 35.9 to 27.8 us
    // and over 16384 from 149 to 116 us, where the rolled loops waited on one load at a time.
    // From head_dim 80 on it spills 12-36 bytes (ptxas_report.txt); the spill-free variants
    // measured slower (keys in two passes: 116 -> 190 us at 16384; 3 blocks per SM for more
    // registers: batch-64 attention 356 -> 500 us), so these spills are accepted.
    TKv kr[kKeyLoads], vr[kValueRows][kValueCols];
    SY_UNROLL_ALL
    for (int u = 0; u < kKeyLoads; ++u) {
      if (valid) kr[u] = cache[koff + static_cast<int64_t>(warp + kWarps * u) * bs];
    }
    SY_UNROLL_ALL
    for (int u = 0; u < kValueRows; ++u) {
      const long long row_off = __shfl_sync(0xffffffffu, voff, warp + kWarps * u);  // every lane shuffles
      SY_UNROLL_ALL
      for (int c = 0; c < kValueCols; ++c) {
        if (warp + kWarps * u < nv && lane + 32 * c < kDim) vr[u][c] = cache[row_off + lane + 32 * c];
      }
    }
    SY_UNROLL_ALL
    for (int u = 0; u < kKeyLoads; ++u) {
      if (valid) ks[(warp + kWarps * u) * kTile + lane] = ToFloat(kr[u]);
    }
    SY_UNROLL_ALL
    for (int u = 0; u < kValueRows; ++u) {
      SY_UNROLL_ALL
      for (int c = 0; c < kValueCols; ++c) {
        const int j = warp + kWarps * u, i = lane + 32 * c;
        if (j < nv && i < kDim) vs[j * kDim + i] = ToFloat(vr[u][c]);
      }
    }
    __syncthreads();

    for (int k = 0; k < kHeadsPerWarp; ++k) {
      const int h = warp + kWarps * k;
      if (h < group) {  // the same for the whole warp
        float s = -INFINITY;
        if (valid) {
          // Four partial sums: error <= (kDim / 4 + 2) ulp of sum |q_i k_i|, stated in the tests.
          float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
          for (int i = 0; i < kDim; i += 4) {
            a0 += qs[h * kDim + i] * ks[i * kTile + lane];
            a1 += qs[h * kDim + i + 1] * ks[(i + 1) * kTile + lane];
            a2 += qs[h * kDim + i + 2] * ks[(i + 2) * kTile + lane];
            a3 += qs[h * kDim + i + 3] * ks[(i + 3) * kTile + lane];
          }
          s = ((a0 + a1) + (a2 + a3)) * p.scale_log2;
        }
        const float m_new = fmaxf(m[k], WarpMax(s));  // finite: lane 0 always has a position
        const float r = exp2f(m[k] - m_new);          // 0 on the first tile (m = -inf)
        const float w = valid ? exp2f(s - m_new) : 0.0f;
        l[k] = l[k] * r + w;
        m[k] = m_new;
        ps[h * kTile + lane] = w;
        if (lane == 0) rescale[h] = r;
      }
    }
    __syncthreads();

    if (pv) {
      for (int k = 0; k < kAcc; ++k) {
        const int h = row + kRows * k;
        if (h < group) acc[k] *= rescale[h];
      }
      for (int j = 0; j < nv; ++j) {
        const float vj = vs[j * kDim + col];
        for (int k = 0; k < kAcc; ++k) {
          const int h = row + kRows * k;
          if (h < group) acc[k] += ps[h * kTile + j] * vj;
        }
      }
    }
    __syncthreads();  // the next tile overwrites ks, vs, ps, rescale
  }

  const int64_t slots = p.rows * splits;  // split-K workspace: maxima, then sums, then values
  for (int k = 0; k < kHeadsPerWarp; ++k) {
    const int h = warp + kWarps * k;
    if (h < group) {
      const float total = WarpSum(l[k]);
      if (lane == 0) {
        if (p.ws != nullptr) {
          p.ws[(head0 + h) * splits + split] = m[k];
          p.ws[slots + (head0 + h) * splits + split] = total;
        } else {
          sums[h] = total;
        }
      }
    }
  }
  __syncthreads();
  if (pv) {
    for (int k = 0; k < kAcc; ++k) {
      const int h = row + kRows * k;
      if (h < group) {
        if (p.ws != nullptr) {
          p.ws[2 * slots + ((head0 + h) * splits + split) * kDim + col] = acc[k];
        } else {
          p.out[(head0 + h) * kDim + col] = acc[k] / sums[h];
        }
      }
    }
  }
}

// Split-K combine: one block per query row (t * heads + h). With M the largest partial max,
// out = sum_c acc_c 2^(m_c - M) / sum_c l_c 2^(m_c - M) over the splits the token's context
// reaches (later splits were never written). Every thread computes the weights itself: a
// handful of cached loads, no barrier.
template <int kEndOffset>
__global__ void __launch_bounds__(kThreads)
    AttentionCombineKernel(const float* __restrict__ ws, float* __restrict__ out, const int32_t* __restrict__ positions,
                           int64_t rows, int heads, int dim, int splits, int chunk, int max_context) {
  const int64_t r = blockIdx.x;
  const int pos = positions[r / heads];
  float* o = out + r * dim;
  if (pos < 0 || pos >= max_context) {
    for (int i = static_cast<int>(threadIdx.x); i < dim; i += static_cast<int>(blockDim.x)) o[i] = NAN;
    return;
  }
  const int n = pos + 1 + kEndOffset;
  const int nc = (n + chunk - 1) / chunk;  // n <= max_context <= splits * chunk: nc <= splits
  const int64_t slots = rows * splits;
  const float* m = ws + r * splits;
  const float* l = ws + slots + r * splits;
  const float* acc = ws + 2 * slots + r * splits * dim;
  float mx = -INFINITY;
  for (int c = 0; c < nc; ++c) mx = fmaxf(mx, m[c]);
  float sum = 0.0f;
  for (int c = 0; c < nc; ++c) sum += l[c] * exp2f(m[c] - mx);
  const float inv = 1.0f / sum;
  for (int i = static_cast<int>(threadIdx.x); i < dim; i += static_cast<int>(blockDim.x)) {
    float v = 0.0f;
    for (int c = 0; c < nc; ++c) v += acc[static_cast<int64_t>(c) * dim + i] * exp2f(m[c] - mx);
    o[i] = v * inv;
  }
}

// One block per token; threads over its kv_heads * head_dim keys and values. Keys go to
// [g][i][slot] (stride block_size: the transposed layout), values to [g][slot][i] (coalesced).
template <class TKv>
__global__ void __launch_bounds__(256) KvWriteKernel(KvWriteParams p) {
  const int t = static_cast<int>(blockIdx.x);
  const int pos = p.positions[t];
  if (pos < 0) return;
  const int bs = p.block_size, d = p.head_dim;
  const int block = p.block_tables[p.table_offsets[t] + pos / bs], slot = pos % bs;
  const int64_t per_kv = static_cast<int64_t>(p.kv_heads) * bs * d;
  TKv* kb = static_cast<TKv*>(p.cache) + CacheOffset(p.layer, p.num_blocks, block, 0, per_kv);
  TKv* vb = static_cast<TKv*>(p.cache) + CacheOffset(p.layer, p.num_blocks, block, 1, per_kv);
  const int n = p.kv_heads * d;
  const float* k = p.k + static_cast<int64_t>(t) * n;
  const float* v = p.v + static_cast<int64_t>(t) * n;
  for (int idx = static_cast<int>(threadIdx.x); idx < n; idx += static_cast<int>(blockDim.x)) {
    const int g = idx / d, i = idx % d;
    StoreKv(kb + (static_cast<int64_t>(g) * d + i) * bs + slot, k[idx]);
    StoreKv(vb + (static_cast<int64_t>(g) * bs + slot) * d + i, v[idx]);
  }
}

inline absl::Status CheckCache(const char* name, const DeviceKvCache& c, int layer) {
  if (c.base == nullptr || c.num_blocks <= 0 || c.num_blocks > (int64_t{1} << 30) || c.layers <= 0 ||
      c.kv_heads <= 0 || c.head_dim <= 0 || c.block_size <= 0 || c.kv_heads > (1 << 16) || c.head_dim > (1 << 16) ||
      c.block_size > (1 << 20) || layer < 0 || layer >= c.layers) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": bad cache (layers=", c.layers, " kv_heads=", c.kv_heads,
                                                   " head_dim=", c.head_dim, " block_size=", c.block_size,
                                                   " num_blocks=", c.num_blocks, ") or layer ", layer));
  }
  return absl::OkStatus();
}

template <class TKv, int kDim, int kEndOffset>
cudaError_t LaunchAttention(dim3 grid, const AttentionParams& p, cudaStream_t stream) {
  return Launch<AttentionKernel<TKv, kDim, kEndOffset>>(grid, dim3(kThreads), 0, stream, p);
}

template <class TKv, int kEndOffset>
cudaError_t LaunchAttentionForDim(int head_dim, dim3 grid, const AttentionParams& p, cudaStream_t stream) {
  switch (head_dim) {
    case 16: return LaunchAttention<TKv, 16, kEndOffset>(grid, p, stream);
    case 32: return LaunchAttention<TKv, 32, kEndOffset>(grid, p, stream);
    case 64: return LaunchAttention<TKv, 64, kEndOffset>(grid, p, stream);
    case 80: return LaunchAttention<TKv, 80, kEndOffset>(grid, p, stream);
    case 96: return LaunchAttention<TKv, 96, kEndOffset>(grid, p, stream);
    case 128: return LaunchAttention<TKv, 128, kEndOffset>(grid, p, stream);
    default: return cudaErrorInvalidValue;  // refused by the caller before
  }
}

inline bool HeadDimSupported(int d) { return d == 16 || d == 32 || d == 64 || d == 80 || d == 96 || d == 128; }

template <int kEndOffset>
absl::Status RunAttention(const DeviceAttentionArgs& a, const AttentionPlan& plan, float* workspace,
                          int64_t workspace_floats, cudaStream_t stream) {
  constexpr const char* kName = "Attention";
  if (absl::Status s = CheckCache(kName, a.cache, a.layer); !s.ok()) return s;
  const int kvh = a.cache.kv_heads, d = a.cache.head_dim;
  if (a.T < 0 || a.heads <= 0 || a.heads % kvh != 0 || a.heads / kvh > kAttentionMaxGroup || !HeadDimSupported(d) ||
      a.max_context <= 0 || static_cast<int64_t>(a.T) * a.heads > 2147483647) {
    return absl::InvalidArgumentError(absl::StrCat(kName, ": T=", a.T, " heads=", a.heads, " kv_heads=", kvh,
                                                   " head_dim=", d, " max_context=", a.max_context,
                                                   " (heads a multiple of kv_heads, at most ", kAttentionMaxGroup,
                                                   " per kv head; head_dim 16, 32, 64, 80, 96 or 128)"));
  }
  if (a.T == 0) return absl::OkStatus();
  if (a.q == nullptr || a.out == nullptr || a.tokens.positions == nullptr || a.tokens.table_offsets == nullptr ||
      a.tokens.block_tables == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(kName, ": null q, out or token map"));
  }
  const bool split = plan.splits > 1;
  if (plan.splits < 1 || plan.splits > 65535 ||
      (split && (plan.chunk <= 0 || static_cast<int64_t>(plan.chunk) * (plan.splits - 1) >= a.max_context ||
                 static_cast<int64_t>(plan.chunk) * plan.splits < a.max_context))) {
    return absl::InvalidArgumentError(absl::StrCat(kName, ": plan of ", plan.splits, " splits of ", plan.chunk,
                                                   " positions does not cover max_context ", a.max_context,
                                                   " exactly (use PlanAttention)"));
  }
  const int64_t need = plan.WorkspaceFloats(a.T, a.heads, d);
  if (split && (workspace == nullptr || workspace_floats < need)) {
    return absl::InvalidArgumentError(absl::StrCat(kName, ": the plan needs ", need, " floats of workspace, got ",
                                                   workspace == nullptr ? 0 : workspace_floats));
  }
  AttentionParams p{};
  p.q = a.q;
  p.out = a.out;
  p.ws = split ? workspace : nullptr;
  p.cache = a.cache.base;
  p.positions = a.tokens.positions;
  p.table_offsets = a.tokens.table_offsets;
  p.block_tables = a.tokens.block_tables;
  p.num_blocks = a.cache.num_blocks;
  p.rows = static_cast<int64_t>(a.T) * a.heads;
  p.heads = a.heads;
  p.group = a.heads / kvh;
  p.kv_heads = kvh;
  p.block_size = a.cache.block_size;
  p.layer = a.layer;
  p.max_context = a.max_context;
  p.chunk = split ? plan.chunk : a.max_context;
  p.scale_log2 = a.scale * kLog2e;
  const dim3 grid(static_cast<unsigned>(a.T * kvh), static_cast<unsigned>(plan.splits));
  const cudaError_t e = a.cache.f16 ? LaunchAttentionForDim<__half, kEndOffset>(d, grid, p, stream)
                                    : LaunchAttentionForDim<float, kEndOffset>(d, grid, p, stream);
  if (absl::Status s = CudaOk(e, kName); !s.ok() || !split) return s;
  const unsigned threads = static_cast<unsigned>(32 * ((d + 31) / 32));
  return CudaOk(Launch<AttentionCombineKernel<kEndOffset>>(dim3(static_cast<unsigned>(p.rows)), dim3(threads), 0,
                                                           stream, workspace, a.out, a.tokens.positions, p.rows,
                                                           a.heads, d, plan.splits, plan.chunk, a.max_context),
                "Attention (split-K combine)");
}

}  // namespace switchyard::cuda::attention_internal

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ATTENTION_KERNELS_CUH_
