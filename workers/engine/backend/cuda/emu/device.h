// The emulated device's internals shared by the runtime (runtime.cc) and the cuBLAS subset
// (cublas.cc): stream operations and allocation checks. Not for kernels or backend code.
// Thread safety: every function takes the device lock (recursive, so stream operations may
// call IsDeviceRange while they run).
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_H_

#include <cstddef>
#include <functional>
#include <string>

#include "workers/engine/backend/cuda/emu/runtime_types.h"

namespace switchyard::emu {

// What an operation found when it ran; an error here is sticky, like a fault on a GPU.
struct OpResult {
  cudaError_t code = cudaSuccess;
  std::string message;
};
using StreamOp = std::function<OpResult()>;

// Runs `op` now, or appends it to the graph when `stream` is being captured. Returns the
// sticky error if there is one, cudaErrorInvalidResourceHandle for an unknown stream, the
// capture errors CUDA defines, or the error the op ran into.
cudaError_t Enqueue(cudaStream_t stream, StreamOp op);

// True when [p, p + bytes) lies inside one live device allocation.
bool IsDeviceRange(const void* p, size_t bytes);

// Records `e` as the calling thread's last error (what cudaGetLastError returns), with a
// detail message cudaGetErrorString(e) will return.
cudaError_t SetLastError(cudaError_t e, const std::string& detail);

}  // namespace switchyard::emu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_H_
