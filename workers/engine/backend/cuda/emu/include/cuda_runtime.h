// <cuda_runtime.h> under the CUDA emulator: the runtime API and the device-side language, as
// nvcc makes both visible to every .cu file. This directory is on the include path of
// emulation targets only, never beside the real toolkit's.
#ifndef SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_H_
#define SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_H_
#include "workers/engine/backend/cuda/emu/device_builtins.h"
#include "workers/engine/backend/cuda/emu/launch.h"
#include "workers/engine/backend/cuda/emu/runtime_api.h"
#endif  // SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_H_
