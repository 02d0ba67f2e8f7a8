// CudaDevices: which CUDA GPUs this process can use, or why it can use none.
//
// Built with nvcc when the CUDA Toolkit is installed (SWITCHYARD_CUDA); without it the same
// call reports that the build has no CUDA. Asking for a GPU where there is none is a normal,
// clear error (Unavailable, with the driver's own words), never a crash.
// Thread safety: safe to call from any thread.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_DEVICE_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_DEVICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard {

struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  int compute_major = 0, compute_minor = 0;
  uint64_t memory_bytes = 0;
  int multiprocessors = 0;
};

// True when this binary was built with CUDA.
bool CudaCompiledIn();
// The visible devices. Unavailable naming the reason when there are none (no driver, no
// device, or a build without CUDA).
absl::StatusOr<std::vector<CudaDeviceInfo>> CudaDevices();

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_DEVICE_H_
