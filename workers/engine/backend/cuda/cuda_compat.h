// What lets one .cu file be compiled both by nvcc (for the GPU) and by the host compiler
// against the CUDA emulator (for CI, where there is no GPU): the kernel launch and shared-memory
// declarations, the two things plain C++ cannot spell. Everything else in a kernel is ordinary
// CUDA C++ (threadIdx, __syncthreads, __shfl_xor_sync, atomicAdd, ...), which the emulator's
// <cuda_runtime.h> provides. Kernels contain no #ifdef of their own.
//
// Launch (replaces `kernel<<<grid, block, shmem, stream>>>(args...)`):
//   cudaError_t e = switchyard::cuda::Launch<RmsNormKernel<float, 4>>(grid, block, 0, stream, x, w, y, n, eps);
// returns the launch's error (cudaGetLastError afterwards). Under the emulator the kernel runs
// before Launch returns, and a fault inside it (a shared-memory race, a bad shuffle mask, ...)
// is the returned, sticky error, whose cudaGetErrorString names the thread and the line.
//
// Shared memory (replaces `__shared__ T name[n]` and `extern __shared__ T name[]`):
//   SY_SHARED(float, partial, 32);    // static, n elements
//   SY_DYNAMIC_SHARED(float, buf);    // sized by the launch's shmem argument
//   float v = partial[i];             // use like an array; pass as SharedPtr<float>
// Under nvcc these are the plain declarations; under the emulator, per-block arrays whose every
// access is checked for bounds, uninitialised reads and races (see emu/shared_memory.h for the
// few things they cannot do: no member access through an element, no `auto v = s[i]`).
//
// Loop unrolling (replaces `#pragma unroll` and `#pragma unroll N`, which the host compiler
// would warn about): SY_UNROLL_ALL or SY_UNROLL(4) on the line before the loop; nothing under
// the emulator, where unrolling changes no result.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_COMPAT_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_COMPAT_H_

#include <cuda_runtime.h>

#include <utility>

namespace switchyard::cuda {

#if defined(__CUDACC__)

template <class T>
using SharedPtr = T*;

template <auto kKernel, class... Args>
cudaError_t Launch(dim3 grid, dim3 block, size_t shmem, cudaStream_t stream, Args&&... args) {
  kKernel<<<grid, block, shmem, stream>>>(std::forward<Args>(args)...);
  return cudaGetLastError();
}

#define SY_SHARED(T, name, n) __shared__ T name[n]
#define SY_PRAGMA(x) _Pragma(#x)
#define SY_UNROLL(n) SY_PRAGMA(unroll n)
#define SY_UNROLL_ALL SY_PRAGMA(unroll)
#define SY_DYNAMIC_SHARED(T, name)                                    \
  extern __shared__ __align__(16) unsigned char sy_dynamic_##name[]; \
  T* name = reinterpret_cast<T*>(sy_dynamic_##name)

#elif defined(SWITCHYARD_CUDA_EMULATION)

template <class T>
using SharedPtr = ::switchyard::emu::SharedPtr<T>;

template <auto kKernel, class... Args>
cudaError_t Launch(dim3 grid, dim3 block, size_t shmem, cudaStream_t stream, Args&&... args) {
  // __PRETTY_FUNCTION__ names kKernel, so faults can say which kernel they come from.
  return ::switchyard::emu::LaunchKernel(kKernel, __PRETTY_FUNCTION__, grid, block, shmem, stream,
                                         std::forward<Args>(args)...);
}

// The lambda gives every declaration (and every template instantiation) its own key.
#define SY_SHARED(T, name, n)                                                   \
  ::switchyard::emu::SharedPtr<T> name = ::switchyard::emu::StaticShared<T>(    \
      (n), #name, __FILE__, __LINE__, [] {                                      \
        static const char sy_key = 0;                                           \
        return static_cast<const void*>(&sy_key);                               \
      }())
#define SY_DYNAMIC_SHARED(T, name) \
  ::switchyard::emu::SharedPtr<T> name = ::switchyard::emu::DynamicShared<T>(#name, __FILE__, __LINE__)
#define SY_UNROLL(n)
#define SY_UNROLL_ALL

#else
#error "cuda_compat.h is for .cu files: compile them with nvcc, or with the emulator's <cuda_runtime.h> first"
#endif

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_COMPAT_H_
