// MakeModelRunner: the ModelRunner for a device, chosen at run time (`--device cpu|cuda` of
// switchyard-worker and switchyard-generate): Qwen3Runner on the CPU, cuda::CudaRunner on a GPU.
//
// The CUDA runner comes from the nvcc-built backend when the binary was built with the CUDA
// Toolkit (SWITCHYARD_CUDA), from the CUDA emulator in the cuda-emulation tests, and from a stub
// that answers "built without CUDA" otherwise; which one is a link-time choice
// (switchyard_model_runner, switchyard_model_runner_emu; runtime/CMakeLists.txt).
//
// Options that have no meaning on the chosen device are refused, not ignored: the CPU's thread
// count and bf16 activations on CUDA (the CUDA runner has its own arithmetic: cuda_runner.h).
// Thread safety: the functions are safe from any thread; the runner is the caller's.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_FACTORY_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_FACTORY_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/model_runner.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard {

enum class Device { kCpu, kCuda };

// "cpu" or "cuda"; InvalidArgument naming the accepted values otherwise.
absl::StatusOr<Device> ParseDevice(absl::string_view name);
absl::string_view DeviceName(Device device);

struct DeviceOptions {
  Device device = Device::kCpu;
  // The CPU runner's options. With kCuda they must stay at their defaults (InvalidArgument).
  RunnerOptions cpu;
  // CUDA: the device cache and scratch, allocated once by the runner (cuda_runner.h). Callers
  // must then build their KvBlockPool from KvPoolFor(), which returns exactly these. The CPU
  // runner computes on whatever pool its caller builds and ignores them.
  int64_t kv_blocks = 256;
  int64_t block_size = 16;
  DType kv_dtype = DType::kF32;    // kF32 or kF16
  int64_t max_batch_tokens = 256;  // the largest Forward(): the engine's step_tokens
  int cuda_device = 0;             // index among the visible devices (CUDA_VISIBLE_DEVICES)
};

// Whether `device` can be used by this binary on this machine, before a model is loaded (a
// worker fails fast instead of loading gigabytes first). OK for the CPU. For CUDA, Unavailable
// with the reason: the binary was built without CUDA (and how to rebuild), or the CUDA runtime's
// own words (no driver, no device).
absl::Status CheckDevice(Device device);

// The runner for options.device over `model` (which must outlive it). CheckDevice's errors;
// InvalidArgument for options that do not apply to the device; the runners' own errors
// (Unimplemented for a model the backend cannot compute, ResourceExhausted for memory).
absl::StatusOr<std::unique_ptr<ModelRunner>> MakeModelRunner(const LoadedModel& model, const DeviceOptions& options);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_MODEL_RUNNER_FACTORY_H_
