// AVX-512 (F, BW, VL) matmul kernels. Compiled with -mavx512f -mavx512bw -mavx512vl -mfma
// -mf16c and only called after HostCpuFeatures() said the CPU has them.
#include <immintrin.h>

#include "workers/engine/backend/cpu/matmul_kernel.h"

namespace switchyard::internal {
namespace {

struct Avx512 {
  using Reg = __m512;
  static constexpr int kLanes = 16;
  static constexpr int kRowBlock = 4;
  static constexpr int kTokenBlock = 4;  // 16 accumulators of 32 registers
  static Reg Zero() { return _mm512_setzero_ps(); }
  static Reg LoadX(const float* p) { return _mm512_loadu_ps(p); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static float Sum(Reg v) { return _mm512_reduce_add_ps(v); }
  template <DType W>
  static Reg LoadW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) {
      return _mm512_loadu_ps(static_cast<const float*>(w) + i);
    } else {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(w) + i));
      if constexpr (W == DType::kBF16) {
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));  // bf16 is f32's top half
      } else {
        return _mm512_cvtph_ps(h);
      }
    }
  }
  template <DType W>
  static float ScalarW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) return static_cast<const float*>(w)[i];
    if constexpr (W == DType::kBF16) return Bf16ToF32(static_cast<const uint16_t*>(w)[i]);
    return F16ToF32(static_cast<const uint16_t*>(w)[i]);
  }
};

}  // namespace

void MatmulRowsAvx512(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  MatmulRowsDispatch<Avx512>(a, m_begin, m_end);
}

}  // namespace switchyard::internal
