// <cuda_runtime_api.h> under the CUDA emulator.
#ifndef SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_API_H_
#define SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_API_H_
#include "workers/engine/backend/cuda/emu/runtime_api.h"
#endif  // SWITCHYARD_EMU_INCLUDE_CUDA_RUNTIME_API_H_
