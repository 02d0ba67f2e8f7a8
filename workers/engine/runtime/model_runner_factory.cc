#include "workers/engine/runtime/model_runner_factory.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/runtime/cuda_backend.h"

namespace switchyard {

absl::StatusOr<Device> ParseDevice(absl::string_view name) {
  if (name == "cpu") return Device::kCpu;
  if (name == "cuda") return Device::kCuda;
  return absl::InvalidArgumentError(absl::StrCat("'", name, "' is not a device (use cpu or cuda)"));
}

absl::string_view DeviceName(Device device) { return device == Device::kCuda ? "cuda" : "cpu"; }

absl::Status CheckDevice(Device device) {
  if (device == Device::kCpu) return absl::OkStatus();
  return internal::CudaBackendAvailable();
}

absl::StatusOr<std::unique_ptr<ModelRunner>> MakeModelRunner(const LoadedModel& model, const DeviceOptions& options) {
  if (options.device == Device::kCpu) {
    auto runner = Qwen3Runner::Create(model, options.cpu);
    if (!runner.ok()) return runner.status();
    return std::unique_ptr<ModelRunner>(std::move(*runner));
  }
  // Refused rather than ignored: a user who asked for them expects an effect.
  const RunnerOptions cpu_defaults;
  if (options.cpu.threads != cpu_defaults.threads) {
    return absl::InvalidArgumentError("the CPU thread count does not apply to the CUDA backend");
  }
  if (options.cpu.bf16_activations) {
    return absl::InvalidArgumentError(
        "bf16 activations are a CPU backend mode; the CUDA runner keeps activations f32 (split-bf16 GEMMs)");
  }
  if (options.kv_dtype != DType::kF32 && options.kv_dtype != DType::kF16) {
    return absl::InvalidArgumentError("the CUDA KV cache is f32 or f16");
  }
  return internal::MakeCudaRunner(model, options);
}

}  // namespace switchyard
