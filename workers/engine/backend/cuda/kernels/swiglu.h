// The SwiGLU activation of the CUDA backend, the GPU twin of cpu::SiluMul (backend/cpu/ops.h):
// out = g / (1 + exp(-g)) * u elementwise, with expf (CUDA's: within 2 ulp) and IEEE division,
// out f32 (may be g itself) or bf16 (the input of the down projection). Grid-stride, four
// elements per step with 16-byte loads when n % 4 == 0 and the pointers allow it.
// Errors: InvalidArgument for n < 0; the launch's error otherwise.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SWIGLU_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SWIGLU_H_

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

// swiglu  out[i] = silu(g[i]) * u[i]   g, u: [n] f32   bytes: 8 * n + n * sizeof(out)   flops: ~6 * n
absl::Status SiluMul(const float* g, const float* u, float* out, int64_t n, cudaStream_t stream);
absl::Status SiluMul(const float* g, const float* u, __nv_bfloat16* out, int64_t n, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SWIGLU_H_
