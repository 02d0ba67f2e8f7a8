#include <cuda_runtime.h>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_device.h"

namespace switchyard {

bool CudaCompiledIn() { return true; }

absl::StatusOr<std::vector<CudaDeviceInfo>> CudaDevices() {
  int n = 0;
  cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess || n == 0) {
    const std::string why = e != cudaSuccess ? absl::StrCat(cudaGetErrorName(e), ": ", cudaGetErrorString(e)) : "no devices";
    cudaGetLastError();  // clear the sticky error so later calls start clean
    return absl::UnavailableError(absl::StrCat("no usable CUDA device (", why, "); use the CPU backend"));
  }
  std::vector<CudaDeviceInfo> out;
  for (int i = 0; i < n; ++i) {
    cudaDeviceProp p;
    if (cudaError_t pe = cudaGetDeviceProperties(&p, i); pe != cudaSuccess) {
      return absl::InternalError(absl::StrCat("cudaGetDeviceProperties(", i, "): ", cudaGetErrorString(pe)));
    }
    out.push_back(CudaDeviceInfo{i, p.name, p.major, p.minor, static_cast<uint64_t>(p.totalGlobalMem), p.multiProcessorCount});
  }
  return out;
}

}  // namespace switchyard
