// Host launchers of the kernels the emulator tests run (test_kernels.cu: correct kernels that
// exercise each CUDA feature; broken_kernels.cu: kernels with one deliberate bug each, selected
// by `variant`, whose variant 0 is the same kernel without the bug). All pointers are device
// pointers; each returns the launch's error.
#ifndef SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_KERNELS_H_
#define SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_KERNELS_H_

#include <cuda_runtime.h>

namespace switchyard::cuda::test {

// block_sums[b] = sum of block b's slice of x (blockDim.x a multiple of 32); *total += all of
// them through one atomicAdd per block.
cudaError_t BlockReduce(const int* x, int* block_sums, int* total, int n, int blocks, int threads, cudaStream_t s);

enum class Shuffle { kIdx, kUp, kDown, kXor };
// One warp; lane l starts with value 100 + l and writes the result of the shuffle to out[l].
cudaError_t WarpShuffle(Shuffle kind, int arg, int width, int* out);

// One warp; out[3 * l] = ballot, out[3 * l + 1] = any, out[3 * l + 2] = all of pred[] over
// the lanes of `mask` (lanes outside it write -1).
cudaError_t WarpVote(const int* pred, unsigned mask, unsigned* out);

// y[i] = x[n - 1 - i] through dynamic shared memory; one block of n threads, shmem bytes given.
cudaError_t ReverseDynamic(const float* x, float* y, int n, size_t shmem);

// hist[v % 16] counts over x: shared-memory atomics per block, then global atomics.
cudaError_t Histogram(const int* x, int n, int* hist, int blocks, int threads);

// Warp-synchronous exchange through shared memory ordered by __syncwarp alone:
// out[t] = 2 * t + 1 for t's neighbour in the warp.
cudaError_t SyncwarpExchange(int* out, int threads);

// x[i] = x[i] * a + b over n elements.
cudaError_t Affine(float* x, float a, float b, int n, cudaStream_t s);

// A 2-D grid of 2-D blocks: out[gy][gx] = linear ids computed from the built-ins.
cudaError_t Indexing(int* out, dim3 grid, dim3 block);

// --- broken_kernels.cu: variant 0 is correct, others have the bug named ---
// 1: a missing __syncthreads between writing s[t] and reading s[t - 1].
cudaError_t NeighbourSum(const float* x, float* y, int n, int variant);
// 1: a missing __syncthreads before overwriting shared memory others still read (write after read):
// y[t] = 2 * x[(t + 1) % n].
cudaError_t ReuseBuffer(const float* x, float* y, int n, int variant);
// 1: mask omits the calling lanes; 2: source lane outside the mask; 3: lanes at different
// shuffle calls; 4: full mask in a partial warp (blockDim 48).
cudaError_t BadShuffle(float* y, int variant);
// 1: static shared index one past the end; 2: dynamic shared memory smaller than the kernel uses.
cudaError_t OutOfBounds(const float* x, float* y, int variant);
// 1: some threads return before a __syncthreads; 2: two halves at different __syncthreads.
cudaError_t DivergentBarrier(float* y, int variant);
// 1: lane 0 waits at a shuffle its warp-mates never reach (they wait at __syncthreads).
cudaError_t Deadlock(float* y, int variant);
// 1: reads a shared element no thread ever writes.
cudaError_t Uninitialised(float* y, int variant);
// RmsNorm with a classic tail bug when variant is 1: the last n % 4 columns are not normalised.
cudaError_t TailBugRmsNorm(const float* x, const float* w, float* y, int rows, int n, float eps, int variant);

}  // namespace switchyard::cuda::test

#endif  // SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_KERNELS_H_
