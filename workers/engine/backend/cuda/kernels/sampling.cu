#include "workers/engine/backend/cuda/kernels/sampling.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kThreads = 256;  // kArgmaxChunk / 16
constexpr int kNone = 0x7fffffff;  // index of "no candidate yet": loses every tie
constexpr unsigned kFull = 0xffffffffu;
static_assert(kArgmaxChunk == 16 * kThreads, "each thread of pass one takes 16 values");

// Is (v, i) better than (bv, bi): larger, or equal and earlier? Candidates are never NaN.
__device__ __forceinline__ bool Better(float v, int i, float bv, int bi) { return v > bv || (v == bv && i < bi); }

__device__ __forceinline__ void Consider(float v, int i, float& bv, int& bi) {
  if (v == v && Better(v, i, bv, bi)) {  // v == v: NaN is skipped, as std::max_element's `<` does
    bv = v;
    bi = i;
  }
}

// Butterfly over the warp: every lane ends with the warp's best.
__device__ __forceinline__ void WarpBest(float& bv, int& bi) {
  for (int o = 16; o > 0; o >>= 1) {
    const float v = __shfl_xor_sync(kFull, bv, o);
    const int i = __shfl_xor_sync(kFull, bi, o);
    if (Better(v, i, bv, bi)) {
      bv = v;
      bi = i;
    }
  }
}

// The CPU's answer from the row's best non-NaN candidate: a NaN first element wins outright.
__device__ __forceinline__ int Winner(const float* row, int bi) {
  const float first = row[0];
  return first != first || bi == kNone ? 0 : bi;
}

// Pass one: block (split, row) reduces logits[row, split*kArgmaxChunk ...) to its best. kFinal
// (one split per row): writes the token id; else the partial (value, index).
template <int kVec, bool kFinal>
__global__ void __launch_bounds__(kThreads)
    ArgmaxChunkKernel(const float* __restrict__ logits, int vocab, int* __restrict__ ids,
                      float* __restrict__ part_v, int* __restrict__ part_i) {
  SY_SHARED(float, warp_v, kThreads / 32);
  SY_SHARED(int, warp_i, kThreads / 32);
  const int split = static_cast<int>(blockIdx.x), splits = static_cast<int>(gridDim.x);
  const int64_t r = blockIdx.y;
  const float* row = logits + r * vocab;
  const int begin = split * static_cast<int>(kArgmaxChunk);
  const int end = vocab - begin < kArgmaxChunk ? vocab : begin + static_cast<int>(kArgmaxChunk);
  float bv = -INFINITY;
  int bi = kNone;
  // Each thread walks its values in ascending index, so `Better` could be `>` here; the full
  // order keeps the code obviously right.
  for (int i = begin + kVec * static_cast<int>(threadIdx.x); i < end; i += kVec * kThreads) {
    if constexpr (kVec == 4) {
      const float4 v = Load4(row + i);
      Consider(v.x, i, bv, bi);
      Consider(v.y, i + 1, bv, bi);
      Consider(v.z, i + 2, bv, bi);
      Consider(v.w, i + 3, bv, bi);
    } else {
      Consider(row[i], i, bv, bi);
    }
  }
  WarpBest(bv, bi);
  const int lane = static_cast<int>(threadIdx.x) % 32, warp = static_cast<int>(threadIdx.x) / 32;
  if (lane == 0) {
    warp_v[warp] = bv;
    warp_i[warp] = bi;
  }
  __syncthreads();
  if (warp != 0) return;
  bv = -INFINITY;
  bi = kNone;
  if (lane < kThreads / 32) {
    bv = warp_v[lane];
    bi = warp_i[lane];
  }
  WarpBest(bv, bi);
  if (lane != 0) return;
  if constexpr (kFinal) {
    ids[r] = Winner(row, bi);
  } else {
    part_v[r * splits + split] = bv;
    part_i[r * splits + split] = bi;
  }
}

// Pass two: one warp per row over its `splits` partials.
__global__ void __launch_bounds__(32)
    ArgmaxMergeKernel(const float* __restrict__ logits, int vocab, int splits, const float* __restrict__ part_v,
                      const int* __restrict__ part_i, int* __restrict__ ids) {
  const int64_t r = blockIdx.x;
  float bv = -INFINITY;
  int bi = kNone;
  for (int s = static_cast<int>(threadIdx.x); s < splits; s += 32) {
    const float v = part_v[r * splits + s];
    const int i = part_i[r * splits + s];
    if (Better(v, i, bv, bi)) {
      bv = v;
      bi = i;
    }
  }
  WarpBest(bv, bi);
  if (threadIdx.x == 0) ids[r] = Winner(logits + r * vocab, bi);
}

int64_t Splits(int64_t vocab) { return (vocab + kArgmaxChunk - 1) / kArgmaxChunk; }

}  // namespace

int64_t GreedyArgmaxScratchBytes(int64_t rows, int64_t vocab) {
  const int64_t splits = Splits(vocab);
  return splits <= 1 || rows <= 0 ? 0 : 8 * rows * splits;
}

absl::Status GreedyArgmax(const float* logits, int64_t rows, int64_t vocab, int32_t* ids, void* scratch,
                          cudaStream_t stream) {
  if (rows < 0 || rows > 65535 || vocab < 1 || vocab > 2147483647 - kArgmaxChunk) {
    return absl::InvalidArgumentError(absl::StrCat("GreedyArgmax: rows=", rows, " vocab=", vocab,
                                                   " (rows <= 65535, vocab >= 1)"));
  }
  if (rows == 0) return absl::OkStatus();
  const int64_t splits = Splits(vocab);
  if (splits > 1 && (scratch == nullptr || !Aligned(scratch, 4))) {
    return absl::InvalidArgumentError(absl::StrCat("GreedyArgmax: ", GreedyArgmaxScratchBytes(rows, vocab),
                                                   " bytes of 4-byte aligned scratch needed"));
  }
  const bool vec = vocab % 4 == 0 && Aligned(logits, 16);
  const dim3 grid(static_cast<unsigned>(splits), static_cast<unsigned>(rows)), block(kThreads);
  const int V = static_cast<int>(vocab);
  float* part_v = static_cast<float*>(scratch);
  int* part_i = splits > 1 ? reinterpret_cast<int*>(part_v + rows * splits) : nullptr;
  cudaError_t e;
  if (splits == 1) {
    e = vec ? Launch<ArgmaxChunkKernel<4, true>>(grid, block, 0, stream, logits, V, ids, part_v, part_i)
            : Launch<ArgmaxChunkKernel<1, true>>(grid, block, 0, stream, logits, V, ids, part_v, part_i);
    return CudaOk(e, "GreedyArgmax");
  }
  e = vec ? Launch<ArgmaxChunkKernel<4, false>>(grid, block, 0, stream, logits, V, ids, part_v, part_i)
          : Launch<ArgmaxChunkKernel<1, false>>(grid, block, 0, stream, logits, V, ids, part_v, part_i);
  if (absl::Status s = CudaOk(e, "GreedyArgmax (chunks)"); !s.ok()) return s;
  return CudaOk(Launch<ArgmaxMergeKernel>(dim3(static_cast<unsigned>(rows)), dim3(32), 0, stream, logits, V,
                                          static_cast<int>(splits), part_v, part_i, ids),
                "GreedyArgmax (merge)");
}

}  // namespace switchyard::cuda
