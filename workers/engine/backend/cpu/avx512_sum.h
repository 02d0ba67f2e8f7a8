// HorizontalSum: the 16 lanes of an AVX-512 register added into one float, in a fixed order.
// For AVX-512 translation units only (compiled with -mavx512f). The matmul kernels with and
// without bf16 activations share it, so a dot product's last additions round alike in both.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_

#include <immintrin.h>

namespace switchyard::internal {

// By hand: GCC 12's _mm512_reduce_add_ps trips -Wuninitialized inside its own header.
inline float HorizontalSum(__m512 v) {
  const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_castps512_ps256(_mm512_shuffle_f32x4(v, v, 0xEE)));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

}  // namespace switchyard::internal

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_
