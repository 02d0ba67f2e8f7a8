// <library_types.h> under the CUDA emulator: cudaDataType.
#ifndef SWITCHYARD_EMU_INCLUDE_LIBRARY_TYPES_H_
#define SWITCHYARD_EMU_INCLUDE_LIBRARY_TYPES_H_
#include "workers/engine/backend/cuda/emu/cublas_api.h"
#endif  // SWITCHYARD_EMU_INCLUDE_LIBRARY_TYPES_H_
