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

void Matmul(const MatmulArgs& a, ThreadPool& pool, SimdLevel level) {
  const SimdLevel resolved = ResolveSimdLevel(level);
  // Rows in multiples of 16 per thread keep every thread on whole micro-kernel blocks.
  pool.For(a.M, [&](int64_t b, int64_t e) { MatmulRows(a, b, e, resolved); }, 16);
}

}  // namespace switchyard
