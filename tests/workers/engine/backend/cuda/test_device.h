// The CUDA runner tests are built twice from one source: against the CUDA emulator (always; CI
// runs these) and, when SWITCHYARD_CUDA, against the real CUDA runtime and the nvcc-built
// kernels (the *_gpu tests, label `gpu`, which scripts/gpu_check/run.sh runs on a lent GPU).
// Where no device answers, the real-runtime builds skip naming the driver's reason.
#ifndef SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_DEVICE_H_
#define SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_DEVICE_H_

#include <cuda_runtime.h>

#include <cstddef>

#include "gtest/gtest.h"

namespace switchyard::testing {

#ifdef SWITCHYARD_TEST_ON_GPU
inline constexpr bool kOnRealGpu = true;
#else
inline constexpr bool kOnRealGpu = false;
#endif

// The emulator runs a step in ~0.3 s, so its builds check every third reference prompt; a GPU
// checks them all.
inline constexpr size_t kReferencePromptStride = kOnRealGpu ? 1 : 3;

}  // namespace switchyard::testing

// Skips the current test unless a CUDA device answers (the emulator always has device 0).
#define SWITCHYARD_REQUIRE_CUDA_DEVICE()                                                  \
  do {                                                                                    \
    int count_ = 0;                                                                       \
    const cudaError_t error_ = cudaGetDeviceCount(&count_);                               \
    if (error_ != cudaSuccess || count_ == 0) {                                           \
      GTEST_SKIP() << "no CUDA device: "                                                  \
                   << (error_ != cudaSuccess ? cudaGetErrorString(error_) : "none visible"); \
    }                                                                                     \
  } while (0)

#endif  // SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_TEST_DEVICE_H_
