// AVX2 + FMA + F16C matmul kernels. Compiled with -mavx2 -mfma -mf16c and only called after
// HostCpuFeatures() said the CPU has them.
#include <immintrin.h>

#include "workers/engine/backend/cpu/matmul_kernel.h"

namespace switchyard::internal {
namespace {

struct Avx2 {
  using Reg = __m256;
  static constexpr int kLanes = 8;
  static constexpr int kRowBlock = 4;
  // bf16 pairs: 3 rows x 2 tokens = 6 accumulators + 6 weight + 2 input registers of 16.
  // Measured against 4x2, 2x3, 2x4, 3x3 and 4x1 with switchyard-bench-matmul (kernel 2): 3x2
  // is fastest, about 140 GFLOP/s on two cores where 4x2 spilled and gave about 100.
  static constexpr int kMatvecRows = 4;  // 4 accumulators + 8 weight + 2 input registers of 16
  static constexpr int kPairRowBlock = 3;
  static constexpr int kPairTokenBlock = 2;
  static constexpr int kTokenBlock = 2;  // 8 accumulators + 4 weights + 1 input of 16 registers
  static Reg Zero() { return _mm256_setzero_ps(); }
  static Reg LoadX(const float* p) { return _mm256_loadu_ps(p); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static float Sum(Reg v) {
    const __m128 lo = _mm256_castps256_ps128(v);
    const __m128 hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  template <DType W>
  static Reg LoadW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) {
      return _mm256_loadu_ps(static_cast<const float*>(w) + i);
    } else {
      // f16 (bf16 goes through LoadBf16Pairs)
      return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(w) + i)));
    }
  }
  static void LoadBf16Pairs(const uint16_t* p, Reg* even, Reg* odd) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    *even = _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
    *odd = _mm256_castsi256_ps(_mm256_and_si256(v, _mm256_set1_epi32(static_cast<int>(0xFFFF0000u))));
  }
  template <DType W>
  static float ScalarW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) return static_cast<const float*>(w)[i];
    return F16ToF32(static_cast<const uint16_t*>(w)[i]);
  }
};

}  // namespace

void MatmulRowsAvx2(const MatmulArgs& a, int64_t m_begin, int64_t m_end) { MatmulRowsDispatch<Avx2>(a, m_begin, m_end); }

}  // namespace switchyard::internal
