// Warp and block sums for the row kernels: warp shuffles (xor butterfly, so every lane ends
// with the same total), then one partial per warp through 32 floats of shared memory.
// Included by .cu files only.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_BLOCK_REDUCE_CUH_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_BLOCK_REDUCE_CUH_

#include "workers/engine/backend/cuda/cuda_compat.h"

namespace switchyard::cuda {

// REQUIRES: all 32 lanes of the warp call it.
__device__ __forceinline__ float WarpSum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// The sum of v over the block, returned to every thread, summed in the same order for all.
// REQUIRES: blockDim.x a multiple of 32 (whole warps), blockDim.y = blockDim.z = 1, every thread
// calls it. `scratch`: 32 floats of shared memory, reusable right after the call returns.
__device__ __forceinline__ float BlockSum(float v, SharedPtr<float> scratch) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  v = WarpSum(v);
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < static_cast<int>(blockDim.x / 32) ? static_cast<float>(scratch[lane]) : 0.0f;
  v = WarpSum(v);
  __syncthreads();  // every warp has read scratch before anyone may write it again
  return v;
}

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_BLOCK_REDUCE_CUH_
