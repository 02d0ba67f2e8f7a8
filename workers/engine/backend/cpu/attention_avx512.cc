// AVX-512 attention over the paged cache for block_size 16: one zmm holds a block's 16 scores
// (keys are stored transposed, so a broadcast query element times one key row updates all 16),
// and the weighted sum keeps each query head's 16-wide output slice in a register while it
// walks the positions. Compiled with -mavx512f; called only on CPUs that have it.
#include <immintrin.h>

#include "workers/engine/backend/cpu/attention.h"

namespace switchyard::cpu::internal {

bool AttentionItemsAvx512(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  const int64_t bs = a.pool->shape().block_size;
  const int64_t d = a.dim;
  constexpr int kMaxGroup = 8;
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
    for (int64_t h = 0; h < group; ++h) {
      float* s = sc + h * padded;
      float mx = s[0];
      for (int64_t j = 1; j < n; ++j) mx = s[j] > mx ? s[j] : mx;
      float sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) {
        s[j] = ExpNonPositive(s[j] - mx);
        sum += s[j];
      }
      const float inv = 1.0f / sum;
      for (int64_t j = 0; j < n; ++j) s[j] *= inv;
      for (int64_t j = n; j < padded; ++j) s[j] = 0.0f;
    }
    // Weighted values: for each 16-wide slice of the head, all heads of the group at once.
    for (int64_t i0 = 0; i0 < d; i0 += 16) {
      __m512 acc[kMaxGroup][2];
      for (int h = 0; h < group; ++h) acc[h][0] = acc[h][1] = _mm512_setzero_ps();
      for (int64_t b = 0; b < nblocks; ++b) {
        const float* vb = a.pool->V(a.layer, (*tok.blocks)[static_cast<size_t>(b)]) + g * 16 * d + i0;  // [16][d]
        for (int64_t l = 0; l < 16; l += 2) {
          const __m512 v0 = _mm512_loadu_ps(vb + l * d);
          const __m512 v1 = _mm512_loadu_ps(vb + (l + 1) * d);
          for (int h = 0; h < group; ++h) {
            const float* p = sc + h * padded + b * 16 + l;
            acc[h][0] = _mm512_fmadd_ps(_mm512_set1_ps(p[0]), v0, acc[h][0]);
            acc[h][1] = _mm512_fmadd_ps(_mm512_set1_ps(p[1]), v1, acc[h][1]);
          }
        }
      }
      for (int h = 0; h < group; ++h) {
        _mm512_storeu_ps(a.out + (t * a.heads + g * group + h) * d + i0, _mm512_add_ps(acc[h][0], acc[h][1]));
      }
    }
  }
  return true;
}

}  // namespace switchyard::cpu::internal
