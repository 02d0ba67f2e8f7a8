// AVX-512 (F, BW, VL) matmul kernels. Compiled with -mavx512f -mavx512bw -mavx512vl -mfma
// -mf16c and only called after HostCpuFeatures() said the CPU has them.
// GCC 12's AVX-512 header builds vectors from deliberately undefined values (`__Y`), which
// -Wuninitialized reports at every inlined use; the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "workers/engine/backend/cpu/avx512_sum.h"
#include "workers/engine/backend/cpu/matmul_kernel.h"

namespace switchyard::internal {
namespace {

struct Avx512 {
  using Reg = __m512;
  static constexpr int kLanes = 16;
  static constexpr int kRowBlock = 4;
  static constexpr int kTokenBlock = 4;  // 16 accumulators of 32 registers
  // bf16 pairs: 5 rows x 4 tokens = 20 accumulators + 10 weight + 2 input registers. Measured
  // against 4x4, 3x6, 2x8, 4x5, 6x3, 6x4, 8x2, 5x5 and 7x3 with switchyard-bench-matmul: 5x4
  // is fastest on batched decode and prefill shapes (about 310-340 GFLOP/s on two Zen 5 cores,
  // where 4x4 gave 240-265).
  // Matrix-vector: one row at a time, so the weights stream from memory in address order (the
  // hardware prefetcher's best case) where 8 rows at a time made 8 streams 2-6 KB apart; the
  // out-of-order core overlaps consecutive rows' FMA chains. Decode at or above 8 rows' speed,
  // the 151936-row head 84-88% of the read loop where 8 rows gave 81-82%.
  static constexpr int kMatvecRows = 1;
  static constexpr int kPairRowBlock = 5;
  static constexpr int kPairTokenBlock = 4;
  static Reg Zero() { return _mm512_setzero_ps(); }
  static Reg LoadX(const float* p) { return _mm512_loadu_ps(p); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static float Sum(Reg v) { return HorizontalSum(v); }
  static void StoreSums4x4(const Reg* v, float* y, int64_t ys) { StoreHorizontalSums4x4(v, y, ys); }
  template <DType W>
  static Reg LoadW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) {
      return _mm512_loadu_ps(static_cast<const float*>(w) + i);
    } else {
      // f16 (bf16 goes through LoadBf16Pairs)
      return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(w) + i)));
    }
  }
  static void LoadBf16Pairs(const uint16_t* p, Reg* even, Reg* odd) {
    const __m512i v = _mm512_loadu_si512(p);
    *even = _mm512_castsi512_ps(_mm512_slli_epi32(v, 16));
    *odd = _mm512_castsi512_ps(_mm512_and_si512(v, _mm512_set1_epi32(static_cast<int>(0xFFFF0000u))));
  }
  template <DType W>
  static float ScalarW(const void* w, int64_t i) {
    if constexpr (W == DType::kF32) return static_cast<const float*>(w)[i];
    return F16ToF32(static_cast<const uint16_t*>(w)[i]);
  }
};

}  // namespace

void MatmulRowsAvx512(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  MatmulRowsDispatch<Avx512>(a, m_begin, m_end);
}

}  // namespace switchyard::internal
