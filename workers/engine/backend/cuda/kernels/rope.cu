#include "workers/engine/backend/cuda/kernels/rope.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/block_reduce.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kWarpsPerBlock = 4;

// One warp per (row, head); warps past the last head leave together, so every shuffle has its
// full warp.
template <bool kNorm>
__global__ void __launch_bounds__(32 * kWarpsPerBlock)
    RopeKernel(float* __restrict__ x, const float* __restrict__ w, int heads, int dim, int64_t items, float eps,
               const float* __restrict__ cos, const float* __restrict__ sin) {
  const int64_t item = static_cast<int64_t>(blockIdx.x) * kWarpsPerBlock + threadIdx.x / 32;
  if (item >= items) return;
  const int lane = threadIdx.x % 32, half = dim / 2;
  float* v = x + item * dim;
  const int64_t row = item / heads;
  const float* c = cos + row * half;
  const float* s = sin + row * half;
  float inv = 1.0f;
  if constexpr (kNorm) {
    float ss = 0.0f;
    for (int i = lane; i < dim; i += 32) ss += v[i] * v[i];
    inv = rsqrtf(WarpSum(ss) / static_cast<float>(dim) + eps);
  }
  for (int i = lane; i < half; i += 32) {
    float a = v[i], b = v[i + half];
    if constexpr (kNorm) {
      a = w[i] * (a * inv);
      b = w[i + half] * (b * inv);
    }
    v[i] = a * c[i] - b * s[i];
    v[i + half] = b * c[i] + a * s[i];
  }
}

template <bool kNorm>
absl::Status Run(const char* name, float* x, const float* w, int64_t rows, int64_t heads, int64_t dim, float eps,
                 const float* cos, const float* sin, cudaStream_t stream) {
  if (rows < 0 || heads <= 0 || dim <= 0 || dim % 2 != 0 || dim > (1 << 20) || heads > (1 << 20)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": rows=", rows, " heads=", heads, " dim=", dim,
                                                   " (dim must be even and positive)"));
  }
  const int64_t items = rows * heads;
  const int64_t blocks = (items + kWarpsPerBlock - 1) / kWarpsPerBlock;
  if (blocks > 2147483647) return absl::InvalidArgumentError(absl::StrCat(name, ": ", items, " heads is too many"));
  if (items == 0) return absl::OkStatus();
  return CudaOk(Launch<RopeKernel<kNorm>>(dim3(static_cast<unsigned>(blocks)), dim3(32 * kWarpsPerBlock), 0, stream, x,
                                          w, static_cast<int>(heads), static_cast<int>(dim), items, eps, cos, sin),
                name);
}

}  // namespace

absl::Status Rope(float* x, int64_t rows, int64_t heads, int64_t dim, const float* cos, const float* sin,
                  cudaStream_t stream) {
  return Run<false>("Rope", x, nullptr, rows, heads, dim, 0.0f, cos, sin, stream);
}

absl::Status HeadNormRope(float* x, const float* w, int64_t rows, int64_t heads, int64_t dim, float eps,
                          const float* cos, const float* sin, cudaStream_t stream) {
  return Run<true>("HeadNormRope", x, w, rows, heads, dim, eps, cos, sin, stream);
}

}  // namespace switchyard::cuda
