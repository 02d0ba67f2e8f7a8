#include "workers/engine/backend/cuda/kernels/embedding.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kThreads = 256;  // most threads per block

__device__ __forceinline__ float ToF32(float v) { return v; }
__device__ __forceinline__ float ToF32(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float ToF32(__half v) { return __half2float(v); }

// The two 16-bit values of a 32-bit word (low half first) as f32: exact.
__device__ __forceinline__ float2 Pair(unsigned u, const __nv_bfloat16*) {
  return make_float2(__uint_as_float(u << 16), __uint_as_float(u & 0xffff0000u));
}
__device__ __forceinline__ float2 Pair(unsigned u, const __half*) {
  return make_float2(__half2float(__ushort_as_half(static_cast<unsigned short>(u & 0xffffu))),
                     __half2float(__ushort_as_half(static_cast<unsigned short>(u >> 16))));
}

// 16 bytes of the table at src -> f32 at dst. REQUIRES: src and dst 16-byte aligned.
__device__ __forceinline__ void Copy16(const float* src, float* dst) { Store4(dst, Load4(src)); }
template <class T16>
__device__ __forceinline__ void Copy16(const T16* src, float* dst) {
  const uint4 v = *reinterpret_cast<const uint4*>(src);
  const float2 a = Pair(v.x, src), b = Pair(v.y, src), c = Pair(v.z, src), d = Pair(v.w, src);
  Store4(dst, make_float4(a.x, a.y, b.x, b.y));
  Store4(dst + 4, make_float4(c.x, c.y, d.x, d.y));
}

// One block per token of the capacity; kVec values (16 bytes) per step or 1.
template <class TW, int kVec>
__global__ void __launch_bounds__(kThreads)
    EmbeddingKernel(const int* __restrict__ ids, const int* __restrict__ num_tokens,
                    const TW* __restrict__ table, int vocab, int hidden, float* __restrict__ out,
                    int* __restrict__ error) {
  const int t = static_cast<int>(blockIdx.x);
  if (num_tokens != nullptr && t >= *num_tokens) return;
  const int id = ids[t];
  float* dst = out + static_cast<int64_t>(t) * hidden;
  const int step = kVec * static_cast<int>(blockDim.x);
  if (id < 0 || id >= vocab) {
    if (threadIdx.x == 0 && error != nullptr) atomicOr(error, 1);
    for (int i = static_cast<int>(threadIdx.x); i < hidden; i += static_cast<int>(blockDim.x)) dst[i] = 0.0f;
    return;
  }
  const TW* src = table + static_cast<int64_t>(id) * hidden;
  for (int i = kVec * static_cast<int>(threadIdx.x); i < hidden; i += step) {
    if constexpr (kVec == 1) {
      dst[i] = ToF32(src[i]);
    } else {
      Copy16(src + i, dst + i);
    }
  }
}

template <class TW>
absl::Status Run(const EmbeddingArgs& a, const TW* table, cudaStream_t stream) {
  if (a.capacity < 0 || a.capacity > 2147483647 || a.vocab < 1 || a.vocab > 2147483647 || a.hidden < 1 ||
      a.hidden > (int64_t{1} << 30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Embedding: capacity=", a.capacity, " vocab=", a.vocab, " hidden=", a.hidden));
  }
  if (a.capacity == 0) return absl::OkStatus();
  constexpr int kVec = 16 / sizeof(TW);
  const bool vec = a.hidden % kVec == 0 && Aligned(table, 16) && Aligned(a.out, 16);
  const int64_t steps = vec ? a.hidden / kVec : a.hidden;
  const int64_t warps = (steps + 31) / 32;
  const dim3 grid(static_cast<unsigned>(a.capacity)),
      block(static_cast<unsigned>(32 * (warps > kThreads / 32 ? kThreads / 32 : warps)));
  const int V = static_cast<int>(a.vocab), h = static_cast<int>(a.hidden);
  const cudaError_t e =
      vec ? Launch<EmbeddingKernel<TW, kVec>>(grid, block, 0, stream, a.ids, a.num_tokens, table, V, h, a.out,
                                              a.error)
          : Launch<EmbeddingKernel<TW, 1>>(grid, block, 0, stream, a.ids, a.num_tokens, table, V, h, a.out, a.error);
  return CudaOk(e, "Embedding");
}

}  // namespace

absl::Status Embedding(const EmbeddingArgs& a, const __nv_bfloat16* table, cudaStream_t stream) {
  return Run(a, table, stream);
}
absl::Status Embedding(const EmbeddingArgs& a, const __half* table, cudaStream_t stream) { return Run(a, table, stream); }
absl::Status Embedding(const EmbeddingArgs& a, const float* table, cudaStream_t stream) { return Run(a, table, stream); }

}  // namespace switchyard::cuda
