// The factory's door to the CUDA backend (model_runner_factory.cc only). Defined by
// cuda_backend.cc over cuda::CudaRunner, linked with the nvcc-built runner or with the CUDA
// emulator's, or by cuda_backend_stub.cc in builds without the CUDA Toolkit, where both answer
// that the binary has no CUDA.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_CUDA_BACKEND_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_CUDA_BACKEND_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/model_runner.h"
#include "workers/engine/runtime/model_runner_factory.h"

namespace switchyard::internal {

// OK when a CUDA device can be used; Unavailable naming the reason otherwise.
absl::Status CudaBackendAvailable();
// cuda::CudaRunner::Create with `options` (already checked for the CPU-only ones).
absl::StatusOr<std::unique_ptr<ModelRunner>> MakeCudaRunner(const LoadedModel& model, const DeviceOptions& options);

}  // namespace switchyard::internal

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_CUDA_BACKEND_H_
