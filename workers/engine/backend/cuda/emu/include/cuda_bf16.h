// <cuda_bf16.h> under the CUDA emulator: __nv_bfloat16 and its conversions.
#ifndef SWITCHYARD_EMU_INCLUDE_CUDA_BF16_H_
#define SWITCHYARD_EMU_INCLUDE_CUDA_BF16_H_
#include "workers/engine/backend/cuda/emu/half_types.h"
#endif  // SWITCHYARD_EMU_INCLUDE_CUDA_BF16_H_
