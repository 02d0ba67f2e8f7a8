// Matmul: y[t, m] = sum_k x[t, k] * w[m, k], the linear layers of the model.
//
//   x: [T, K] f32 activations    w: [M, K] bf16 | f16 | f32 weights, as torch stores Linear
//   y: [T, M] f32 (overwritten)
// bytes: M*K*sizeof(w) + T*K*4 + T*M*4     flops: 2*T*M*K
// Threads share M (static ranges, or chunks through ThreadPool::Share); each streams its weight rows once per block of tokens, converting bf16/f16
// to f32 in registers (bf16 as even/odd pairs, see matmul_kernel.h), with f32 accumulation.
// Decode (T = 1) is a matrix-vector product bound by memory bandwidth, the next rows
// prefetched; batches and prefill tile rows x tokens so converted weights are reused from
// registers. A token's result does not depend on the other tokens of the call.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_H_

#include <cstdint>

#include "workers/engine/backend/cpu/cpu_features.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/util/dtype.h"

namespace switchyard {

struct MatmulArgs {
  const float* x;
  int64_t T;
  int64_t K;
  const void* w;
  DType wtype;
  int64_t M;
  float* y;
  int64_t x_stride = 0;  // elements between rows of x; 0 means K
  int64_t y_stride = 0;  // elements between rows of y; 0 means M
  // bf16 weights only: round x to bf16 (F32ToBf16Daz) before the products, as llama.cpp does
  // for bf16 weights. The products are then exact in f32 and AVX512_BF16 CPUs compute two of
  // them per lane and instruction (vdpbf16ps), twice the FMA rate of the f32 path. Costs
  // about 2^-9 relative per activation; off by default (the fixtures' logits hold to 1e-3
  // only with f32 activations). A token's result still does not depend on the other tokens.
  bool bf16_activations = false;
  // Nonzero: a promise that x holds the same values in every call on this thread that carries
  // this value (the chunks of one product taken by one thread, ThreadPool::Share), so a kernel
  // may reuse what it derived from x in the previous call (the bf16 kernel's rounded copy)
  // instead of redoing it per chunk. 0: no promise.
  uint64_t x_version = 0;
};

// A fresh MatmulArgs::x_version for this thread (never 0, never repeated on the thread).
uint64_t NextActivationVersion();

void Matmul(const MatmulArgs& a, ThreadPool& pool, SimdLevel level = SimdLevel::kAuto);

// One thread's share: rows [m_begin, m_end) of the output, all tokens.
void MatmulRows(const MatmulArgs& a, int64_t m_begin, int64_t m_end, SimdLevel level);

namespace internal {
// One activation as the products see it (MatmulArgs::bf16_activations); every kernel family
// rounds through here or through vcvtne2ps2bf16, which rounds alike.
inline float Activation(float x, bool bf16_activations) {
  return bf16_activations ? Bf16ToF32(F32ToBf16Daz(x)) : x;
}

void MatmulRowsScalar(const MatmulArgs& a, int64_t m_begin, int64_t m_end);
void MatmulRowsAvx2(const MatmulArgs& a, int64_t m_begin, int64_t m_end);
void MatmulRowsAvx512(const MatmulArgs& a, int64_t m_begin, int64_t m_end);
// bf16 weights with bf16_activations on a CPU with AVX512_BF16.
void MatmulRowsAvx512Bf16(const MatmulArgs& a, int64_t m_begin, int64_t m_end);
}  // namespace internal

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_MATMUL_H_
