// AVX-512 attention over the paged cache for block_size 16: one zmm holds a block's 16 scores
// (keys are stored transposed, so a broadcast query element times one key row updates all 16),
// and the weighted sum keeps each query head's 16-wide output slice in a register while it
// walks the positions. Compiled with -mavx512f; called only on CPUs that have it.
// GCC 12's AVX-512 header builds vectors from deliberately undefined values (`__Y`), which
// -Wuninitialized reports at every inlined use; the values are never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>

#include "workers/engine/backend/cpu/attention.h"

namespace switchyard::cpu::internal {

namespace {

// ExpNonPositive (attention.cc) on 16 lanes: the same range reduction and polynomial, so lanes
// agree with the scalar function to an ulp or two (the compiler may fuse a multiply-add here).
__m512 ExpNonPositive16(__m512 x) {
  x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
  const __m512 k = _mm512_roundscale_ps(_mm512_add_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _mm512_set1_ps(0.5f)),
                                        _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  const __m512 r = _mm512_sub_ps(_mm512_sub_ps(x, _mm512_mul_ps(k, _mm512_set1_ps(0.693145751953125f))),
                                 _mm512_mul_ps(k, _mm512_set1_ps(1.42860682030941723212e-6f)));
  __m512 p = _mm512_set1_ps(1.0f / 720.0f);
  for (float c : {1.0f / 120.0f, 1.0f / 24.0f, 1.0f / 6.0f, 0.5f, 1.0f, 1.0f}) {
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(c));
  }
  const __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(k), _mm512_set1_epi32(127)), 23);
  return _mm512_mul_ps(p, _mm512_castsi512_ps(bits));
}

// s[0, n) becomes softmax(s[0, n)); s[n, padded) becomes 0. padded is a multiple of 16 >= n.
void SoftmaxPadded(float* s, int64_t n, int64_t padded) {
  const __m512 neg_inf = _mm512_set1_ps(-__builtin_inff());
  auto load = [&](int64_t j) {  // positions past n read as -inf, so they add exp = 0
    const __mmask16 live = j + 16 <= n ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << (n - j)) - 1);
    return _mm512_mask_loadu_ps(neg_inf, live, s + j);
  };
  __m512 mx = neg_inf;
  for (int64_t j = 0; j < n; j += 16) mx = _mm512_max_ps(mx, load(j));
  const __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
  __m512 sum = _mm512_setzero_ps();
  for (int64_t j = 0; j < padded; j += 16) {
    const __m512 e = j < n ? ExpNonPositive16(_mm512_sub_ps(load(j), m)) : _mm512_setzero_ps();
    // exp(-inf - m) is clamped at -87, not 0: mask the padding explicitly.
    const __mmask16 live = j + 16 <= n ? static_cast<__mmask16>(0xFFFF) : (j < n ? static_cast<__mmask16>((1u << (n - j)) - 1) : 0);
    const __m512 v = _mm512_maskz_mov_ps(live, e);
    _mm512_storeu_ps(s + j, v);
    sum = _mm512_add_ps(sum, v);
  }
  const __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
  for (int64_t j = 0; j < n; j += 16) _mm512_storeu_ps(s + j, _mm512_mul_ps(_mm512_loadu_ps(s + j), inv));
}

}  // namespace

bool AttentionItemsAvx512(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  const int64_t bs = a.pool->shape().block_size;
  const int64_t d = a.dim;
  constexpr int kMaxGroup = 8;
  constexpr int kSliceRegs = 16;
  if (bs != 16 || d % 16 != 0 || group > kMaxGroup) return false;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t t = item / a.kv_heads, g = item % a.kv_heads;
    const AttentionToken& tok = a.tokens[t];
    const int64_t n = tok.position + 1;
    const int64_t nblocks = (n + 15) / 16;
    const int64_t padded = nblocks * 16;
    scores->resize(static_cast<size_t>(padded * group));
    float* sc = scores->data();  // [group][padded]
    const float* q0 = a.q + (t * a.heads + g * group) * d;
    // Scores: every head of the group from one pass over each key block.
    for (int64_t b = 0; b < nblocks; ++b) {
      const float* kt = a.pool->K(a.layer, (*tok.blocks)[static_cast<size_t>(b)]) + g * d * 16;  // [d][16]
      __m512 acc[kMaxGroup][2];
      for (int h = 0; h < group; ++h) acc[h][0] = acc[h][1] = _mm512_setzero_ps();
      for (int64_t i = 0; i < d; i += 2) {
        const __m512 k0 = _mm512_loadu_ps(kt + i * 16);
        const __m512 k1 = _mm512_loadu_ps(kt + (i + 1) * 16);
        for (int h = 0; h < group; ++h) {
          acc[h][0] = _mm512_fmadd_ps(_mm512_set1_ps(q0[h * d + i]), k0, acc[h][0]);
          acc[h][1] = _mm512_fmadd_ps(_mm512_set1_ps(q0[h * d + i + 1]), k1, acc[h][1]);
        }
      }
      const __m512 scale = _mm512_set1_ps(a.scale);
      for (int h = 0; h < group; ++h) {
        _mm512_storeu_ps(sc + h * padded + b * 16, _mm512_mul_ps(_mm512_add_ps(acc[h][0], acc[h][1]), scale));
      }
    }
    // Softmax per head over the n real positions; the padding gets weight 0.
    for (int64_t h = 0; h < group; ++h) SoftmaxPadded(sc + h * padded, n, padded);
    // Weighted values: each value row is read once, front to back, and feeds every head of
    // the group; the outputs stay in registers, kSliceRegs at a time (all of a 128-wide head
    // for groups of up to 2, in d / 16 / (kSliceRegs / group) passes otherwise).
    const int64_t slices = d / 16;
    const int64_t per_pass = std::max<int64_t>(1, std::min<int64_t>(slices, kSliceRegs / group));
    for (int64_t s0 = 0; s0 < slices; s0 += per_pass) {
      const int64_t ns = std::min(per_pass, slices - s0);
      __m512 acc[kSliceRegs];
      for (int64_t r = 0; r < group * ns; ++r) acc[r] = _mm512_setzero_ps();
      for (int64_t b = 0; b < nblocks; ++b) {
        const float* vb = a.pool->V(a.layer, (*tok.blocks)[static_cast<size_t>(b)]) + g * 16 * d + s0 * 16;  // [16][d]
        for (int64_t l = 0; l < 16; ++l) {
          const float* row = vb + l * d;
          for (int64_t h = 0; h < group; ++h) {
            const __m512 p = _mm512_set1_ps(sc[h * padded + b * 16 + l]);
            for (int64_t s = 0; s < ns; ++s) acc[h * ns + s] = _mm512_fmadd_ps(p, _mm512_loadu_ps(row + s * 16), acc[h * ns + s]);
          }
        }
      }
      for (int64_t h = 0; h < group; ++h) {
        float* o = a.out + (t * a.heads + g * group + h) * d + s0 * 16;
        for (int64_t s = 0; s < ns; ++s) _mm512_storeu_ps(o + s * 16, acc[h * ns + s]);
      }
    }
  }
  return true;
}

}  // namespace switchyard::cpu::internal
