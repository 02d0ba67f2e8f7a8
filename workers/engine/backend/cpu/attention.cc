#include "workers/engine/backend/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "workers/engine/backend/cpu/cpu_features.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/util/dtype.h"

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
inline float ExpInline(float x) {
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

namespace internal {
float ExpNonPositive(float x) { return ExpInline(x); }
}  // namespace internal

// One item is (token, kv head): the `group` query heads sharing that kv head read each key and
// value block once together. Scores come a block of positions at a time from the transposed
// keys (a broadcast query element times a key row: vector lanes are positions); the weighted
// sum of values keeps a 16-wide slice of each output in a register across a block.
SWITCHYARD_SIMD_CLONES void AttentionItemsGeneric(const AttentionArgs& a, int64_t begin, int64_t end,
                                                   std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  const int64_t bs = a.pool->shape().block_size;
  const int64_t d = a.dim;
  const bool f16 = a.pool->shape().dtype == DType::kF16;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t t = item / a.kv_heads, g = item % a.kv_heads;
    const AttentionToken& tok = a.tokens[t];
    const int64_t n = tok.position + 1;
    const int64_t nblocks = (n + bs - 1) / bs;
    const int64_t padded = nblocks * bs;
    scores->resize(static_cast<size_t>(padded * group));
    float* sc = scores->data();  // [group][padded]
    const float* q0 = a.q + (t * a.heads + g * group) * d;
    // This kv head's keys and values of block b: in the pool (f32), or widened from an f16
    // pool into per-thread scratch once per item (the fallback kernel; the AVX-512 one
    // converts in registers).
    const int64_t chunk = d * bs;
    thread_local std::vector<float> wide;
    if (f16) {
      wide.resize(static_cast<size_t>(2 * nblocks * chunk));
      for (int64_t b = 0; b < nblocks; ++b) {
        const int32_t id = (*tok.blocks)[static_cast<size_t>(b)];
        const uint16_t* kh = a.pool->K16(a.layer, id) + g * chunk;
        const uint16_t* vh = a.pool->V16(a.layer, id) + g * chunk;
        float* kw = wide.data() + b * chunk;
        float* vw = wide.data() + (nblocks + b) * chunk;
        for (int64_t i = 0; i < chunk; ++i) kw[i] = F16ToF32(kh[i]);
        for (int64_t i = 0; i < chunk; ++i) vw[i] = F16ToF32(vh[i]);
      }
    }
    auto block_k = [&](int64_t b) -> const float* {
      return f16 ? wide.data() + b * chunk : a.pool->K(a.layer, (*tok.blocks)[static_cast<size_t>(b)]) + g * chunk;
    };
    auto block_v = [&](int64_t b) -> const float* {
      return f16 ? wide.data() + (nblocks + b) * chunk : a.pool->V(a.layer, (*tok.blocks)[static_cast<size_t>(b)]) + g * chunk;
    };
    for (int64_t b = 0; b < nblocks; ++b) {
      const float* kt = block_k(b);  // [d][bs]
      for (int64_t h = 0; h < group; ++h) {
        const float* q = q0 + h * d;
        float* s = sc + h * padded + b * bs;
        // 16 positions per pass, accumulated in a local (a register) rather than through `s`,
        // which the compiler must assume may alias the keys.
        int64_t l0 = 0;
        for (; l0 + 16 <= bs; l0 += 16) {
          float acc[16] = {};
          for (int64_t i = 0; i < d; ++i) {
            const float qi = q[i];
            const float* row = kt + i * bs + l0;
            for (int x = 0; x < 16; ++x) acc[x] += qi * row[x];
          }
          for (int x = 0; x < 16; ++x) s[l0 + x] = acc[x];
        }
        for (; l0 < bs; ++l0) {  // block sizes that are not a multiple of 16
          float acc = 0.0f;
          for (int64_t i = 0; i < d; ++i) acc += q[i] * kt[i * bs + l0];
          s[l0] = acc;
        }
      }
    }
    for (int64_t h = 0; h < group; ++h) {
      float* s = sc + h * padded;
      float mx = s[0] * a.scale;
      for (int64_t j = 0; j < n; ++j) {
        s[j] *= a.scale;
        mx = s[j] > mx ? s[j] : mx;
      }
      float sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) {
        s[j] = ExpInline(s[j] - mx);
        sum += s[j];
      }
      const float inv = 1.0f / sum;
      for (int64_t j = 0; j < n; ++j) s[j] *= inv;
      for (int64_t j = n; j < padded; ++j) s[j] = 0.0f;  // positions past the token
    }
    for (int64_t h = 0; h < group; ++h) {
      float* o = a.out + (t * a.heads + g * group + h) * d;
      const float* p = sc + h * padded;
      int64_t i0 = 0;
      for (; i0 + 16 <= d; i0 += 16) {
        float acc[16] = {};
        for (int64_t b = 0; b < nblocks; ++b) {
          const float* vb = block_v(b) + i0;  // [bs][d]
          const float* pb = p + b * bs;
          for (int64_t l = 0; l < bs; ++l) {
            const float pl = pb[l];
            const float* v = vb + l * d;
            for (int x = 0; x < 16; ++x) acc[x] += pl * v[x];
          }
        }
        for (int x = 0; x < 16; ++x) o[i0 + x] = acc[x];
      }
      for (; i0 < d; ++i0) {  // head sizes that are not a multiple of 16
        float acc = 0.0f;
        for (int64_t b = 0; b < nblocks; ++b) {
          const float* vb = block_v(b) + i0;
          for (int64_t l = 0; l < bs; ++l) acc += p[b * bs + l] * vb[l * d];
        }
        o[i0] = acc;
      }
    }
  }
}

void AttentionItems(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  static const bool avx512 = HostCpuFeatures().avx512;
  if (avx512 && internal::AttentionItemsAvx512(a, begin, end, scores)) return;
  AttentionItemsGeneric(a, begin, end, scores);
}

void Attention(const AttentionArgs& a, ThreadPool& pool) {
  pool.For(a.T * a.kv_heads, [&](int64_t begin, int64_t end) {
    std::vector<float> scores;
    AttentionItems(a, begin, end, &scores);
  });
}

}  // namespace switchyard::cpu
