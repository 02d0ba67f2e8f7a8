// Token embedding lookup of the CUDA backend: the first step of Qwen3Runner::Forward, which
// converts each token's row of embed_tokens (bf16 as Qwen publishes it, or f16 / f32) to the f32
// residual stream.
//
// One block per token; threads take 16 bytes of the table per step (8 bf16/f16 or 4 f32 values)
// when hidden and both pointers allow it, one value otherwise. Conversions to f32 are exact, so
// the result equals the CPU's ToF32 bit for bit.
//
// An id outside [0, vocab) never reads the table: its row is written as zeros and `*error` (a
// device int32, may be null) gets bit 0 set, so a captured decode graph can report it without a
// host check per step. The flag is sticky: the caller clears it. The host side checks ids
// before they are uploaded too (Qwen3Runner::Forward does); the flag is the device's guard.
// CUDA-graph friendly: the grid is sized for `capacity` tokens; with `num_tokens` (device int32)
// given, blocks past the live count leave at once.
// Errors: InvalidArgument for bad shapes; the launch's error (CudaOk) otherwise. Asynchronous.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_EMBEDDING_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_EMBEDDING_H_

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

struct EmbeddingArgs {
  const int32_t* ids = nullptr;         // [capacity] token ids, device
  int64_t capacity = 0;                 // tokens the grid is sized for
  const int32_t* num_tokens = nullptr;  // device int32, live tokens <= capacity; null: all
  int64_t vocab = 0;                    // rows of the table
  int64_t hidden = 0;                   // columns of the table and of out
  float* out = nullptr;                 // [capacity, hidden] f32; rows of live tokens written
  int32_t* error = nullptr;             // device int32 or null: |= 1 on an id outside [0, vocab)
};

// embedding  out[t,:] = f32(table[ids[t], :])   table: [vocab, hidden]
// bytes: T*hidden*(sizeof table + 4) + 4*T   flops: 0
absl::Status Embedding(const EmbeddingArgs& a, const __nv_bfloat16* table, cudaStream_t stream);
absl::Status Embedding(const EmbeddingArgs& a, const __half* table, cudaStream_t stream);
absl::Status Embedding(const EmbeddingArgs& a, const float* table, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_EMBEDDING_H_
