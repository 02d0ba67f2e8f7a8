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

// One (token, kv head) item for a group of G query heads, the value pass NS 16-wide slices at
// a time. Both are compile-time so every accumulator lives in a register (with run-time
// counts the compiler keeps them on the stack and each FMA waits on a store and a load).
// Scores use KS interleaved accumulators per head so G * KS >= 8 FMA chains are in flight.
// 16 cached keys or values as f32, from an f32 or an f16 pool.
inline __m512 Load16(const float* p) { return _mm512_loadu_ps(p); }
inline __m512 Load16(const uint16_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
inline const float* BlockK(const AttentionArgs& a, int32_t b, float*) { return a.pool->K(a.layer, b); }
inline const float* BlockV(const AttentionArgs& a, int32_t b, float*) { return a.pool->V(a.layer, b); }
inline const uint16_t* BlockK(const AttentionArgs& a, int32_t b, uint16_t*) { return a.pool->K16(a.layer, b); }
inline const uint16_t* BlockV(const AttentionArgs& a, int32_t b, uint16_t*) { return a.pool->V16(a.layer, b); }

template <class E, int G, int NS>
void AttentionItem(const AttentionArgs& a, int64_t t, int64_t g, std::vector<float>* scores) {
  constexpr int KS = G >= 4 ? 2 : 8 / G;
  const int64_t d = a.dim;
  const AttentionToken& tok = a.tokens[t];
  const int64_t n = tok.position + 1;
  const int64_t nblocks = (n + 15) / 16;
  const int64_t padded = nblocks * 16;
  scores->resize(static_cast<size_t>(padded * G));
  float* sc = scores->data();  // [G][padded]
  const float* q0 = a.q + (t * a.heads + g * G) * d;
  const __m512 scale = _mm512_set1_ps(a.scale);
  // Scores: every head of the group from one pass over each key block ([d][16], transposed).
  // Each block's keys and values for this kv head are a few KB in a different place of the
  // pool: while one block is computed, the same lines of the next one are prefetched.
  auto block_k = [&](int64_t b) { return BlockK(a, (*tok.blocks)[static_cast<size_t>(b)], static_cast<E*>(nullptr)) + g * d * 16; };
  auto block_v = [&](int64_t b) { return BlockV(a, (*tok.blocks)[static_cast<size_t>(b)], static_cast<E*>(nullptr)) + g * 16 * d; };
  for (int64_t b = 0; b < nblocks; ++b) {
    const E* kt = block_k(b);
    const E* kn = block_k(b + 1 < nblocks ? b + 1 : b);
    __m512 acc[G][KS];
    for (int h = 0; h < G; ++h)
      for (int k = 0; k < KS; ++k) acc[h][k] = _mm512_setzero_ps();
    for (int64_t i = 0; i < d; i += KS) {  // d is a multiple of 16, so of KS
      for (int k = 0; k < KS; ++k) {
        __builtin_prefetch(kn + (i + k) * 16, 0, 3);
        const __m512 kr = Load16(kt + (i + k) * 16);
        for (int h = 0; h < G; ++h) acc[h][k] = _mm512_fmadd_ps(_mm512_set1_ps(q0[h * d + i + k]), kr, acc[h][k]);
      }
    }
    for (int h = 0; h < G; ++h) {
      __m512 sum = acc[h][0];
      for (int k = 1; k < KS; ++k) sum = _mm512_add_ps(sum, acc[h][k]);
      _mm512_storeu_ps(sc + h * padded + b * 16, _mm512_mul_ps(sum, scale));
    }
  }
  // Softmax per head over the n real positions; the padding gets weight 0.
  for (int h = 0; h < G; ++h) SoftmaxPadded(sc + h * padded, n, padded);
  // Weighted values: each value row ([16][d] per block) is read front to back and feeds every
  // head of the group; NS slices of each head's output stay in registers per pass.
  for (int64_t s0 = 0; s0 < d / 16; s0 += NS) {
    __m512 acc[G][NS];
    for (int h = 0; h < G; ++h)
      for (int s = 0; s < NS; ++s) acc[h][s] = _mm512_setzero_ps();
    for (int64_t b = 0; b < nblocks; ++b) {
      const E* vb = block_v(b) + s0 * 16;
      const E* vn = block_v(b + 1 < nblocks ? b + 1 : b) + s0 * 16;
      const float* p = sc + b * 16;
      for (int64_t l = 0; l < 16; ++l) {
        const E* row = vb + l * d;
        __m512 v[NS];
        for (int s = 0; s < NS; ++s) {
          __builtin_prefetch(vn + l * d + s * 16, 0, 3);
          v[s] = Load16(row + s * 16);
        }
        for (int h = 0; h < G; ++h) {
          const __m512 w = _mm512_set1_ps(p[h * padded + l]);
          for (int s = 0; s < NS; ++s) acc[h][s] = _mm512_fmadd_ps(w, v[s], acc[h][s]);
        }
      }
    }
    for (int h = 0; h < G; ++h) {
      float* o = a.out + (t * a.heads + g * G + h) * d + s0 * 16;
      for (int s = 0; s < NS; ++s) _mm512_storeu_ps(o + s * 16, acc[h][s]);
    }
  }
}

using ItemFn = void (*)(const AttentionArgs&, int64_t, int64_t, std::vector<float>*);

// The instantiation for a group size and head dim: NS the largest of 8, 4, 2, 1 that divides
// d / 16 and keeps G * NS accumulators + NS values within the 32 registers.
template <class E, int G>
ItemFn PickSlices(int64_t slices) {
  if constexpr (G * 8 + 8 <= 28) {
    if (slices % 8 == 0) return &AttentionItem<E, G, 8>;
  }
  if constexpr (G * 4 + 4 <= 28) {
    if (slices % 4 == 0) return &AttentionItem<E, G, 4>;
  }
  if (slices % 2 == 0) return &AttentionItem<E, G, 2>;
  return &AttentionItem<E, G, 1>;
}

template <class E>
ItemFn PickItem(int64_t group, int64_t slices) {
  switch (group) {
    case 1: return PickSlices<E, 1>(slices);
    case 2: return PickSlices<E, 2>(slices);
    case 3: return PickSlices<E, 3>(slices);
    case 4: return PickSlices<E, 4>(slices);
    case 5: return PickSlices<E, 5>(slices);
    case 6: return PickSlices<E, 6>(slices);
    case 7: return PickSlices<E, 7>(slices);
    case 8: return PickSlices<E, 8>(slices);
    default: return nullptr;
  }
}

}  // namespace

bool AttentionItemsAvx512(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  if (a.pool->shape().block_size != 16 || a.dim % 16 != 0) return false;
  const ItemFn item = a.pool->shape().dtype == DType::kF16 ? PickItem<uint16_t>(group, a.dim / 16)
                                                            : PickItem<float>(group, a.dim / 16);
  if (item == nullptr) return false;
  for (int64_t it = begin; it < end; ++it) item(a, it / a.kv_heads, it % a.kv_heads, scores);
  return true;
}

}  // namespace switchyard::cpu::internal
