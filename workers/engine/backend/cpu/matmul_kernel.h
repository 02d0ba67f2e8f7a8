// The matmul micro-kernels, written once over a SIMD traits type V (see matmul_avx2.cc and
// matmul_avx512.cc, each compiled with its own -m flags). Not a public header.
//
// A block computes RB weight rows x TB tokens with RB*TB vector accumulators: each loaded
// and converted weight vector is used TB times, each activation vector RB times. Threads own
// row ranges; tokens are walked in chunks of kTokenChunk so the activations stay in L2.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_

#include <algorithm>

#include "workers/engine/backend/cpu/matmul.h"

namespace switchyard::internal {

constexpr int64_t kTokenChunk = 64;

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
  for (int r = 0; r < RB; ++r) {
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
    case DType::kBF16: return MatmulRowsT<V, DType::kBF16>(a, m_begin, m_end);
    case DType::kF16: return MatmulRowsT<V, DType::kF16>(a, m_begin, m_end);
    case DType::kF32: return MatmulRowsT<V, DType::kF32>(a, m_begin, m_end);
  }
}

}  // namespace switchyard::internal

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_KERNEL_H_
