#include "workers/engine/backend/cuda/kernels/swiglu.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 4096;  // grid-stride beyond: enough to fill any GPU

__device__ __forceinline__ float Silu(float g, float u) { return g / (1.0f + expf(-g)) * u; }

// g and out carry no __restrict__: out may be g.
template <class TOut, int kVec>
__global__ void __launch_bounds__(kThreads) SiluMulKernel(const float* g, const float* __restrict__ u, TOut* out,
                                                          int64_t n) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x * kVec;
  for (int64_t i = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) * kVec; i < n; i += stride) {
    if constexpr (kVec == 4) {
      const float4 a = Load4(g + i), b = Load4(u + i);
      Store4(out + i, make_float4(Silu(a.x, b.x), Silu(a.y, b.y), Silu(a.z, b.z), Silu(a.w, b.w)));
    } else {
      Store1(out + i, Silu(g[i], u[i]));
    }
  }
}

template <class TOut>
absl::Status Run(const float* g, const float* u, TOut* out, int64_t n, cudaStream_t stream) {
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat("SiluMul: n=", n));
  if (n == 0) return absl::OkStatus();
  const bool vec = n % 4 == 0 && Aligned(g, 16) && Aligned(u, 16) && Aligned(out, 4 * sizeof(TOut));
  const int64_t steps = vec ? n / 4 : n;
  int64_t blocks = (steps + kThreads - 1) / kThreads;
  if (blocks > kMaxBlocks) blocks = kMaxBlocks;
  const dim3 grid(static_cast<unsigned>(blocks)), block(kThreads);
  const cudaError_t e = vec ? Launch<SiluMulKernel<TOut, 4>>(grid, block, 0, stream, g, u, out, n)
                            : Launch<SiluMulKernel<TOut, 1>>(grid, block, 0, stream, g, u, out, n);
  return CudaOk(e, "SiluMul");
}

}  // namespace

absl::Status SiluMul(const float* g, const float* u, float* out, int64_t n, cudaStream_t stream) {
  return Run(g, u, out, n, stream);
}

absl::Status SiluMul(const float* g, const float* u, __nv_bfloat16* out, int64_t n, cudaStream_t stream) {
  return Run(g, u, out, n, stream);
}

}  // namespace switchyard::cuda
