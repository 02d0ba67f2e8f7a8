// Logits to tokens on the CUDA backend: the greedy path of Sampler (sampling/sampler.cc), an
// arg-max per row written as int32 token ids to device memory, so a decode graph can feed them
// to the next step's embedding without a host round trip.
//
// Which index wins, exactly as the CPU's std::max_element over the row:
//  - the largest value; among equal values (+0 and -0 are equal) the lowest index;
//  - NaN values are skipped: `largest < NaN` is false, so the CPU never moves to one;
//  - except a NaN at index 0: then every `NaN < x` is false and the CPU returns 0, and so do we
//    (also for an all-NaN row). A row of -inf returns 0.
// Penalties and temperature are the sampler's business before this; only greedy is here.
//
// Rows of more than kArgmaxChunk values are split: pass one gives each block kArgmaxChunk
// values of a row (16 per thread, 16-byte loads when vocab % 4 == 0 and logits is aligned) and
// writes the block's (value, index) to `scratch`; pass two reduces a row's partials with one
// warp. The (value desc, index asc) order is total, so the result does not depend on how the
// work is split or in which order threads run. 151936 logits: 38 blocks per row.
// Errors: InvalidArgument for bad shapes or a missing scratch; the launch's error otherwise.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SAMPLING_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SAMPLING_H_

#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

inline constexpr int64_t kArgmaxChunk = 4096;

// Device bytes of scratch GreedyArgmax needs for rows x vocab: 0 when vocab <= kArgmaxChunk,
// else 8 * rows * ceil(vocab / kArgmaxChunk). Allocate once for the largest batch.
int64_t GreedyArgmaxScratchBytes(int64_t rows, int64_t vocab);

// argmax  ids[r] = the index of the largest logits[r, :] (rules above)   logits: [rows, vocab] f32
// ids: [rows] int32   scratch: GreedyArgmaxScratchBytes(rows, vocab) bytes, 4-byte aligned (may
// be null when that is 0).   bytes: 4 * rows * vocab (+ 16 * rows * splits)   flops: rows * vocab compares
absl::Status GreedyArgmax(const float* logits, int64_t rows, int64_t vocab, int32_t* ids, void* scratch,
                          cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_SAMPLING_H_
