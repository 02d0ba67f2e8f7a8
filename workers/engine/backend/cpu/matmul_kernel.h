// The matmul micro-kernels, written once over a SIMD traits type V (see matmul_avx2.cc and
// matmul_avx512.cc, each compiled with its own -m flags). Not a public header.
//
// A block computes RB weight rows x TB tokens with RB*TB vector accumulators: each loaded
// and converted weight vector is used TB times, each activation vector RB times. Threads own
// row ranges; tokens are walked in chunks of kTokenChunk so the activations stay in L2.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "workers/engine/backend/cpu/matmul.h"

namespace switchyard::internal {

constexpr int64_t kTokenChunk = 64;

// Rows [0, 4) x tokens [0, 4) of a block's sums stored at once where the traits can
// (V::StoreSums4x4, AVX-512) and K has no tail past the vector loop; returns the first row left
// for the one-by-one sums.
template <class V, int RB, int TB>
inline int StoreSums4x4IfAble(const typename V::Reg (&acc)[RB][TB], bool no_tail, float* y, int64_t ys) {
  if constexpr (RB >= 4 && TB == 4 && requires { V::StoreSums4x4(&acc[0][0], y, ys); }) {
    if (no_tail) {
      V::StoreSums4x4(&acc[0][0], y, ys);
      return 4;
    }
  }
  return 0;
}

template <class V, DType W, int RB, int TB>
inline void MatmulBlock(const MatmulArgs& a, int64_t m0, int64_t t0, int64_t xs, int64_t ys) {
  typename V::Reg acc[RB][TB];
  for (int r = 0; r < RB; ++r)
    for (int t = 0; t < TB; ++t) acc[r][t] = V::Zero();
  const int64_t K = a.K;
  const int64_t kv = K - K % V::kLanes;
  for (int64_t k = 0; k < kv; k += V::kLanes) {
    typename V::Reg wv[RB];
    for (int r = 0; r < RB; ++r) wv[r] = V::template LoadW<W>(a.w, (m0 + r) * K + k);
    for (int t = 0; t < TB; ++t) {
      const typename V::Reg xv = V::LoadX(a.x + (t0 + t) * xs + k);
      for (int r = 0; r < RB; ++r) acc[r][t] = V::Fma(wv[r], xv, acc[r][t]);
    }
  }
  for (int r = StoreSums4x4IfAble<V>(acc, kv == K, a.y + t0 * ys + m0, ys); r < RB; ++r) {
    for (int t = 0; t < TB; ++t) {
      float s = V::Sum(acc[r][t]);
      const float* x = a.x + (t0 + t) * xs;
      for (int64_t k = kv; k < K; ++k) s += x[k] * V::template ScalarW<W>(a.w, (m0 + r) * K + k);
      a.y[(t0 + t) * ys + m0 + r] = s;
    }
  }
}

template <class V, DType W, int RB>
inline void MatmulRowBlock(const MatmulArgs& a, int64_t m0, int64_t t_begin, int64_t t_end, int64_t xs, int64_t ys) {
  constexpr int TB = V::kTokenBlock;
  int64_t t = t_begin;
  for (; t + TB <= t_end; t += TB) MatmulBlock<V, W, RB, TB>(a, m0, t, xs, ys);
  for (; t < t_end; ++t) MatmulBlock<V, W, RB, 1>(a, m0, t, xs, ys);
}

// bf16 weights read as pairs: a load of 2L bf16 values holds in each 32-bit lane an even-indexed
// weight (low half) and the odd one after it (high half). A left shift by 16 gives the even
// weights as f32 and masking off the low half gives the odd ones: two cheap integer ops per 2L
// weights, where widening L values at a time costs a cross-lane shuffle and a shift. The
// activations are permuted once per token chunk into the same even/odd order, so the sums are
// the same products in a different order (f32 accumulation either way).
// With bf16_activations the permuted values are rounded to bf16 as they are copied.
template <class V>
inline void PermuteEvenOdd(const float* x, int64_t kv, float* xp, bool bf16_activations) {
  constexpr int L = V::kLanes;
  for (int64_t k = 0; k < kv; k += 2 * L) {
    for (int i = 0; i < L; ++i) {
      xp[k + i] = x[k + 2 * i];
      xp[k + L + i] = x[k + 2 * i + 1];
    }
  }
  if (bf16_activations) {
    for (int64_t k = 0; k < kv; ++k) xp[k] = Activation(xp[k], true);
  }
}

// The first row of the block to prefetch while rows [m0, m0 + RB) are computed. The matrix-vector
// product (RB = 1) prefetches two rows ahead, which kept decode closest to the read loop's
// bandwidth (one row ahead left less time than a DRAM round trip under load). A block of
// several rows over several tokens takes 0.5-2 us, long enough to fetch the next block: two
// blocks ahead instead was 8-20% slower at 16 tokens with the weights streaming from memory
// (switchyard-bench-matmul, BM_MatmulBf16FromMemory), as if the lines fetched that early
// were evicted again before their turn. Near the end it prefetches the block itself again
// rather than point past the matrix.
template <int RB>
inline int64_t PrefetchRow(int64_t m0, int64_t M) {
  constexpr int64_t ahead = RB == 1 ? 2 : RB;
  return m0 + ahead + RB <= M ? m0 + ahead : m0;
}

// Which of the next block's RB rows token block b of `blocks` prefetches: spread evenly, so the
// weights come from memory at a steady rate instead of in a burst during the first token
// block (at 16 tokens in blocks of 4 and RB = 4, each block prefetches one row).
template <int RB>
inline std::pair<int, int> PrefetchRows(int64_t b, int64_t blocks) {
  return {static_cast<int>(b * RB / blocks), static_cast<int>((b + 1) * RB / blocks)};
}

// The number of token blocks a loop over n tokens runs: blocks of TB, then of 2, then of 1.
template <int TB>
inline int64_t TokenBlocks(int64_t n) {
  if constexpr (TB > 2) return n / TB + (n % TB) / 2 + (n % TB) % 2;
  return n / TB + n % TB;
}

// RB rows x TB tokens of y from permuted activations xp (row stride kv) for k < kv, and the
// original activations x for the tail k >= kv.
// Rows [p0, p1) of a later RB-row block (PrefetchRow) are prefetched along the way, one cache
// line per k step: rows of Qwen3-sized matrices are only 2-6 KB, too short for the hardware prefetcher
// to ramp up on each of RB separate streams before the row ends.
template <class V, int RB, int TB>
inline void Bf16PairBlock(const MatmulArgs& a, int64_t m0, int64_t t0, const float* xp, int64_t kv,
                          int64_t xs, int64_t ys, int p0 = 0, int p1 = 0) {
  constexpr int L = V::kLanes;
  const uint16_t* w = static_cast<const uint16_t*>(a.w);
  const int64_t K = a.K;
  const uint16_t* next = w + PrefetchRow<RB>(m0, a.M) * K;
  typename V::Reg acc[RB][TB];
  for (int r = 0; r < RB; ++r)
    for (int t = 0; t < TB; ++t) acc[r][t] = V::Zero();
  for (int64_t k = 0; k < kv; k += 2 * L) {
    typename V::Reg we[RB], wo[RB];
    for (int r = 0; r < RB; ++r) V::LoadBf16Pairs(w + (m0 + r) * K + k, &we[r], &wo[r]);
    for (int r = p0; r < p1; ++r) __builtin_prefetch(next + r * K + k, 0, 3);
    for (int t = 0; t < TB; ++t) {
      const float* xt = xp + t * kv + k;
      const typename V::Reg xe = V::LoadX(xt);
      const typename V::Reg xo = V::LoadX(xt + L);
      for (int r = 0; r < RB; ++r) {
        acc[r][t] = V::Fma(we[r], xe, acc[r][t]);
        acc[r][t] = V::Fma(wo[r], xo, acc[r][t]);
      }
    }
  }
  for (int r = StoreSums4x4IfAble<V>(acc, kv == K, a.y + t0 * ys + m0, ys); r < RB; ++r) {
    for (int t = 0; t < TB; ++t) {
      float s = V::Sum(acc[r][t]);
      const float* x = a.x + (t0 + t) * xs;
      for (int64_t k = kv; k < K; ++k) s += Activation(x[k], a.bf16_activations) * Bf16ToF32(w[(m0 + r) * K + k]);
      a.y[(t0 + t) * ys + m0 + r] = s;
    }
  }
}

// RB rows for tokens [t0, t1): blocks of kPairTokenBlock tokens, then smaller ones.
template <class V, int RB>
inline void Bf16PairTokens(const MatmulArgs& a, int64_t m, int64_t t0, int64_t t1, const float* xp, int64_t kv,
                           int64_t xs, int64_t ys) {
  constexpr int TB = V::kPairTokenBlock;
  const int64_t blocks = TokenBlocks<TB>(t1 - t0);
  int64_t t = t0, j = 0;
  for (; t + TB <= t1; t += TB, ++j) {
    const auto [p0, p1] = PrefetchRows<RB>(j, blocks);
    Bf16PairBlock<V, RB, TB>(a, m, t, xp + (t - t0) * kv, kv, xs, ys, p0, p1);
  }
  if constexpr (TB > 2) {
    for (; t + 2 <= t1; t += 2, ++j) {
      const auto [p0, p1] = PrefetchRows<RB>(j, blocks);
      Bf16PairBlock<V, RB, 2>(a, m, t, xp + (t - t0) * kv, kv, xs, ys, p0, p1);
    }
  }
  for (; t < t1; ++t, ++j) {
    const auto [p0, p1] = PrefetchRows<RB>(j, blocks);
    Bf16PairBlock<V, RB, 1>(a, m, t, xp + (t - t0) * kv, kv, xs, ys, p0, p1);
  }
}

template <class V>
inline void MatmulRowsBf16Pairs(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  const int64_t xs = a.x_stride ? a.x_stride : a.K;
  const int64_t ys = a.y_stride ? a.y_stride : a.M;
  const int64_t kv = a.K - a.K % (2 * V::kLanes);
  // One buffer per thread, grown to the largest chunk seen: no allocation per token. Rows
  // start on cache lines (kv is a multiple of 2L floats) so no activation load splits a line.
  thread_local std::vector<float> permuted;
  for (int64_t t0 = 0; t0 < a.T; t0 += kTokenChunk) {
    const int64_t t1 = std::min(a.T, t0 + kTokenChunk);
    constexpr size_t kLineFloats = 64 / sizeof(float);
    if (permuted.size() < static_cast<size_t>((t1 - t0) * kv) + kLineFloats) permuted.resize((t1 - t0) * kv + kLineFloats);
    float* xp = permuted.data();
    xp += (kLineFloats - (reinterpret_cast<uintptr_t>(xp) / sizeof(float)) % kLineFloats) % kLineFloats;
    for (int64_t t = t0; t < t1; ++t) PermuteEvenOdd<V>(a.x + t * xs, kv, xp + (t - t0) * kv, a.bf16_activations);
    if (a.T == 1) {
      // Matrix-vector: kMatvecRows rows at a time (one on AVX-512, whose out-of-order window
      // overlaps consecutive rows; four on AVX2).
      constexpr int R = V::kMatvecRows;
      int64_t m = m_begin;
      for (; m + R <= m_end; m += R) Bf16PairBlock<V, R, 1>(a, m, 0, xp, kv, xs, ys, 0, R);
      for (; m < m_end; ++m) Bf16PairBlock<V, 1, 1>(a, m, 0, xp, kv, xs, ys);
      return;
    }
    int64_t m = m_begin;
    for (; m + V::kPairRowBlock <= m_end; m += V::kPairRowBlock) {
      Bf16PairTokens<V, V::kPairRowBlock>(a, m, t0, t1, xp, kv, xs, ys);
    }
    for (; m < m_end; ++m) Bf16PairTokens<V, 1>(a, m, t0, t1, xp, kv, xs, ys);
  }
}

// f32 and f16 weights (bf16 takes MatmulRowsBf16Pairs).
template <class V, DType W>
inline void MatmulRowsT(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  const int64_t xs = a.x_stride ? a.x_stride : a.K;
  const int64_t ys = a.y_stride ? a.y_stride : a.M;
  if (a.T == 1) {
    // Matrix-vector: eight rows at a time give eight independent FMA chains per k step.
    int64_t m = m_begin;
    for (; m + 8 <= m_end; m += 8) MatmulBlock<V, W, 8, 1>(a, m, 0, xs, ys);
    for (; m < m_end; ++m) MatmulBlock<V, W, 1, 1>(a, m, 0, xs, ys);
    return;
  }
  constexpr int RB = V::kRowBlock;
  for (int64_t t0 = 0; t0 < a.T; t0 += kTokenChunk) {
    const int64_t t1 = std::min(a.T, t0 + kTokenChunk);
    int64_t m = m_begin;
    for (; m + RB <= m_end; m += RB) MatmulRowBlock<V, W, RB>(a, m, t0, t1, xs, ys);
    for (; m < m_end; ++m) MatmulRowBlock<V, W, 1>(a, m, t0, t1, xs, ys);
  }
}

template <class V>
inline void MatmulRowsDispatch(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  switch (a.wtype) {
    case DType::kBF16: return MatmulRowsBf16Pairs<V>(a, m_begin, m_end);
    case DType::kF16: return MatmulRowsT<V, DType::kF16>(a, m_begin, m_end);
    case DType::kF32: return MatmulRowsT<V, DType::kF32>(a, m_begin, m_end);
  }
}

}  // namespace switchyard::internal

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_
