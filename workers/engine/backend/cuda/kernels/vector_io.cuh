// 16-byte loads and the matching stores of f32 or bf16 outputs, for kernels that take four
// columns per step when the row length and every pointer allow it. Included by .cu files only.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_VECTOR_IO_CUH_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_VECTOR_IO_CUH_

#include <cuda_bf16.h>

#include <cstdint>

#include "workers/engine/backend/cuda/cuda_compat.h"

namespace switchyard::cuda {

struct alignas(8) Bf16x4 {
  __nv_bfloat162 lo, hi;
};

// REQUIRES: p 16-byte aligned.
__device__ __forceinline__ float4 Load4(const float* p) { return *reinterpret_cast<const float4*>(p); }

__device__ __forceinline__ void Store1(float* p, float v) { *p = v; }
__device__ __forceinline__ void Store1(__nv_bfloat16* p, float v) { *p = __float2bfloat16(v); }

// REQUIRES: p aligned to 4 elements (16 bytes for f32, 8 for bf16).
__device__ __forceinline__ void Store4(float* p, float4 v) { *reinterpret_cast<float4*>(p) = v; }
__device__ __forceinline__ void Store4(__nv_bfloat16* p, float4 v) {
  *reinterpret_cast<Bf16x4*>(p) = Bf16x4{__floats2bfloat162_rn(v.x, v.y), __floats2bfloat162_rn(v.z, v.w)};
}

// Host side: may a kernel use 4-wide accesses of `bytes_per_4` bytes at p?
inline bool Aligned(const void* p, uintptr_t bytes_per_4) { return reinterpret_cast<uintptr_t>(p) % bytes_per_4 == 0; }

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_VECTOR_IO_CUH_
