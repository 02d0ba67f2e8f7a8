// CudaOk: a CUDA runtime error as an absl::Status naming the call, the error's name and its
// text (under the emulator, the full diagnostic of a kernel fault). Compiles against the real
// runtime and the emulator alike.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_STATUS_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_STATUS_H_

#include <cuda_runtime.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace switchyard::cuda {

inline absl::Status CudaOk(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return absl::OkStatus();
  const std::string msg = absl::StrCat(what, ": ", cudaGetErrorName(e), ": ", cudaGetErrorString(e));
  switch (e) {
    case cudaErrorInvalidValue:
    case cudaErrorInvalidConfiguration: return absl::InvalidArgumentError(msg);
    case cudaErrorMemoryAllocation: return absl::ResourceExhaustedError(msg);
    default: return absl::InternalError(msg);
  }
}

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_CUDA_STATUS_H_
