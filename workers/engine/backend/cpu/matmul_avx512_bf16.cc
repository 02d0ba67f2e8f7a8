// The matmul with bf16 activations on AVX512_BF16 CPUs (MatmulArgs::bf16_activations, bf16
// weights). Compiled with -mavx512f -mavx512bw -mavx512bf16 and only called after
// HostCpuFeatures() said the CPU has them.
//
// Each token's activations are rounded to bf16 once per call (vcvtne2ps2bf16, natural order),
// and vdpbf16ps multiplies 32 of them by 32 weights as loaded, adding adjacent pairs into 16
// f32 lanes: no weight conversion at all and two products per lane and instruction, where the
// f32 path (matmul_kernel.h) spends two integer ops per 32 weights and one FMA per product.
// Every output's sum runs through the same instructions in the same order whatever the
// blocking, so a token's result does not depend on the other tokens of the call.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "workers/engine/backend/cpu/avx512_sum.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/matmul_kernel.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::internal {
namespace {

constexpr int64_t kLanes = 32;  // bf16 values per 512-bit register
// Register blocks, measured with switchyard-bench-matmul: see kRows/kTokens below.
constexpr int kRows = 4;
constexpr int kTokens = 4;     // 16 accumulators + 4 weight + 1 input registers of 32
constexpr int kMatvecRows = 1;  // one row at a time, weights in address order (see matmul_avx512.cc)
// The matrix-vector product issues no software prefetch: with one vdpbf16ps per 64 bytes the
// loop is light enough for the hardware prefetcher alone to keep the stream full, and the
// prefetch instructions only crowded the load queue. Real decode steps, A/B in one process,
// each step paired with a read of all weight pages (2026-12-01, 2 threads, 512 cached
// positions): 0.706 -> 0.744, 0.775 -> 0.816 and 0.709 -> 0.798 of the read's rate, medians
// of about 120 steps each. The f32-activation kernel (matmul_kernel.h), with two FMAs and
// two integer ops per 64 bytes, measured the other way (0.656 -> 0.685 with the prefetch) and
// keeps it.

inline __m512bh LoadBh(const uint16_t* p) { return reinterpret_cast<__m512bh>(_mm512_loadu_si512(p)); }

// x[0, kv) as bf16 in natural order: cvtne2ps_pbh puts its second operand in the low half.
void RoundRow(const float* x, int64_t kv, uint16_t* out) {
  for (int64_t k = 0; k < kv; k += kLanes) {
    const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + k + 16), _mm512_loadu_ps(x + k));
    _mm512_store_si512(out + k, reinterpret_cast<__m512i>(v));
  }
}

// RB rows x TB tokens from the rounded activations xb (row stride kv) for k < kv; the tail
// k >= kv rounds each activation with F32ToBf16Daz, the same rounding as RoundRow.
// Rows [p0, p1) of the next RB-row block are prefetched along the way, one cache line per k
// step (see Tokens for how the rows are spread over the token blocks).
template <int RB, int TB>
inline void Block(const MatmulArgs& a, int64_t m0, int64_t t0, const uint16_t* xb, int64_t kv, int64_t xs,
                  int64_t ys, int p0 = 0, int p1 = 0) {
  const uint16_t* w = static_cast<const uint16_t*>(a.w);
  const int64_t K = a.K;
  const uint16_t* next = w + PrefetchRow<RB>(m0, a.M) * K;
  __m512 acc[RB][TB];
  for (int r = 0; r < RB; ++r)
    for (int t = 0; t < TB; ++t) acc[r][t] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kv; k += kLanes) {
    __m512bh wv[RB];
    for (int r = 0; r < RB; ++r) wv[r] = LoadBh(w + (m0 + r) * K + k);
    for (int r = p0; r < p1; ++r) __builtin_prefetch(next + r * K + k, 0, 3);
    for (int t = 0; t < TB; ++t) {
      const __m512bh xv = LoadBh(xb + t * kv + k);
      for (int r = 0; r < RB; ++r) acc[r][t] = _mm512_dpbf16_ps(acc[r][t], wv[r], xv);
    }
  }
  if constexpr (RB == 4 && TB == 4) {
    if (kv == K) return StoreHorizontalSums4x4(&acc[0][0], a.y + t0 * ys + m0, ys);
  }
  for (int r = 0; r < RB; ++r) {
    for (int t = 0; t < TB; ++t) {
      float s = HorizontalSum(acc[r][t]);
      const float* x = a.x + (t0 + t) * xs;
      for (int64_t k = kv; k < K; ++k) s += Activation(x[k], true) * Bf16ToF32(w[(m0 + r) * K + k]);
      a.y[(t0 + t) * ys + m0 + r] = s;
    }
  }
}

// RB rows for tokens [t0, t1); the next RB rows are prefetched as in Bf16PairTokens.
template <int RB>
inline void Tokens(const MatmulArgs& a, int64_t m, int64_t t0, int64_t t1, const uint16_t* xb, int64_t kv, int64_t xs,
                   int64_t ys) {
  const int64_t blocks = TokenBlocks<kTokens>(t1 - t0);
  auto rows = [&](int64_t b) { return PrefetchRows<RB>(b, blocks); };
  int64_t t = t0, j = 0;
  for (; t + kTokens <= t1; t += kTokens, ++j) {
    const auto [p0, p1] = rows(j);
    Block<RB, kTokens>(a, m, t, xb + (t - t0) * kv, kv, xs, ys, p0, p1);
  }
  for (; t + 2 <= t1; t += 2, ++j) {
    const auto [p0, p1] = rows(j);
    Block<RB, 2>(a, m, t, xb + (t - t0) * kv, kv, xs, ys, p0, p1);
  }
  for (; t < t1; ++t, ++j) {
    const auto [p0, p1] = rows(j);
    Block<RB, 1>(a, m, t, xb + (t - t0) * kv, kv, xs, ys, p0, p1);
  }
}

}  // namespace

void MatmulRowsAvx512Bf16(const MatmulArgs& a, int64_t m_begin, int64_t m_end) {
  const int64_t xs = a.x_stride ? a.x_stride : a.K;
  const int64_t ys = a.y_stride ? a.y_stride : a.M;
  const int64_t kv = a.K - a.K % kLanes;
  // One buffer per thread, grown to the largest chunk seen: no allocation per token. Rows
  // start on cache lines (kv is a multiple of 32 bf16 values, one line).
  thread_local std::vector<uint16_t> rounded;
  // What `rounded` holds when a whole call fits in one token chunk: the rounding is skipped
  // when the next call promises the same x (MatmulArgs::x_version), e.g. the next chunk of
  // rows of the same product, where it would cost 2/rows of the products' instructions.
  struct Held {
    const float* x = nullptr;
    int64_t T = 0, K = 0, xs = 0;
    uint64_t version = 0;
    bool operator==(const Held&) const = default;
  };
  thread_local Held held;
  constexpr size_t kLine = 64 / sizeof(uint16_t);
  for (int64_t t0 = 0; t0 < a.T; t0 += kTokenChunk) {
    const int64_t t1 = std::min(a.T, t0 + kTokenChunk);
    if (rounded.size() < static_cast<size_t>((t1 - t0) * kv) + kLine) rounded.resize((t1 - t0) * kv + kLine);
    uint16_t* xb = rounded.data();
    xb += (kLine - (reinterpret_cast<uintptr_t>(xb) / sizeof(uint16_t)) % kLine) % kLine;
    const Held now{a.x, a.T, a.K, xs, a.x_version};
    if (a.x_version == 0 || a.T > kTokenChunk || !(now == held)) {
      for (int64_t t = t0; t < t1; ++t) RoundRow(a.x + t * xs, kv, xb + (t - t0) * kv);
      held = a.x_version != 0 && a.T <= kTokenChunk ? now : Held{};
    }
    if (a.T == 1) {
      int64_t m = m_begin;
      for (; m + kMatvecRows <= m_end; m += kMatvecRows) Block<kMatvecRows, 1>(a, m, 0, xb, kv, xs, ys);
      for (; m < m_end; ++m) Block<1, 1>(a, m, 0, xb, kv, xs, ys);
      return;
    }
    int64_t m = m_begin;
    for (; m + kRows <= m_end; m += kRows) Tokens<kRows>(a, m, t0, t1, xb, kv, xs, ys);
    for (; m < m_end; ++m) Tokens<1>(a, m, t0, t1, xb, kv, xs, ys);
  }
}

}  // namespace switchyard::internal
