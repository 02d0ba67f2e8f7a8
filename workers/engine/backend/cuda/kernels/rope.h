// Rotary embedding kernels of the CUDA backend, the GPU twins of cpu::Rope and
// cpu::HeadNormRope (backend/cpu/ops.h): rotate-half layout, cos/sin rows given per token (as
// RopeTable::Fill makes them), in place on f32 q or k.
//
// One warp per (token, head): lane l takes the pairs (i, i + dim/2) for i = l, l + 32, ..., so
// the warp reads each head's dim values coalesced, sums squares with shuffles (no shared
// memory, no __syncthreads) and rotates in registers. Compilers may fuse a*c - b*s into an FMA
// (nvcc does; so does GCC in the CPU op's AVX2 and AVX-512 clones), so the two backends agree to
// about one rounding of each product, not bit for bit.
// Errors: InvalidArgument for bad shapes (dim must be even); the launch's error otherwise.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ROPE_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ROPE_H_

#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

// rope  (a, b) = (x[i], x[i+dim/2]) -> (a*c - b*s, b*c + a*s)   x: [rows, heads, dim] f32 in place
// cos, sin: [rows, dim/2].   bytes: 4 * (2*rows*heads*dim + rows*dim)   flops: 3 * rows * heads * dim
absl::Status Rope(float* x, int64_t rows, int64_t heads, int64_t dim, const float* cos, const float* sin,
                  cudaStream_t stream);

// Qwen3's per-head q/k RmsNorm (weights w: [dim]) then Rope, in one pass over each head.
// bytes: as Rope, plus 4 * dim   flops: 7 * rows * heads * dim
absl::Status HeadNormRope(float* x, const float* w, int64_t rows, int64_t heads, int64_t dim, float eps,
                          const float* cos, const float* sin, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_ROPE_H_
