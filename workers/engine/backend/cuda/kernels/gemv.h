// The decode matrix-vector product of the CUDA backend (bench/RESULTS.md, "CUDA backend on
// paper": cuBLAS for prefill, a custom GEMV for decode, where every weight byte is read once and
// bandwidth is the limit). The GPU twin of cpu::Matmul (backend/cpu/matmul.h) for bf16 weights
// and a few tokens.
//
// One warp per output row, four rows per block. Each lane reads 16 bytes (8 bf16) of the row
// per step, a warp 512 contiguous bytes, and multiplies them into all T tokens' f32
// accumulators, so each weight is read once whatever T is (x, at most 8 rows, comes from L1/L2).
// Rows whose start is not 16-byte aligned (K % 8 != 0) take their first values before the
// boundary and the last K - body values one per lane; activations are read 16 bytes at a time
// when they are aligned for it, one value at a time otherwise. The warp then sums each token's
// 32 partials with shuffles (no shared memory, no barriers).
//
// Summation order: each lane sums about K/32 products in sequence, then a 5-level tree: the
// result is within (K/32 + 8) * 2^-24 * sum_k |x[t,k] w[m,k]| of the exact dot product
// (Higham's gamma_n bound), as cpu::Matmul's f32 sums are within their own chain length.
// Errors: InvalidArgument for bad shapes (T must be 1..kGemvMaxTokens); the launch's error
// otherwise. Asynchronous on `stream`.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_GEMV_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_GEMV_H_

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace switchyard::cuda {

inline constexpr int64_t kGemvMaxTokens = 8;

// gemv  y[t, m] = sum_k x[t, k] * w[m, k]   x: [T, K] f32   w: [M, K] bf16   y: [T, M] f32
// bytes: 2*M*K + 4*T*K + 4*T*M   flops: 2*T*M*K
absl::Status Gemv(const float* x, int64_t T, int64_t K, const __nv_bfloat16* w, int64_t M, float* y,
                  cudaStream_t stream);

// Several products of the same x in one launch (q, k and v; gate and up): one grid over all
// their rows, so the launch's ramp-up and tail are paid once and the small matrices stream
// alongside the large one. Each y is exactly what Gemv gives for its product (the same walk of
// each row). Errors as Gemv's, and InvalidArgument for 0 or more than kGemvManyMax products.
inline constexpr int64_t kGemvManyMax = 3;
struct GemvProduct {
  const __nv_bfloat16* w = nullptr;  // [M, K] bf16
  int64_t M = 0;
  float* y = nullptr;  // [T, M] f32
};
absl::Status GemvMany(const float* x, int64_t T, int64_t K, absl::Span<const GemvProduct> products,
                      cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_GEMV_H_
