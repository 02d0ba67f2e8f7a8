// The CUDA backend behind MakeModelRunner: compiled against the CUDA Toolkit's runtime (into
// switchyard_model_runner when SWITCHYARD_CUDA) or the CUDA emulator's (switchyard_model_runner_emu).
#include <cuda_runtime.h>

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/runner/cuda_runner.h"
#include "workers/engine/runtime/cuda_backend.h"

namespace switchyard::internal {

absl::Status CudaBackendAvailable() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e == cudaSuccess && count > 0) return absl::OkStatus();
  std::string why = e != cudaSuccess ? absl::StrCat(cudaGetErrorName(e), ": ", cudaGetErrorString(e)) : "no devices";
  // The runtime's words for a machine without the NVIDIA driver are about versions; say both.
  if (e != cudaSuccess && std::string_view(cudaGetErrorName(e)) == "cudaErrorInsufficientDriver") {
    absl::StrAppend(&why, "; is the NVIDIA driver installed and loaded?");
  }
  cudaGetLastError();  // clear the sticky error: a later probe starts clean
  return absl::UnavailableError(absl::StrCat("no usable CUDA device (", why, ")"));
}

absl::StatusOr<std::unique_ptr<ModelRunner>> MakeCudaRunner(const LoadedModel& model, const DeviceOptions& options) {
  if (absl::Status s = CudaBackendAvailable(); !s.ok()) return s;
  cuda::CudaRunnerOptions o;
  o.device = options.cuda_device;
  o.kv_blocks = options.kv_blocks;
  o.block_size = options.block_size;
  o.kv_f16 = options.kv_dtype == DType::kF16;
  o.max_tokens = options.max_batch_tokens;
  auto runner = cuda::CudaRunner::Create(model, o);
  if (!runner.ok()) return runner.status();
  return std::unique_ptr<ModelRunner>(std::move(*runner));
}

}  // namespace switchyard::internal
