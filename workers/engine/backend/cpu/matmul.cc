#include "workers/engine/backend/cpu/matmul.h"

namespace switchyard {
namespace internal {

void MatmulRowsScalar(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  const int64_t xs = a.x_stride ? a.x_stride : a.K;
  const int64_t ys = a.y_stride ? a.y_stride : a.M;
  for (int64_t m = m_begin; m < m_end; ++m) {
    for (int64_t t = 0; t < a.T; ++t) {
      const float* x = a.x + t * xs;
      float acc = 0.0f;
      switch (a.wtype) {
        case DType::kF32: {
          const float* w = static_cast<const float*>(a.w) + m * a.K;
          for (int64_t k = 0; k < a.K; ++k) acc += x[k] * w[k];
          break;
        }
        case DType::kBF16: {
          const uint16_t* w = static_cast<const uint16_t*>(a.w) + m * a.K;
          for (int64_t k = 0; k < a.K; ++k) acc += Activation(x[k], a.bf16_activations) * Bf16ToF32(w[k]);
          break;
        }
        case DType::kF16: {
          const uint16_t* w = static_cast<const uint16_t*>(a.w) + m * a.K;
          for (int64_t k = 0; k < a.K; ++k) acc += x[k] * F16ToF32(w[k]);
          break;
        }
      }
      a.y[t * ys + m] = acc;
    }
  }
}

}  // namespace internal

void MatmulRows(const MatmulArgs& a, int64_t m_begin, int64_t m_end, SimdLevel level) {
  switch (ResolveSimdLevel(level)) {
    case SimdLevel::kAvx512:
      if (a.bf16_activations && a.wtype == DType::kBF16 && HostCpuFeatures().avx512_bf16) {
        return internal::MatmulRowsAvx512Bf16(a, m_begin, m_end);
      }
      return internal::MatmulRowsAvx512(a, m_begin, m_end);
    case SimdLevel::kAvx2: return internal::MatmulRowsAvx2(a, m_begin, m_end);
    default: return internal::MatmulRowsScalar(a, m_begin, m_end);
  }
}

uint64_t NextActivationVersion() {
  thread_local uint64_t version = 0;
  return ++version;
}

void Matmul(const MatmulArgs& a, ThreadPool& pool, SimdLevel level) {
  const SimdLevel resolved = ResolveSimdLevel(level);
  const int64_t chunk = pool.ChunkFor(a.M, a.K * static_cast<int64_t>(DTypeSize(a.wtype)), 16);
  pool.Run([&](int ith, int) {
    MatmulArgs mine = a;
    mine.x_version = NextActivationVersion();
    pool.Share(0, ith, a.M, chunk, [&](int64_t b, int64_t e) { MatmulRows(mine, b, e, resolved); });
  });
}

}  // namespace switchyard
