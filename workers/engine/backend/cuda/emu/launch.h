// Kernel launches under the CUDA emulator: what `kernel<<<grid, block, shmem, stream>>>(args)`
// becomes when the host compiler builds a .cu file. Kernels are launched through
// switchyard::cuda::Launch (cuda_compat.h), which calls LaunchKernel here and `<<< >>>` under
// nvcc.
//
// Arguments are converted to the kernel's parameter types as a call would convert them, and
// copied once per launch (a captured graph keeps its copy, as CUDA graphs do). Pointer
// arguments are checked when the kernel runs: each must be null or point into a live device
// (or pinned host) allocation; anything else is the cudaErrorIllegalAddress a GPU would raise.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_LAUNCH_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_LAUNCH_H_

#include <cstddef>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "workers/engine/backend/cuda/emu/runtime_types.h"

namespace switchyard::emu {

struct KernelLaunch {
  const void* func = nullptr;  // identity, for cudaFuncSetAttribute
  std::string name;
  dim3 grid, block;
  size_t dynamic_smem = 0;
  cudaStream_t stream = nullptr;
  std::vector<std::pair<int, const void*>> pointer_args;  // (parameter index, value)
  std::function<void()> thread_body;
};

// Validates the configuration (cudaErrorInvalidConfiguration / cudaErrorInvalidValue, not
// sticky) and runs or captures the launch on its stream.
cudaError_t SubmitLaunch(KernelLaunch launch);

// "RmsNormKernel<256>" out of the __PRETTY_FUNCTION__ of a Launch<kKernel> instantiation.
std::string KernelNameFromSignature(const char* pretty_function);

template <class To>
To ConvertArg(To v) {
  return v;
}

template <class T>
void NotePointer(std::vector<std::pair<int, const void*>>& out, int index, const T& v) {
  if constexpr (std::is_pointer_v<T> && !std::is_function_v<std::remove_pointer_t<T>>) {
    out.emplace_back(index, static_cast<const void*>(v));
  }
}

template <class... Params, class... Args>
cudaError_t LaunchKernel(void (*kernel)(Params...), const char* pretty_function, dim3 grid, dim3 block,
                         size_t dynamic_smem, cudaStream_t stream, Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "wrong number of kernel arguments");
  using Tuple = std::tuple<std::decay_t<Params>...>;
  Tuple params(ConvertArg<std::decay_t<Params>>(std::forward<Args>(args))...);
  KernelLaunch l;
  l.func = reinterpret_cast<const void*>(kernel);
  l.name = KernelNameFromSignature(pretty_function);
  l.grid = grid;
  l.block = block;
  l.dynamic_smem = dynamic_smem;
  l.stream = stream;
  std::apply(
      [&](const auto&... p) {
        int i = 0;
        (NotePointer(l.pointer_args, i++, p), ...);
      },
      params);
  l.thread_body = [kernel, params] { std::apply(kernel, params); };
  return SubmitLaunch(std::move(l));
}

}  // namespace switchyard::emu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_LAUNCH_H_
