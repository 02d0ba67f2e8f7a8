// CudaDevices for builds without the CUDA Toolkit.
#include "workers/engine/backend/cuda/cuda_device.h"

namespace switchyard {

bool CudaCompiledIn() { return false; }

absl::StatusOr<std::vector<CudaDeviceInfo>> CudaDevices() {
  return absl::UnavailableError(
      "this build has no CUDA support (the CUDA Toolkit was not found at build time); use the CPU backend");
}

}  // namespace switchyard
