#include "workers/engine/backend/cpu/ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace switchyard::cpu {

// Hot loops are compiled for AVX-512, AVX2 and the x86-64 baseline; the loader picks one per
// process from the CPU it runs on (GCC function multiversioning), so one binary uses the
// widest vectors the machine has. Each variant is deterministic; they may differ in the last
// bits from one another because their partial sums differ.
#if defined(__x86_64__) && !defined(__clang__)
#define SWITCHYARD_SIMD_CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define SWITCHYARD_SIMD_CLONES
#endif

// The helpers below are inlined into each multiversioned caller, so they vectorize per ISA.

// 1 / sqrt(mean(x^2) + eps); the sum of squares in double, so thousands of values stay exact
// enough.
__attribute__((always_inline)) inline float InvRms(const float* x, int64_t n, float eps) {
  double ss = 0.0;
  for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  return static_cast<float>(1.0 / std::sqrt(ss / static_cast<double>(n) + eps));
}

__attribute__((always_inline)) inline void ScaleRow(const float* x, const float* w, float inv, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = w[i] * (x[i] * inv);
}

// Rotate-half rotary embedding of one head: (a, b) = (v[i], v[i+half]) -> (a*c - b*s, b*c + a*s).
__attribute__((always_inline)) inline void RotateHalf(float* v, const float* c, const float* s, int64_t half) {
  for (int64_t i = 0; i < half; ++i) {
    const float a = v[i], b = v[i + half];
    v[i] = a * c[i] - b * s[i];
    v[i + half] = b * c[i] + a * s[i];
  }
}

SWITCHYARD_SIMD_CLONES void RmsNorm(const float* x, const float* w, float* y, int64_t rows, int64_t n, float eps) {
  for (int64_t r = 0; r < rows; ++r) ScaleRow(x + r * n, w, InvRms(x + r * n, n, eps), y + r * n, n);
}

SWITCHYARD_SIMD_CLONES void AddRmsNorm(float* x, const float* add, const float* w, float* y, int64_t rows, int64_t n,
                                       float eps) {
  for (int64_t r = 0; r < rows; ++r) {
    float* xr = x + r * n;
    const float* ar = add + r * n;
    for (int64_t i = 0; i < n; ++i) xr[i] += ar[i];  // the row is in L1 for the norm that follows
    ScaleRow(xr, w, InvRms(xr, n, eps), y + r * n, n);
  }
}

SWITCHYARD_SIMD_CLONES void Rope(float* x, int64_t rows, int64_t heads, int64_t dim, const float* cos, const float* sin) {
  const int64_t half = dim / 2;
  for (int64_t r = 0; r < rows; ++r) {
    const float* c = cos + r * half;
    const float* s = sin + r * half;
    for (int64_t h = 0; h < heads; ++h) RotateHalf(x + (r * heads + h) * dim, c, s, half);
  }
}

SWITCHYARD_SIMD_CLONES void HeadNormRope(float* x, const float* w, int64_t rows, int64_t heads, int64_t dim, float eps,
                                         const float* cos, const float* sin) {
  const int64_t half = dim / 2;
  for (int64_t r = 0; r < rows; ++r) {
    const float* c = cos + r * half;
    const float* s = sin + r * half;
    for (int64_t h = 0; h < heads; ++h) {
      float* v = x + (r * heads + h) * dim;  // one head: a few hundred bytes, in L1 throughout
      ScaleRow(v, w, InvRms(v, dim, eps), v, dim);
      RotateHalf(v, c, s, half);
    }
  }
}

SWITCHYARD_SIMD_CLONES void SiluMul(float* g, const float* u, int64_t n) {
  for (int64_t i = 0; i < n; ++i) g[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

SWITCHYARD_SIMD_CLONES void AddInPlace(float* y, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += x[i];
}

SWITCHYARD_SIMD_CLONES void AxpyInPlace(float* y, float a, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void ToF32(const void* src, DType t, float* dst, int64_t n) {
  switch (t) {
    case DType::kF32: std::memcpy(dst, src, static_cast<size_t>(n) * 4); return;
    case DType::kBF16: {
      const uint16_t* s = static_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < n; ++i) dst[i] = Bf16ToF32(s[i]);
      return;
    }
    case DType::kF16: {
      const uint16_t* s = static_cast<const uint16_t*>(src);
      for (int64_t i = 0; i < n; ++i) dst[i] = F16ToF32(s[i]);
      return;
    }
  }
}

void Softmax(float* x, int64_t n) {
  const float mx = *std::max_element(x, x + n);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);
    sum += x[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

SWITCHYARD_SIMD_CLONES float Dot(const float* a, const float* b, int64_t n) {
  // Sixteen partial sums: lets the compiler vectorize (one 512-bit or two 256-bit vectors)
  // without -ffast-math reassociation.
  float s[16] = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; ++j) s[j] += a[i + j] * b[i + j];
  for (int j = 0; j < 8; ++j) s[j] += s[j + 8];
  float t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; ++i) t += a[i] * b[i];
  return t;
}

void RouterTopK(float* logits, int64_t E, int64_t k, bool renormalize, int64_t* ids, float* weights,
                std::vector<int64_t>* order) {
  Softmax(logits, E);
  order->resize(static_cast<size_t>(E));
  std::iota(order->begin(), order->end(), 0);
  const float* p = logits;
  std::partial_sort(order->begin(), order->begin() + k, order->end(),
                    [p](int64_t a, int64_t b) { return p[a] != p[b] ? p[a] > p[b] : a < b; });
  float sum = 0.0f;
  for (int64_t j = 0; j < k; ++j) sum += p[(*order)[static_cast<size_t>(j)]];
  for (int64_t j = 0; j < k; ++j) {
    const int64_t e = (*order)[static_cast<size_t>(j)];
    ids[j] = e;
    weights[j] = renormalize ? p[e] / sum : p[e];
  }
}

}  // namespace switchyard::cpu
