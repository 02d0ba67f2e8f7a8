// <cuda_fp16.h> under the CUDA emulator: __half and its conversions.
#ifndef SWITCHYARD_EMU_INCLUDE_CUDA_FP16_H_
#define SWITCHYARD_EMU_INCLUDE_CUDA_FP16_H_
#include "workers/engine/backend/cuda/emu/half_types.h"
#endif  // SWITCHYARD_EMU_INCLUDE_CUDA_FP16_H_
