// <cublas_v2.h> under the CUDA emulator: the cuBLAS subset the backend uses.
#ifndef SWITCHYARD_EMU_INCLUDE_CUBLAS_V2_H_
#define SWITCHYARD_EMU_INCLUDE_CUBLAS_V2_H_
#include "workers/engine/backend/cuda/emu/cublas_api.h"
#endif  // SWITCHYARD_EMU_INCLUDE_CUBLAS_V2_H_
