// HorizontalSum: the 16 lanes of an AVX-512 register added into one float, in a fixed order.
// For AVX-512 translation units only (compiled with -mavx512f). The matmul kernels with and
// without bf16 activations share it, so a dot product's last additions round alike in both.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_

#include <immintrin.h>

#include <cstdint>

namespace switchyard::internal {

// By hand: GCC 12's _mm512_reduce_add_ps trips -Wuninitialized inside its own header.
inline float HorizontalSum(__m512 v) {
  const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_castps512_ps256(_mm512_shuffle_f32x4(v, v, 0xEE)));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// y[t * ys + r] = HorizontalSum(v[4 * r + t]) for r, t < 4, bit for bit: the same pairs of lanes
// added in the same tree, but sixteen sums share each shuffle and add (45 instructions and 4
// stores where sixteen HorizontalSums take 112 and 16 stores). A 4x4 block of the matmul over
// K = 1024 runs only 32 k steps of 16 products between two rounds of sums: the bf16 kernel's
// 16-token 1024 x 3072 product ran 6% faster with it (switchyard-bench-matmul, A/B, medians).
inline void StoreHorizontalSums4x4(const __m512* v, float* y, int64_t ys) {
  // Lanes i and i + 8 of each register: c[i] holds v[2i]'s eight sums, then v[2i + 1]'s.
  __m512 c[8];
  for (int i = 0; i < 8; ++i) {
    c[i] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x44), _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xEE));
  }
  // Lanes i and i + 4: 128-bit lane l of e[j] holds v[4j + l]'s four sums.
  __m512 e[4];
  for (int j = 0; j < 4; ++j) {
    e[j] = _mm512_add_ps(_mm512_shuffle_f32x4(c[2 * j], c[2 * j + 1], 0x88), _mm512_shuffle_f32x4(c[2 * j], c[2 * j + 1], 0xDD));
  }
  // Lanes i and i + 2: 128-bit lane l of g[k] holds v[8k + l]'s two sums, then v[8k + 4 + l]'s.
  __m512 g[2];
  for (int k = 0; k < 2; ++k) {
    const __m512d lo = _mm512_unpacklo_pd(_mm512_castps_pd(e[2 * k]), _mm512_castps_pd(e[2 * k + 1]));
    const __m512d hi = _mm512_unpackhi_pd(_mm512_castps_pd(e[2 * k]), _mm512_castps_pd(e[2 * k + 1]));
    g[k] = _mm512_add_ps(_mm512_castpd_ps(lo), _mm512_castpd_ps(hi));
  }
  // Lanes i and i + 1: lane 4l + q of r is v[4q + l]'s sum, so 128-bit lane t holds token t's rows.
  const __m512 r = _mm512_add_ps(_mm512_shuffle_ps(g[0], g[1], 0x88), _mm512_shuffle_ps(g[0], g[1], 0xDD));
  _mm_storeu_ps(y, _mm512_castps512_ps128(r));
  _mm_storeu_ps(y + ys, _mm512_extractf32x4_ps(r, 1));
  _mm_storeu_ps(y + 2 * ys, _mm512_extractf32x4_ps(r, 2));
  _mm_storeu_ps(y + 3 * ys, _mm512_extractf32x4_ps(r, 3));
}

}  // namespace switchyard::internal

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_AVX512_SUM_H_
