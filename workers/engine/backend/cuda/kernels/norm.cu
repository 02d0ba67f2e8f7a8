#include "workers/engine/backend/cuda/kernels/norm.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/block_reduce.cuh"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

// One block per row. kAdd: x += add first (written back), then the norm of the sum. kVec: 4
// columns per step (n % 4 == 0, aligned pointers) or 1. Each thread reads back only the x
// columns it wrote itself, so the second pass needs no barrier beyond BlockSum's. x and y carry
// no __restrict__: y may be x.
template <class TOut, int kVec, bool kAdd>
__global__ void __launch_bounds__(1024) RmsNormKernel(float* x, const float* __restrict__ add,
                                                      const float* __restrict__ w, TOut* y, int n, float eps) {
  SY_SHARED(float, scratch, 32);
  const size_t row = static_cast<size_t>(blockIdx.x) * static_cast<size_t>(n);
  float* xr = x + row;
  TOut* yr = y + row;
  float ss = 0.0f;
  if constexpr (kVec == 4) {
    for (int i = 4 * static_cast<int>(threadIdx.x); i < n; i += 4 * static_cast<int>(blockDim.x)) {
      float4 v = Load4(xr + i);
      if constexpr (kAdd) {
        const float4 a = Load4(add + row + i);
        v = make_float4(v.x + a.x, v.y + a.y, v.z + a.z, v.w + a.w);
        *reinterpret_cast<float4*>(xr + i) = v;
      }
      ss += v.x * v.x + v.y * v.y + v.z * v.z + v.w * v.w;
    }
  } else {
    for (int i = static_cast<int>(threadIdx.x); i < n; i += static_cast<int>(blockDim.x)) {
      float v = xr[i];
      if constexpr (kAdd) {
        v += add[row + i];
        xr[i] = v;
      }
      ss += v * v;
    }
  }
  const float inv = rsqrtf(BlockSum(ss, scratch) / static_cast<float>(n) + eps);
  if constexpr (kVec == 4) {
    for (int i = 4 * static_cast<int>(threadIdx.x); i < n; i += 4 * static_cast<int>(blockDim.x)) {
      const float4 v = Load4(xr + i), g = Load4(w + i);
      Store4(yr + i, make_float4(g.x * (v.x * inv), g.y * (v.y * inv), g.z * (v.z * inv), g.w * (v.w * inv)));
    }
  } else {
    for (int i = static_cast<int>(threadIdx.x); i < n; i += static_cast<int>(blockDim.x)) Store1(yr + i, w[i] * (xr[i] * inv));
  }
}

// Whole warps, enough that each thread has a few steps, at most 512 (two blocks per SM fit).
unsigned Threads(int64_t steps) {
  const int64_t warps = (steps + 31) / 32;
  return static_cast<unsigned>(32 * (warps < 1 ? 1 : (warps > 16 ? 16 : warps)));
}

template <bool kAdd, class TOut>
absl::Status Run(const char* name, float* x, const float* add, const float* w, TOut* y, int64_t rows, int64_t n,
                 float eps, cudaStream_t stream) {
  if (rows < 0 || n <= 0 || n > (int64_t{1} << 30) || rows > 2147483647) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": rows=", rows, " n=", n, " out of range"));
  }
  if (rows == 0) return absl::OkStatus();
  const bool vec = n % 4 == 0 && Aligned(x, 16) && Aligned(w, 16) && (!kAdd || Aligned(add, 16)) &&
                   Aligned(y, 4 * sizeof(TOut));
  const dim3 grid(static_cast<unsigned>(rows));
  const int in = static_cast<int>(n);
  cudaError_t e;
  if (vec) {
    e = Launch<RmsNormKernel<TOut, 4, kAdd>>(grid, dim3(Threads(n / 4)), 0, stream, x, add, w, y, in, eps);
  } else {
    e = Launch<RmsNormKernel<TOut, 1, kAdd>>(grid, dim3(Threads(n)), 0, stream, x, add, w, y, in, eps);
  }
  return CudaOk(e, name);
}

}  // namespace

absl::Status RmsNorm(const float* x, const float* w, float* y, int64_t rows, int64_t n, float eps, cudaStream_t stream) {
  return Run<false>("RmsNorm", const_cast<float*>(x), nullptr, w, y, rows, n, eps, stream);  // not written: kAdd off
}

absl::Status RmsNorm(const float* x, const float* w, __nv_bfloat16* y, int64_t rows, int64_t n, float eps,
                     cudaStream_t stream) {
  return Run<false>("RmsNorm", const_cast<float*>(x), nullptr, w, y, rows, n, eps, stream);
}

absl::Status AddRmsNorm(float* x, const float* add, const float* w, float* y, int64_t rows, int64_t n, float eps,
                        cudaStream_t stream) {
  return Run<true>("AddRmsNorm", x, add, w, y, rows, n, eps, stream);
}

absl::Status AddRmsNorm(float* x, const float* add, const float* w, __nv_bfloat16* y, int64_t rows, int64_t n,
                        float eps, cudaStream_t stream) {
  return Run<true>("AddRmsNorm", x, add, w, y, rows, n, eps, stream);
}

}  // namespace switchyard::cuda
