// Kernels with one deliberate bug each, chosen by `variant` (0: the same kernel without the
// bug). They compile under nvcc too: each bug is a real CUDA mistake, not an emulator-only
// construct. The variant is uniform across the block, so branching on it is legal CUDA.
#include "tests/workers/engine/backend/cuda/test_kernels.h"
#include "workers/engine/backend/cuda/cuda_compat.h"

namespace switchyard::cuda::test {
namespace {

__global__ void NeighbourSumKernel(const float* x, float* y, int n, int variant) {
  SY_SHARED(float, s, 256);
  const int t = threadIdx.x;
  s[t] = x[t];
  if (variant == 0) __syncthreads();  // variant 1 forgets it
  y[t] = s[t] + (t > 0 ? static_cast<float>(s[t - 1]) : 0.0f);
}

__global__ void ReuseBufferKernel(const float* x, float* y, int n, int variant) {
  SY_SHARED(float, s, 256);
  const int t = threadIdx.x;
  s[t] = x[t];
  __syncthreads();
  const float next = s[(t + 1) % n];
  if (variant == 0) __syncthreads();  // variant 1 overwrites s[t] while thread t - 1 may not have read it
  s[t] = 2.0f * next;
  __syncthreads();
  y[t] = s[t];
}

__global__ void BadShuffleKernel(float* y, int variant) {
  const int lane = threadIdx.x % 32;
  float v = static_cast<float>(threadIdx.x);
  switch (variant) {
    case 1:  // every lane calls, but the mask names only the low half
      v = __shfl_xor_sync(0x0000ffffu, v, 1);
      break;
    case 2:  // the low half calls with its own mask but reads across into the high half
      if (lane < 16) v = __shfl_xor_sync(0x0000ffffu, v, 16);
      break;
    case 3:  // a full mask, but the halves of the warp are at two different calls
      if (lane < 16) {
        v = __shfl_xor_sync(0xffffffffu, v, 1);
      } else {
        v = __shfl_xor_sync(0xffffffffu, v, 2);
      }
      break;
    default: {  // right for any block size: the mask names exactly the lanes that exist
      const unsigned mask = __ballot_sync(__activemask(), 1);
      v = __shfl_xor_sync(mask, v, 0);
    }
  }
  y[threadIdx.x] = v;
}

__global__ void FullMaskShuffleKernel(float* y) {
  y[threadIdx.x] = __shfl_down_sync(0xffffffffu, static_cast<float>(threadIdx.x), 1);
}

__global__ void OutOfBoundsKernel(const float* x, float* y, int limit) {
  SY_SHARED(float, s, 32);
  const int t = threadIdx.x;
  if (t <= limit) s[t] = x[t];  // limit 32 writes s[32]
  __syncthreads();
  if (t < 32) y[t] = s[31 - t];
}

__global__ void DynamicOutOfBoundsKernel(const float* x, float* y) {
  SY_DYNAMIC_SHARED(float, tile);
  const int t = threadIdx.x;
  tile[t] = x[t];  // needs blockDim.x floats of dynamic shared memory
  __syncthreads();
  y[t] = tile[blockDim.x - 1 - t];
}

__global__ void DivergentBarrierKernel(float* y, int variant) {
  SY_SHARED(float, s, 64);
  const int t = threadIdx.x;
  if (variant == 1 && t >= 48) return;  // these threads never reach the barrier below
  s[t] = static_cast<float>(t);
  if (variant == 2 && t < 32) {
    __syncthreads();
  } else {
    __syncthreads();
  }
  y[t] = s[63 - t];
}

__global__ void DeadlockKernel(float* y, int variant) {
  float v = static_cast<float>(threadIdx.x);
  if (variant == 0 || threadIdx.x % 32 == 0) v = __shfl_sync(0xffffffffu, v, 0);  // variant 1: lane 0 alone
  __syncthreads();
  y[threadIdx.x] = v;
}

__global__ void UninitialisedKernel(float* y, int variant) {
  SY_SHARED(float, s, 64);
  const int t = threadIdx.x;
  if (variant == 0 || t != 7) s[t] = 1.0f;  // variant 1: element 7 is never written
  __syncthreads();
  y[t] = s[63 - t];
}

// One block per row; 4 columns per thread step. Variant 1 stops at the last full group of 4.
__global__ void TailBugRmsNormKernel(const float* x, const float* w, float* y, int n, float eps, int variant) {
  SY_SHARED(float, partial, 32);
  const float* xr = x + static_cast<size_t>(blockIdx.x) * n;
  float* yr = y + static_cast<size_t>(blockIdx.x) * n;
  const int end = variant == 1 ? n / 4 * 4 : n;
  float ss = 0.0f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) ss += xr[i] * xr[i];
  for (int o = 16; o > 0; o >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, o);
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = ss;
  __syncthreads();
  float total = 0.0f;
  for (int i = 0; i < static_cast<int>(blockDim.x / 32); ++i) total += partial[i];
  const float inv = rsqrtf(total / static_cast<float>(n) + eps);
  for (int i = threadIdx.x; i < end; i += blockDim.x) yr[i] = w[i] * (xr[i] * inv);
  for (int i = end + threadIdx.x; i < n; i += blockDim.x) yr[i] = xr[i];
}

}  // namespace

cudaError_t NeighbourSum(const float* x, float* y, int n, int variant) {
  return Launch<NeighbourSumKernel>(dim3(1), dim3(n), 0, nullptr, x, y, n, variant);
}

cudaError_t ReuseBuffer(const float* x, float* y, int n, int variant) {
  return Launch<ReuseBufferKernel>(dim3(1), dim3(n), 0, nullptr, x, y, n, variant);
}

cudaError_t BadShuffle(float* y, int variant) {
  if (variant == 4) return Launch<FullMaskShuffleKernel>(dim3(1), dim3(48), 0, nullptr, y);
  return Launch<BadShuffleKernel>(dim3(1), dim3(variant == 0 ? 48 : 32), 0, nullptr, y, variant);
}

cudaError_t OutOfBounds(const float* x, float* y, int variant) {
  if (variant == 2) return Launch<DynamicOutOfBoundsKernel>(dim3(1), dim3(64), 63 * sizeof(float), nullptr, x, y);
  if (variant == 3) return Launch<DynamicOutOfBoundsKernel>(dim3(1), dim3(64), 64 * sizeof(float), nullptr, x, y);
  return Launch<OutOfBoundsKernel>(dim3(1), dim3(64), 0, nullptr, x, y, variant == 1 ? 32 : 31);
}

cudaError_t DivergentBarrier(float* y, int variant) {
  return Launch<DivergentBarrierKernel>(dim3(1), dim3(64), 0, nullptr, y, variant);
}

cudaError_t Deadlock(float* y, int variant) { return Launch<DeadlockKernel>(dim3(1), dim3(64), 0, nullptr, y, variant); }

cudaError_t Uninitialised(float* y, int variant) {
  return Launch<UninitialisedKernel>(dim3(1), dim3(64), 0, nullptr, y, variant);
}

cudaError_t TailBugRmsNorm(const float* x, const float* w, float* y, int rows, int n, float eps, int variant) {
  return Launch<TailBugRmsNormKernel>(dim3(rows), dim3(128), 0, nullptr, x, w, y, n, eps, variant);
}

}  // namespace switchyard::cuda::test
