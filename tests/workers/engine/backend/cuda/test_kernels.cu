// Correct kernels, one per CUDA feature the emulator provides; see test_kernels.h.
#include "tests/workers/engine/backend/cuda/test_kernels.h"
#include "workers/engine/backend/cuda/cuda_compat.h"

namespace switchyard::cuda::test {
namespace {

__device__ __forceinline__ int WarpSum(int v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  return v;
}

__global__ void BlockReduceKernel(const int* x, int* block_sums, int* total, int n) {
  SY_SHARED(int, partial, 32);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  int s = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += x[i];
  s = WarpSum(s);
  if (lane == 0) partial[warp] = s;
  __syncthreads();
  if (warp == 0) {
    const int warps = blockDim.x / 32;
    s = lane < warps ? static_cast<int>(partial[lane]) : 0;
    s = WarpSum(s);
    if (lane == 0) {
      block_sums[blockIdx.x] = s;
      atomicAdd(total, s);
    }
  }
}

__global__ void WarpShuffleKernel(int kind, int arg, int width, int* out) {
  const int lane = threadIdx.x;
  const int v = 100 + lane;
  int r = 0;
  switch (kind) {
    case 0: r = __shfl_sync(0xffffffffu, v, arg, width); break;
    case 1: r = __shfl_up_sync(0xffffffffu, v, static_cast<unsigned>(arg), width); break;
    case 2: r = __shfl_down_sync(0xffffffffu, v, static_cast<unsigned>(arg), width); break;
    default: r = __shfl_xor_sync(0xffffffffu, v, arg, width); break;
  }
  out[lane] = r;
}

__global__ void WarpVoteKernel(const int* pred, unsigned mask, unsigned* out) {
  const int lane = threadIdx.x;
  if ((mask >> lane) & 1u) {
    const int p = pred[lane];
    out[3 * lane] = __ballot_sync(mask, p);
    out[3 * lane + 1] = static_cast<unsigned>(__any_sync(mask, p));
    out[3 * lane + 2] = static_cast<unsigned>(__all_sync(mask, p));
  } else {
    out[3 * lane] = out[3 * lane + 1] = out[3 * lane + 2] = 0xffffffffu;
  }
}

__global__ void ReverseDynamicKernel(const float* x, float* y, int n) {
  SY_DYNAMIC_SHARED(float, buf);
  const int t = threadIdx.x;
  if (t < n) buf[t] = x[t];
  __syncthreads();
  if (t < n) y[t] = buf[n - 1 - t];
}

__global__ void HistogramKernel(const int* x, int n, int* hist) {
  SY_SHARED(int, local, 16);
  if (threadIdx.x < 16) local[threadIdx.x] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&local[x[i] % 16], 1);
  __syncthreads();
  if (threadIdx.x < 16) atomicAdd(&hist[threadIdx.x], static_cast<int>(local[threadIdx.x]));
}

__global__ void SyncwarpExchangeKernel(int* out) {
  SY_SHARED(int, slot, 1024);
  const int t = threadIdx.x, lane = t % 32;
  slot[t] = 2 * t + 1;
  __syncwarp();  // orders the warp's writes before its reads: no block barrier needed
  const int neighbour = t - lane + (lane + 1) % 32;
  out[t] = slot[neighbour];
}

__global__ void AffineKernel(float* x, float a, float b, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] = x[i] * a + b;
}

__global__ void IndexingKernel(int* out) {
  const int gx = blockIdx.x * blockDim.x + threadIdx.x;
  const int gy = blockIdx.y * blockDim.y + threadIdx.y;
  const int width = gridDim.x * blockDim.x;
  out[gy * width + gx] = (blockIdx.y * gridDim.x + blockIdx.x) * 1000 + threadIdx.y * blockDim.x + threadIdx.x;
}

}  // namespace

cudaError_t BlockReduce(const int* x, int* block_sums, int* total, int n, int blocks, int threads, cudaStream_t s) {
  return Launch<BlockReduceKernel>(dim3(blocks), dim3(threads), 0, s, x, block_sums, total, n);
}

cudaError_t WarpShuffle(Shuffle kind, int arg, int width, int* out) {
  return Launch<WarpShuffleKernel>(dim3(1), dim3(32), 0, nullptr, static_cast<int>(kind), arg, width, out);
}

cudaError_t WarpVote(const int* pred, unsigned mask, unsigned* out) {
  return Launch<WarpVoteKernel>(dim3(1), dim3(32), 0, nullptr, pred, mask, out);
}

cudaError_t ReverseDynamic(const float* x, float* y, int n, size_t shmem) {
  return Launch<ReverseDynamicKernel>(dim3(1), dim3(n), shmem, nullptr, x, y, n);
}

cudaError_t Histogram(const int* x, int n, int* hist, int blocks, int threads) {
  return Launch<HistogramKernel>(dim3(blocks), dim3(threads), 0, nullptr, x, n, hist);
}

cudaError_t SyncwarpExchange(int* out, int threads) {
  return Launch<SyncwarpExchangeKernel>(dim3(1), dim3(threads), 0, nullptr, out);
}

cudaError_t Affine(float* x, float a, float b, int n, cudaStream_t s) {
  return Launch<AffineKernel>(dim3((n + 127) / 128), dim3(128), 0, s, x, a, b, n);
}

cudaError_t Indexing(int* out, dim3 grid, dim3 block) { return Launch<IndexingKernel>(grid, block, 0, nullptr, out); }

}  // namespace switchyard::cuda::test
