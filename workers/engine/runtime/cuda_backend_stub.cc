// The CUDA backend of builds without the CUDA Toolkit (SWITCHYARD_CUDA off): it says so, and
// how to get one that has it.
#include "workers/engine/runtime/cuda_backend.h"

namespace switchyard::internal {

absl::Status CudaBackendAvailable() {
  return absl::UnavailableError(
      "this binary was built without CUDA (SWITCHYARD_CUDA was off: no nvcc at configure time); install the CUDA "
      "Toolkit (nvcc at /usr/local/cuda/bin/nvcc) and rebuild with cmake -DSWITCHYARD_CUDA=ON");
}

absl::StatusOr<std::unique_ptr<ModelRunner>> MakeCudaRunner(const LoadedModel&, const DeviceOptions&) {
  return CudaBackendAvailable();
}

}  // namespace switchyard::internal
