// RMSNorm kernels of the CUDA backend, the GPU twins of cpu::RmsNorm and cpu::AddRmsNorm
// (backend/cpu/ops.h), with the same arithmetic per element: y = w * (x * inv_rms). The
// residual stream x stays f32; y is f32 or bf16 (the input of the next bf16 GEMM).
//
// One block per row; each thread takes four columns per step with 16-byte loads when n % 4 == 0
// and every pointer is aligned for it, one column otherwise. The sum of squares is an f32 block
// reduction (the CPU sums in double): the two differ by a few f32 ulps of inv_rms.
// Errors: InvalidArgument for bad shapes; the launch's error (CudaOk) otherwise. Asynchronous
// on `stream`, like any kernel launch.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_NORM_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_NORM_H_

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

// rms_norm  y[r,:] = w * (x[r,:] * 1/sqrt(mean(x[r,:]^2) + eps))   x: [rows, n] f32  w: [n] f32
// bytes: 4 * (rows*n + n) + rows*n*sizeof(y)   flops: 4 * rows * n.  y may equal x (f32).
absl::Status RmsNorm(const float* x, const float* w, float* y, int64_t rows, int64_t n, float eps, cudaStream_t stream);
absl::Status RmsNorm(const float* x, const float* w, __nv_bfloat16* y, int64_t rows, int64_t n, float eps,
                     cudaStream_t stream);

// The residual add and the next RmsNorm in one pass: x[r,:] += add[r,:], then y[r,:] =
// RmsNorm(x[r,:]) with w.   x, add: [rows, n] f32   y: [rows, n]
// bytes: 4 * (3*rows*n + n) + rows*n*sizeof(y)   flops: 5 * rows * n
absl::Status AddRmsNorm(float* x, const float* add, const float* w, float* y, int64_t rows, int64_t n, float eps,
                        cudaStream_t stream);
absl::Status AddRmsNorm(float* x, const float* add, const float* w, __nv_bfloat16* y, int64_t rows, int64_t n,
                        float eps, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_NORM_H_
