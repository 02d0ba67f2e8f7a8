// Small kernels of the CUDA model runner (cuda_runner.h) that the model's ops do not need
// elsewhere: the bf16 split of f32 activations that lets cuBLAS multiply them with bf16
// weights, and the gather of the rows whose logits are wanted.
// Errors: InvalidArgument for bad shapes; the launch's error (CudaOk) otherwise. Asynchronous
// on `stream`, and CUDA-graph friendly (row indices are read from device memory).
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_RUNNER_KERNELS_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_RUNNER_KERNELS_H_

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

// split_bf16  hi[i] = bf16(x[i]), lo[i] = bf16(x[i] - f32(hi[i]))   (round to nearest even)
// x == hi + lo to within 2^-17 |x| (8 + 8 significant bits; the subtraction is exact).
// x: [n] f32   hi, lo: [n] bf16.   bytes: 8 * n   flops: n
absl::Status SplitBf16(const float* x, __nv_bfloat16* hi, __nv_bfloat16* lo, int64_t n, cudaStream_t stream);

// gather_rows  y[r, :] = x[rows[r], :]   x: [*, n] f32   rows: [count] int32 (device)   y: [count, n]
// bytes: 8 * count * n   flops: 0
absl::Status GatherRows(const float* x, const int32_t* rows, int64_t count, int64_t n, float* y, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_RUNNER_KERNELS_H_
