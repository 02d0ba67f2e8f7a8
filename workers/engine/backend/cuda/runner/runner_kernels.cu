#include "workers/engine/backend/cuda/runner/runner_kernels.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"

namespace switchyard::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 4096;

__global__ void __launch_bounds__(kThreads) SplitBf16Kernel(const float* __restrict__ x, __nv_bfloat16* __restrict__ hi,
                                                            __nv_bfloat16* __restrict__ lo, int64_t n) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float v = x[i];
    const __nv_bfloat16 h = __float2bfloat16_rn(v);
    hi[i] = h;
    lo[i] = __float2bfloat16_rn(v - __bfloat162float(h));
  }
}

// One block per gathered row.
__global__ void __launch_bounds__(kThreads) GatherRowsKernel(const float* __restrict__ x, const int32_t* __restrict__ rows,
                                                             int64_t n, float* __restrict__ y) {
  const int64_t r = blockIdx.x;
  const float* src = x + static_cast<int64_t>(rows[r]) * n;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) y[r * n + i] = src[i];
}

}  // namespace

absl::Status SplitBf16(const float* x, __nv_bfloat16* hi, __nv_bfloat16* lo, int64_t n, cudaStream_t stream) {
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat("SplitBf16: n=", n));
  if (n == 0) return absl::OkStatus();
  int64_t blocks = (n + kThreads - 1) / kThreads;
  if (blocks > kMaxBlocks) blocks = kMaxBlocks;
  return CudaOk(Launch<SplitBf16Kernel>(dim3(static_cast<unsigned>(blocks)), dim3(kThreads), 0, stream, x, hi, lo, n),
                "SplitBf16");
}

absl::Status GatherRows(const float* x, const int32_t* rows, int64_t count, int64_t n, float* y, cudaStream_t stream) {
  if (count < 0 || n < 0 || count > 0x7fffffff) {
    return absl::InvalidArgumentError(absl::StrCat("GatherRows: count=", count, " n=", n));
  }
  if (count == 0 || n == 0) return absl::OkStatus();
  return CudaOk(Launch<GatherRowsKernel>(dim3(static_cast<unsigned>(count)), dim3(kThreads), 0, stream, x, rows, n, y),
                "GatherRows");
}

}  // namespace switchyard::cuda
