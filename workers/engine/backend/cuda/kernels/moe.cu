#include "workers/engine/backend/cuda/kernels/moe.h"

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kRouterWarps = 4;    // tokens per router block
constexpr int kDispatchWarps = 8;  // experts per count / placement block
constexpr int kCopyThreads = 256;  // most threads of a gather or combine block
constexpr unsigned kFull = 0xffffffffu;

// The live token count: *num_tokens clamped to [0, capacity], or the capacity.
__device__ __forceinline__ int LiveTokens(const int* num_tokens, int capacity) {
  if (num_tokens == nullptr) return capacity;
  const int n = *num_tokens;
  return n < 0 ? 0 : (n > capacity ? capacity : n);
}

__device__ __forceinline__ int WarpSumInt(int v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
  return v;
}

// Does (p, e) come before (bp, be) in the CPU's order: p descending, then id ascending?
__device__ __forceinline__ bool Before(float p, int e, float bp, int be) { return p > bp || (p == bp && e < be); }

// One warp per token; lane l holds experts l, l + 32, ..., l + 32 * (kPer - 1). Warps of tokens
// past the live count leave whole, so every shuffle has its full warp.
template <int kPer>
__global__ void __launch_bounds__(32 * kRouterWarps)
    RouterTopKKernel(const float* __restrict__ logits, int capacity, int experts, int k, bool renormalize,
                     const int* __restrict__ num_tokens, int* __restrict__ ids, float* __restrict__ weights) {
  const int t = static_cast<int>(blockIdx.x) * kRouterWarps + static_cast<int>(threadIdx.x) / 32;
  if (t >= LiveTokens(num_tokens, capacity)) return;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const float* row = logits + static_cast<int64_t>(t) * experts;

  // Softmax as cpu::Softmax: max, exps, their sum in double, one f32 scale.
  float p[kPer];
  float mx = -INFINITY;
  for (int j = 0; j < kPer; ++j) {
    const int e = lane + 32 * j;
    p[j] = e < experts ? row[e] : -INFINITY;
    mx = p[j] > mx ? p[j] : mx;
  }
  for (int o = 16; o > 0; o >>= 1) {
    const float other = __shfl_xor_sync(kFull, mx, o);
    mx = other > mx ? other : mx;
  }
  double sum = 0.0;
  for (int j = 0; j < kPer; ++j) {
    if (lane + 32 * j < experts) {
      p[j] = expf(p[j] - mx);
      sum += p[j];
    }
  }
  for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(kFull, sum, o);
  const float inv = static_cast<float>(1.0 / sum);
  // Probabilities are >= 0: -1 marks experts that do not exist or are already chosen.
  for (int j = 0; j < kPer; ++j) p[j] = lane + 32 * j < experts ? p[j] * inv : -1.0f;

  // k rounds of a warp arg-max under the CPU's order. The butterfly leaves the same winner in
  // every lane (the order is total: ids are distinct), so every lane sums the chosen p in the
  // CPU's order, and lane r keeps the r-th choice.
  float chosen_p = 0.0f, chosen_sum = 0.0f;
  int chosen_e = 0;
  for (int r = 0; r < k; ++r) {
    float bp = -2.0f;
    int be = 0x7fffffff;
    for (int j = 0; j < kPer; ++j) {
      if (Before(p[j], lane + 32 * j, bp, be)) {
        bp = p[j];
        be = lane + 32 * j;
      }
    }
    for (int o = 16; o > 0; o >>= 1) {
      const float op = __shfl_xor_sync(kFull, bp, o);
      const int oe = __shfl_xor_sync(kFull, be, o);
      if (Before(op, oe, bp, be)) {
        bp = op;
        be = oe;
      }
    }
    for (int j = 0; j < kPer; ++j) {
      if (lane + 32 * j == be) p[j] = -1.0f;
    }
    if (lane == r) {
      chosen_p = bp;
      chosen_e = be;
    }
    chosen_sum += bp;
  }
  if (lane < k) {
    const int64_t at = static_cast<int64_t>(t) * k + lane;
    ids[at] = chosen_e;
    weights[at] = renormalize ? chosen_p / chosen_sum : chosen_p;
  }
}

// One warp per expert: how many of the live (token, slot) pairs chose it.
__global__ void __launch_bounds__(32 * kDispatchWarps)
    MoeCountKernel(const int* __restrict__ ids, int capacity, int experts, int k, const int* __restrict__ num_tokens,
                   int* __restrict__ counts) {
  const int e = static_cast<int>(blockIdx.x) * kDispatchWarps + static_cast<int>(threadIdx.x) / 32;
  if (e >= experts) return;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int pairs = LiveTokens(num_tokens, capacity) * k;
  int count = 0;
  for (int base = 0; base < pairs; base += 32) {
    const int p = base + lane;
    count += __popc(__ballot_sync(kFull, p < pairs && ids[p] == e));
  }
  if (lane == 0) counts[e] = count;
}

// One warp per expert: its offset (the counts before it, summed by the warp itself), then its
// pairs in ascending order, ranked by ballots. Every thread also marks the pairs whose id is no
// expert at all.
__global__ void __launch_bounds__(32 * kDispatchWarps)
    MoePlaceKernel(const int* __restrict__ ids, int capacity, int experts, int k, const int* __restrict__ num_tokens,
                   const int* __restrict__ counts, int* __restrict__ offsets, int* __restrict__ pairs_out,
                   int* __restrict__ rows) {
  const int pairs = LiveTokens(num_tokens, capacity) * k;
  const int stride = static_cast<int>(gridDim.x * blockDim.x);
  for (int p = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x); p < pairs; p += stride) {
    const int id = ids[p];
    if (id < 0 || id >= experts) rows[p] = -1;
  }
  const int e = static_cast<int>(blockIdx.x) * kDispatchWarps + static_cast<int>(threadIdx.x) / 32;
  if (e >= experts) return;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  int before = 0;
  for (int j = lane; j < e; j += 32) before += counts[j];
  before = WarpSumInt(before);
  if (lane == 0) {
    offsets[e] = before;
    if (e == experts - 1) offsets[experts] = before + counts[e];
  }
  const unsigned lower = (1u << lane) - 1u;
  int next = before;
  for (int base = 0; base < pairs; base += 32) {
    const int p = base + lane;
    const bool hit = p < pairs && ids[p] == e;
    const unsigned m = __ballot_sync(kFull, hit);
    if (hit) {
      const int r = next + __popc(m & lower);
      pairs_out[r] = p;
      rows[p] = r;
    }
    next += __popc(m);
  }
}

__device__ __forceinline__ float ToF32(float v) { return v; }
__device__ __forceinline__ float ToF32(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float4 Load4Any(const float* p) { return Load4(p); }
// REQUIRES: p 8-byte aligned.
__device__ __forceinline__ float4 Load4Any(const __nv_bfloat16* p) {
  const Bf16x4 v = *reinterpret_cast<const Bf16x4*>(p);
  return make_float4(__low2float(v.lo), __high2float(v.lo), __low2float(v.hi), __high2float(v.hi));
}

// One block per row of the worst case; rows past offsets[E] leave at once.
template <class TIn, class TOut, int kVec>
__global__ void __launch_bounds__(kCopyThreads)
    MoeGatherKernel(const TIn* __restrict__ x, int k, int hidden, int experts, const int* __restrict__ offsets,
                    const int* __restrict__ pairs, TOut* __restrict__ xe) {
  const int r = static_cast<int>(blockIdx.x);
  if (r >= offsets[experts]) return;
  const TIn* src = x + static_cast<int64_t>(pairs[r] / k) * hidden;
  TOut* dst = xe + static_cast<int64_t>(r) * hidden;
  const int step = kVec * static_cast<int>(blockDim.x);
  for (int i = kVec * static_cast<int>(threadIdx.x); i < hidden; i += step) {
    if constexpr (kVec == 4) {
      Store4(dst + i, Load4Any(src + i));
    } else {
      Store1(dst + i, ToF32(src[i]));
    }
  }
}

// One block per token: threads 0..k-1 rank the token's slots by expert id (ties, which only
// invalid duplicate ids can make, by slot) into shared memory; then every thread sums its
// columns in that order.
template <int kVec>
__global__ void __launch_bounds__(kCopyThreads)
    MoeCombineKernel(const float* __restrict__ ye, const float* __restrict__ weights, const int* __restrict__ ids,
                     const int* __restrict__ rows, int capacity, int k, const int* __restrict__ num_tokens,
                     int hidden, float* __restrict__ y) {
  SY_SHARED(int, order_row, kMaxTopK);
  SY_SHARED(float, order_w, kMaxTopK);
  const int t = static_cast<int>(blockIdx.x);
  if (t >= LiveTokens(num_tokens, capacity)) return;  // the whole block: no barrier is skipped by some
  const int64_t first = static_cast<int64_t>(t) * k;
  const int s = static_cast<int>(threadIdx.x);
  if (s < k) {
    const int id = ids[first + s];
    int rank = 0;
    for (int j = 0; j < k; ++j) {
      const int other = ids[first + j];
      rank += (other < id || (other == id && j < s)) ? 1 : 0;
    }
    order_row[rank] = rows[first + s];
    order_w[rank] = weights[first + s];
  }
  __syncthreads();
  float* out = y + static_cast<int64_t>(t) * hidden;
  const int step = kVec * static_cast<int>(blockDim.x);
  for (int i = kVec * static_cast<int>(threadIdx.x); i < hidden; i += step) {
    if constexpr (kVec == 4) {
      float4 acc = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
      for (int j = 0; j < k; ++j) {
        const int r = order_row[j];
        if (r < 0) continue;
        const float w = order_w[j];
        const float4 v = Load4(ye + static_cast<int64_t>(r) * hidden + i);
        acc = make_float4(acc.x + w * v.x, acc.y + w * v.y, acc.z + w * v.z, acc.w + w * v.w);
      }
      Store4(out + i, acc);
    } else {
      float acc = 0.0f;
      for (int j = 0; j < k; ++j) {
        const int r = order_row[j];
        if (r < 0) continue;
        const float w = order_w[j];
        acc += w * ye[static_cast<int64_t>(r) * hidden + i];
      }
      out[i] = acc;
    }
  }
}

// ---- expert GEMVs ----
constexpr int kExpertWarps = 4;  // output rows per expert GEMV block

// The j-th expert (ascending id) with a nonzero count, or -1 when fewer are active. Every lane
// gets the same answer (ballots over the counts, 32 experts per round).
__device__ __forceinline__ int ActiveExpert(const int* __restrict__ counts, int experts, int j, int lane) {
  const unsigned lower = (1u << lane) - 1u;
  int seen = 0;
  for (int base = 0; base < experts; base += 32) {
    const bool active = base + lane < experts && counts[base + lane] > 0;
    const unsigned mask = __ballot_sync(kFull, active);
    const int n = __popc(mask);
    if (j < seen + n) {
      const unsigned hit = __ballot_sync(kFull, active && __popc(mask & lower) == j - seen);
      return base + __ffs(static_cast<int>(hit)) - 1;
    }
    seen += n;
  }
  return -1;
}

// f(integral_constant<int, 0>), ..., f(integral_constant<int, N - 1>): loops over a kernel's
// per-row accumulators unrolled by the compiler's front end, so the arrays stay in registers
// (with plain loops ptxas kept them in local memory on sm_80 once four of them were live).
template <class F, int... I>
__device__ __forceinline__ void UnrollImpl(F&& f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>{}), ...);
}
template <int N, class F>
__device__ __forceinline__ void Unroll(F&& f) {
  UnrollImpl(f, std::make_integer_sequence<int, N>{});
}

__device__ __forceinline__ float4 Bf16x8Lo(uint4 u) {  // bf16 to f32 is a 16-bit shift
  return make_float4(__uint_as_float(u.x << 16), __uint_as_float(u.x & 0xffff0000u), __uint_as_float(u.y << 16),
                     __uint_as_float(u.y & 0xffff0000u));
}
__device__ __forceinline__ float4 Bf16x8Hi(uint4 u) {
  return make_float4(__uint_as_float(u.z << 16), __uint_as_float(u.z & 0xffff0000u), __uint_as_float(u.w << 16),
                     __uint_as_float(u.w & 0xffff0000u));
}
// a + w . x over 8 values, summed in index order (as GemvKernel).
__device__ __forceinline__ float Dot8(float a, float4 wl, float4 wh, float4 xl, float4 xh) {
  a += wl.x * xl.x;
  a += wl.y * xl.y;
  a += wl.z * xl.z;
  a += wl.w * xl.w;
  a += wh.x * xh.x;
  a += wh.y * xh.y;
  a += wh.z * xh.z;
  a += wh.w * xh.w;
  return a;
}

// The lane's share of x[t, :] . g[:] (and x[t, :] . u[:] when kGlu) for kT rows t of x, as
// GemvKernel walks a row: values before g's first 16-byte boundary one per lane, then 16-byte
// pieces l, l + 32, ..., then the last K - body values one per lane. g and u are rows of the
// same [E, M, K] layout, so they share their alignment.
template <int kT, bool kGlu>
__device__ __forceinline__ void RowDots(float (&ag)[kT], float (&au)[kT], const float* __restrict__ x, int K,
                                        const __nv_bfloat16* __restrict__ g, const __nv_bfloat16* __restrict__ u,
                                        int lane) {
  int head = static_cast<int>(((16u - (reinterpret_cast<uintptr_t>(g) & 15u)) & 15u) / 2u);
  if (head > K) head = K;
  const int body_end = head + (K - head) / 8 * 8;
  const bool x_vec = ((reinterpret_cast<uintptr_t>(x) | static_cast<uintptr_t>(head) * 4u |
                       static_cast<uintptr_t>(K) * 4u) & 15u) == 0;
  auto one = [&](int k) {
    const float wg = __bfloat162float(g[k]);
    const float wu = kGlu ? __bfloat162float(u[k]) : 0.0f;
    Unroll<kT>([&](auto c) {
      constexpr int t = decltype(c)::value;
      const float xv = x[static_cast<int64_t>(t) * K + k];
      ag[t] += wg * xv;
      if constexpr (kGlu) au[t] += wu * xv;
    });
  };
  if (lane < head) one(lane);
  // One 16-byte piece of g (and u) at k against x's rows.
  auto piece = [&](auto xvec, uint4 pg, uint4 pu, int k) {
    constexpr bool kXVec = decltype(xvec)::value;
    const float4 gl = Bf16x8Lo(pg), gh = Bf16x8Hi(pg);
    const float4 ul = kGlu ? Bf16x8Lo(pu) : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    const float4 uh = kGlu ? Bf16x8Hi(pu) : ul;
    Unroll<kT>([&](auto c) {
      constexpr int t = decltype(c)::value;
      const float* xt = x + static_cast<int64_t>(t) * K + k;
      const float4 xl = kXVec ? Load4(xt) : make_float4(xt[0], xt[1], xt[2], xt[3]);
      const float4 xh = kXVec ? Load4(xt + 4) : make_float4(xt[4], xt[5], xt[6], xt[7]);
      ag[t] = Dot8(ag[t], gl, gh, xl, xh);
      if constexpr (kGlu) au[t] = Dot8(au[t], ul, uh, xl, xh);
    });
  };
  // The lane's pieces in order, kInFlight loads of each matrix issued before any is used (as
  // gemv.cu's AddBody: with a branch on x's alignment inside the loop, the compiler loaded one
  // piece at a time and a 4096 x 4096 GEMV streamed at 1.7 TB/s of an H200's 4.2).
  auto body = [&](auto xvec) {
    constexpr int kStride = 8 * 32, kInFlight = 4;
    int k = head + 8 * lane;
    for (; k + (kInFlight - 1) * kStride < body_end; k += kInFlight * kStride) {
      uint4 pg[kInFlight], pu[kInFlight];
      SY_UNROLL_ALL
      for (int j = 0; j < kInFlight; ++j) {
        pg[j] = *reinterpret_cast<const uint4*>(g + k + j * kStride);
        pu[j] = kGlu ? *reinterpret_cast<const uint4*>(u + k + j * kStride) : pg[j];
      }
      SY_UNROLL_ALL
      for (int j = 0; j < kInFlight; ++j) piece(xvec, pg[j], pu[j], k + j * kStride);
    }
    for (; k < body_end; k += kStride) {
      const uint4 pg = *reinterpret_cast<const uint4*>(g + k);
      piece(xvec, pg, kGlu ? *reinterpret_cast<const uint4*>(u + k) : pg, k);
    }
  };
  if (x_vec) {
    body(std::true_type{});
  } else {
    body(std::false_type{});
  }
  if (body_end + lane < K) one(body_end + lane);
}

__device__ __forceinline__ float WarpSumF(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
  return v;
}

// kT rows x[0..kT) of one expert against its weight row(s); lane t stores row t's output y[t*M].
template <int kT, bool kGlu>
__device__ __forceinline__ void ExpertRows(const float* __restrict__ x, int K, const __nv_bfloat16* __restrict__ g,
                                           const __nv_bfloat16* __restrict__ u, int lane, float* __restrict__ y,
                                           int M) {
  float ag[kT], au[kT];
  Unroll<kT>([&](auto c) {
      constexpr int t = decltype(c)::value;
    ag[t] = 0.0f;
    au[t] = 0.0f;
  });
  RowDots<kT, kGlu>(ag, au, x, K, g, u, lane);
  Unroll<kT>([&](auto c) {
      constexpr int t = decltype(c)::value;
    float v = WarpSumF(ag[t]);
    if constexpr (kGlu) v = v / (1.0f + expf(-v)) * WarpSumF(au[t]);  // cpu::SiluMul's formula
    if (lane == t) y[static_cast<int64_t>(t) * M] = v;
  });
}

// One warp per output row m of the block's expert (blockIdx.y-th active one); its rows in
// steps of kStep, then one at a time. The whole block shares the expert, so blocks and warps leave
// whole (no barriers here).
template <bool kGlu>
__global__ void __launch_bounds__(32 * kExpertWarps)
    MoeExpertGemvKernel(const float* __restrict__ xe, int K, const __nv_bfloat16* __restrict__ w0,
                        const __nv_bfloat16* __restrict__ w1, int M, int experts, const int* __restrict__ counts,
                        const int* __restrict__ offsets, float* __restrict__ y) {
  const int m = static_cast<int>(blockIdx.x) * kExpertWarps + static_cast<int>(threadIdx.x) / 32;
  if (m >= M) return;  // the whole warp
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int e = ActiveExpert(counts, experts, static_cast<int>(blockIdx.y), lane);
  if (e < 0) return;
  const int64_t at = (static_cast<int64_t>(e) * M + m) * K;
  const __nv_bfloat16* g = w0 + at;
  const __nv_bfloat16* u = kGlu ? w1 + at : w0 + at;  // unread unless kGlu
  int r = offsets[e];
  const int end = r + counts[e];
  // Two products per row with kGlu: 4 rows a step keep the accumulators in registers.
  constexpr int kStep = kGlu ? 4 : 8;
  for (; r + kStep <= end; r += kStep) {
    ExpertRows<kStep, kGlu>(xe + static_cast<int64_t>(r) * K, K, g, u, lane, y + static_cast<int64_t>(r) * M + m, M);
  }
  for (; r < end; ++r) {
    ExpertRows<1, kGlu>(xe + static_cast<int64_t>(r) * K, K, g, u, lane, y + static_cast<int64_t>(r) * M + m, M);
  }
}

absl::Status CheckShape(const char* name, const MoeShape& s) {
  if (s.capacity < 0 || s.experts < 1 || s.experts > kMaxExperts || s.k < 1 || s.k > kMaxTopK || s.k > s.experts ||
      s.capacity * s.k > 2147483647) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": capacity=", s.capacity, " experts=", s.experts,
                                                   " k=", s.k, " (need 1 <= k <= min(experts, ", kMaxTopK,
                                                   "), experts <= ", kMaxExperts, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckHidden(const char* name, int64_t hidden) {
  if (hidden < 1 || hidden > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": hidden=", hidden));
  }
  return absl::OkStatus();
}

// Whole warps, enough for `steps` columns, at most kCopyThreads.
unsigned CopyThreads(int64_t steps) {
  const int64_t warps = (steps + 31) / 32;
  return static_cast<unsigned>(32 * (warps > kCopyThreads / 32 ? kCopyThreads / 32 : warps));
}

template <class TIn, class TOut>
absl::Status Gather(const TIn* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d, TOut* xe,
                    cudaStream_t stream) {
  if (absl::Status s = CheckShape("MoeGather", shape); !s.ok()) return s;
  if (absl::Status s = CheckHidden("MoeGather", hidden); !s.ok()) return s;
  const int64_t worst = shape.capacity * shape.k;
  if (worst == 0) return absl::OkStatus();
  const bool vec = hidden % 4 == 0 && Aligned(x, 4 * sizeof(TIn)) && Aligned(xe, 4 * sizeof(TOut));
  const dim3 grid(static_cast<unsigned>(worst));
  const int k = static_cast<int>(shape.k), h = static_cast<int>(hidden), E = static_cast<int>(shape.experts);
  const cudaError_t e =
      vec ? Launch<MoeGatherKernel<TIn, TOut, 4>>(grid, dim3(CopyThreads(hidden / 4)), 0, stream, x, k, h, E,
                                                  d.offsets, d.pairs, xe)
          : Launch<MoeGatherKernel<TIn, TOut, 1>>(grid, dim3(CopyThreads(hidden)), 0, stream, x, k, h, E, d.offsets,
                                                  d.pairs, xe);
  return CudaOk(e, "MoeGather");
}

}  // namespace

absl::Status RouterTopK(const float* logits, const MoeShape& shape, bool renormalize, int32_t* ids, float* weights,
                        cudaStream_t stream) {
  if (absl::Status s = CheckShape("RouterTopK", shape); !s.ok()) return s;
  if (shape.capacity == 0) return absl::OkStatus();
  const dim3 grid(static_cast<unsigned>((shape.capacity + kRouterWarps - 1) / kRouterWarps)), block(32 * kRouterWarps);
  const int T = static_cast<int>(shape.capacity), E = static_cast<int>(shape.experts), k = static_cast<int>(shape.k);
  cudaError_t e;
  if (E <= 32) {
    e = Launch<RouterTopKKernel<1>>(grid, block, 0, stream, logits, T, E, k, renormalize, shape.num_tokens, ids, weights);
  } else if (E <= 64) {
    e = Launch<RouterTopKKernel<2>>(grid, block, 0, stream, logits, T, E, k, renormalize, shape.num_tokens, ids, weights);
  } else if (E <= 128) {
    e = Launch<RouterTopKKernel<4>>(grid, block, 0, stream, logits, T, E, k, renormalize, shape.num_tokens, ids, weights);
  } else {
    e = Launch<RouterTopKKernel<8>>(grid, block, 0, stream, logits, T, E, k, renormalize, shape.num_tokens, ids, weights);
  }
  return CudaOk(e, "RouterTopK");
}

absl::Status MoeDispatchBuild(const int32_t* ids, const MoeShape& shape, const MoeDispatch& d, cudaStream_t stream) {
  if (absl::Status s = CheckShape("MoeDispatchBuild", shape); !s.ok()) return s;
  const dim3 grid(static_cast<unsigned>((shape.experts + kDispatchWarps - 1) / kDispatchWarps)),
      block(32 * kDispatchWarps);
  const int T = static_cast<int>(shape.capacity), E = static_cast<int>(shape.experts), k = static_cast<int>(shape.k);
  // Also with no tokens: the counts and offsets are then zeros, as the GEMMs that follow expect.
  if (absl::Status s = CudaOk(Launch<MoeCountKernel>(grid, block, 0, stream, ids, T, E, k, shape.num_tokens, d.counts),
                              "MoeDispatchBuild (count)");
      !s.ok()) {
    return s;
  }
  return CudaOk(Launch<MoePlaceKernel>(grid, block, 0, stream, ids, T, E, k, shape.num_tokens, d.counts, d.offsets,
                                       d.pairs, d.rows),
                "MoeDispatchBuild (place)");
}

absl::Status MoeGather(const float* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d, float* xe,
                       cudaStream_t stream) {
  return Gather(x, shape, hidden, d, xe, stream);
}

absl::Status MoeGather(const float* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d,
                       __nv_bfloat16* xe, cudaStream_t stream) {
  return Gather(x, shape, hidden, d, xe, stream);
}

absl::Status MoeGather(const __nv_bfloat16* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d,
                       __nv_bfloat16* xe, cudaStream_t stream) {
  return Gather(x, shape, hidden, d, xe, stream);
}

absl::Status MoeCombine(const float* ye, const float* weights, const int32_t* ids, const MoeShape& shape,
                        int64_t hidden, const MoeDispatch& d, float* y, cudaStream_t stream) {
  if (absl::Status s = CheckShape("MoeCombine", shape); !s.ok()) return s;
  if (absl::Status s = CheckHidden("MoeCombine", hidden); !s.ok()) return s;
  if (shape.capacity == 0) return absl::OkStatus();
  const bool vec = hidden % 4 == 0 && Aligned(ye, 16) && Aligned(y, 16);
  const dim3 grid(static_cast<unsigned>(shape.capacity));
  // At least one warp, so at least k (<= 32) threads to rank the slots.
  const dim3 block(CopyThreads(vec ? hidden / 4 : hidden));
  const int T = static_cast<int>(shape.capacity), k = static_cast<int>(shape.k), h = static_cast<int>(hidden);
  const cudaError_t e =
      vec ? Launch<MoeCombineKernel<4>>(grid, block, 0, stream, ye, weights, ids, d.rows, T, k, shape.num_tokens, h, y)
          : Launch<MoeCombineKernel<1>>(grid, block, 0, stream, ye, weights, ids, d.rows, T, k, shape.num_tokens, h, y);
  return CudaOk(e, "MoeCombine");
}

namespace {

absl::Status ExpertGemv(const char* name, const float* xe, const MoeShape& shape, int64_t K,
                        const __nv_bfloat16* w0, const __nv_bfloat16* w1, int64_t M, const MoeDispatch& d, float* y,
                        cudaStream_t stream) {
  if (absl::Status s = CheckShape(name, shape); !s.ok()) return s;
  if (K < 1 || K > (int64_t{1} << 30) || M < 0 || M > (int64_t{1} << 30) ||
      shape.experts * M * K > (int64_t{1} << 40) || !Aligned(xe, 4) || !Aligned(w0, 2) ||
      (w1 != nullptr && !Aligned(w1, 2)) || !Aligned(y, 4)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": K=", K, " M=", M, " experts=", shape.experts,
                                                   " (pointers aligned to their element)"));
  }
  const int64_t slots = shape.capacity * shape.k;
  if (slots == 0 || M == 0) return absl::OkStatus();
  const dim3 grid(static_cast<unsigned>((M + kExpertWarps - 1) / kExpertWarps),
                  static_cast<unsigned>(slots < shape.experts ? slots : shape.experts));
  const dim3 block(32 * kExpertWarps);
  const int k = static_cast<int>(K), m = static_cast<int>(M), E = static_cast<int>(shape.experts);
  const cudaError_t e =
      w1 != nullptr
          ? Launch<MoeExpertGemvKernel<true>>(grid, block, 0, stream, xe, k, w0, w1, m, E, d.counts, d.offsets, y)
          : Launch<MoeExpertGemvKernel<false>>(grid, block, 0, stream, xe, k, w0, w1, m, E, d.counts, d.offsets, y);
  return CudaOk(e, name);
}

}  // namespace

absl::Status MoeExpertGemv(const float* xe, const MoeShape& shape, int64_t K, const __nv_bfloat16* w, int64_t M,
                           const MoeDispatch& d, float* ye, cudaStream_t stream) {
  return ExpertGemv("MoeExpertGemv", xe, shape, K, w, nullptr, M, d, ye, stream);
}

absl::Status MoeExpertGateUp(const float* xe, const MoeShape& shape, int64_t K, const __nv_bfloat16* gate,
                             const __nv_bfloat16* up, int64_t M, const MoeDispatch& d, float* a, cudaStream_t stream) {
  if (up == nullptr) return absl::InvalidArgumentError("MoeExpertGateUp: no up weights");
  return ExpertGemv("MoeExpertGateUp", xe, shape, K, gate, up, M, d, a, stream);
}

}  // namespace switchyard::cuda
