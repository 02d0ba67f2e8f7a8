#include "workers/engine/backend/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "workers/engine/backend/cpu/ops.h"

namespace switchyard::cpu {

namespace {

#if defined(__x86_64__) && !defined(__clang__)
#define SWITCHYARD_SIMD_CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define SWITCHYARD_SIMD_CLONES
#endif

inline float DotInline(const float* a, const float* b, int64_t n) {
  float s[16] = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; ++j) s[j] += a[i + j] * b[i + j];
  for (int j = 0; j < 8; ++j) s[j] += s[j + 8];
  float t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; ++i) t += a[i] * b[i];
  return t;
}

// exp(x) for x <= 0 (softmax inputs after subtracting the max), relative error < 2e-7:
// 2^k * p(r) with x = k ln2 + r, |r| <= ln2/2, p a degree-6 Taylor polynomial. Plain float
// arithmetic without calls, so the loop around it vectorizes.
inline float ExpNonPositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  const float k = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  const float r = x - k * 0.693145751953125f - k * 1.42860682030941723212e-6f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  int32_t bits = (static_cast<int32_t>(k) + 127) << 23;
  float scale;
  __builtin_memcpy(&scale, &bits, 4);
  return p * scale;
}

}  // namespace

// One item is (token, kv head): the `group` query heads sharing that kv head read each key and
// value once together.
SWITCHYARD_SIMD_CLONES void AttentionItems(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  const int64_t bs = a.pool->shape().block_size;
  const int64_t d = a.dim;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t t = item / a.kv_heads, g = item % a.kv_heads;
    const AttentionToken& tok = a.tokens[t];
    const int64_t n = tok.position + 1;
    scores->resize(static_cast<size_t>(n * group));
    float* sc = scores->data();  // [group][n]
    const float* q0 = a.q + (t * a.heads + g * group) * d;
    for (int64_t j = 0; j < n; ++j) {
      const int32_t block = (*tok.blocks)[static_cast<size_t>(j / bs)];
      const float* k = a.pool->K(a.layer, block) + (g * bs + j % bs) * d;
      for (int64_t h = 0; h < group; ++h) sc[h * n + j] = DotInline(q0 + h * d, k, d) * a.scale;
    }
    for (int64_t h = 0; h < group; ++h) {
      float* s = sc + h * n;
      float mx = s[0];
      for (int64_t j = 1; j < n; ++j) mx = s[j] > mx ? s[j] : mx;
      float sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) {
        s[j] = ExpNonPositive(s[j] - mx);
        sum += s[j];
      }
      const float inv = 1.0f / sum;
      for (int64_t j = 0; j < n; ++j) s[j] *= inv;
    }
    float* o0 = a.out + (t * a.heads + g * group) * d;
    std::memset(o0, 0, static_cast<size_t>(group * d) * sizeof(float));
    for (int64_t j = 0; j < n; ++j) {
      const int32_t block = (*tok.blocks)[static_cast<size_t>(j / bs)];
      const float* v = a.pool->V(a.layer, block) + (g * bs + j % bs) * d;
      for (int64_t h = 0; h < group; ++h) {
        const float p = sc[h * n + j];
        float* o = o0 + h * d;
        for (int64_t i = 0; i < d; ++i) o[i] += p * v[i];
      }
    }
  }
}

void Attention(const AttentionArgs& a, ThreadPool& pool) {
  pool.For(a.T * a.kv_heads, [&](int64_t begin, int64_t end) {
    std::vector<float> scores;
    AttentionItems(a, begin, end, &scores);
  });
}

}  // namespace switchyard::cpu
