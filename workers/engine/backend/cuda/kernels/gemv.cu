#include "workers/engine/backend/cuda/kernels/gemv.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_compat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/block_reduce.cuh"
#include "workers/engine/backend/cuda/kernels/vector_io.cuh"

namespace switchyard::cuda {
namespace {

constexpr int kWarps = 4;  // rows per block

// acc[t] += w * x[t*K + k] for every token: one weight value, read by one lane.
template <int kT>
__device__ __forceinline__ void AddOne(float (&acc)[kT], float w, const float* __restrict__ x, int64_t K, int k) {
  for (int t = 0; t < kT; ++t) acc[t] += w * x[t * K + k];
}

constexpr int kPieceStride = 8 * 32;  // bf16 values a warp covers with one 16-byte load per lane
// 16-byte weight loads a lane issues before it uses any. On an H200 the loop that loaded one
// piece, used it, then loaded the next (a branch on x's alignment inside kept the compiler from
// hoisting the loads) streamed a 4096 x 4096 matrix at 1.7 TB/s of the 4.2 a copy reaches.
constexpr int kInFlight = 4;

// acc[t] += piece . x[t*K + k .. t*K + k + 8): the 8 bf16 weights of one 16-byte load.
template <int kT, bool kXVec>
__device__ __forceinline__ void AddPiece(float (&acc)[kT], uint4 u, const float* __restrict__ x, int K, int k) {
  // bf16 to f32 is a 16-bit shift: the low half of each word is the earlier value.
  const float wv[8] = {__uint_as_float(u.x << 16), __uint_as_float(u.x & 0xffff0000u),
                       __uint_as_float(u.y << 16), __uint_as_float(u.y & 0xffff0000u),
                       __uint_as_float(u.z << 16), __uint_as_float(u.z & 0xffff0000u),
                       __uint_as_float(u.w << 16), __uint_as_float(u.w & 0xffff0000u)};
  for (int t = 0; t < kT; ++t) {
    const float* xt = x + static_cast<int64_t>(t) * K + k;
    float a = acc[t];
    if constexpr (kXVec) {
      const float4 lo = Load4(xt), hi = Load4(xt + 4);
      a += wv[0] * lo.x;
      a += wv[1] * lo.y;
      a += wv[2] * lo.z;
      a += wv[3] * lo.w;
      a += wv[4] * hi.x;
      a += wv[5] * hi.y;
      a += wv[6] * hi.z;
      a += wv[7] * hi.w;
    } else {
      for (int j = 0; j < 8; ++j) a += wv[j] * xt[j];
    }
    acc[t] = a;
  }
}

// The lane's pieces k, k + kPieceStride, ... below body_end, in that order (so the sums do not
// depend on kInFlight), kInFlight loads at a time.
template <int kT, bool kXVec>
__device__ __forceinline__ void AddBody(float (&acc)[kT], const __nv_bfloat16* __restrict__ wr,
                                        const float* __restrict__ x, int K, int k, int body_end) {
  for (; k + (kInFlight - 1) * kPieceStride < body_end; k += kInFlight * kPieceStride) {
    uint4 u[kInFlight];
    SY_UNROLL_ALL
    for (int j = 0; j < kInFlight; ++j) u[j] = *reinterpret_cast<const uint4*>(wr + k + j * kPieceStride);
    SY_UNROLL_ALL
    for (int j = 0; j < kInFlight; ++j) AddPiece<kT, kXVec>(acc, u[j], x, K, k + j * kPieceStride);
  }
  for (; k < body_end; k += kPieceStride) AddPiece<kT, kXVec>(acc, *reinterpret_cast<const uint4*>(wr + k), x, K, k);
}

// Row m of one product, by one warp; lane l takes the row's 16-byte pieces l, l + 32, ...
template <int kT>
__device__ __forceinline__ void GemvRow(const float* __restrict__ x, int K, const __nv_bfloat16* __restrict__ w, int M,
                                        float* __restrict__ y, int m, int lane) {
  const __nv_bfloat16* wr = w + static_cast<int64_t>(m) * K;
  // Values before the row's first 16-byte boundary (bf16 pointers are 2-byte aligned).
  int head = static_cast<int>(((16u - (reinterpret_cast<uintptr_t>(wr) & 15u)) & 15u) / 2u);
  if (head > K) head = K;
  const int body_end = head + (K - head) / 8 * 8;
  // x[t*K + k] for k = head + 8j is 16-byte aligned for every t when x, K*4 and head*4 are.
  const bool x_vec = ((reinterpret_cast<uintptr_t>(x) | static_cast<uintptr_t>(head) * 4u |
                       static_cast<uintptr_t>(K) * 4u) & 15u) == 0;

  float acc[kT];
  for (int t = 0; t < kT; ++t) acc[t] = 0.0f;
  if (lane < head) AddOne<kT>(acc, __bfloat162float(wr[lane]), x, K, lane);
  if (x_vec) {
    AddBody<kT, true>(acc, wr, x, K, head + 8 * lane, body_end);
  } else {
    AddBody<kT, false>(acc, wr, x, K, head + 8 * lane, body_end);
  }
  if (body_end + lane < K) AddOne<kT>(acc, __bfloat162float(wr[body_end + lane]), x, K, body_end + lane);
  for (int t = 0; t < kT; ++t) acc[t] = WarpSum(acc[t]);
  // Lane t stores token t's sum: kT stores spread over lanes, not kT from lane 0.
  for (int t = 0; t < kT; ++t) {
    if (lane == t) y[static_cast<int64_t>(t) * M + m] = acc[t];
  }
}

// One warp per row m, kWarps rows per block.
template <int kT>
__global__ void __launch_bounds__(32 * kWarps)
    GemvKernel(const float* __restrict__ x, int K, const __nv_bfloat16* __restrict__ w, int M, float* __restrict__ y) {
  const int m = static_cast<int>(blockIdx.x) * kWarps + static_cast<int>(threadIdx.x) / 32;
  if (m >= M) return;  // the whole warp
  GemvRow<kT>(x, K, w, M, y, m, static_cast<int>(threadIdx.x) % 32);
}

// GemvMany's products: product i owns blocks [first_block[i], first_block[i + 1]).
struct ManyParams {
  const __nv_bfloat16* w[kGemvManyMax];
  float* y[kGemvManyMax];
  int M[kGemvManyMax];
  int first_block[kGemvManyMax + 1];
  int count;
};

template <int kT>
__global__ void __launch_bounds__(32 * kWarps) GemvManyKernel(const float* __restrict__ x, int K, ManyParams p) {
  const int b = static_cast<int>(blockIdx.x);
  // The block's product, picked with constant indices only (a run-time index into the
  // parameters would copy them to local memory).
  const __nv_bfloat16* w = p.w[0];
  float* y = p.y[0];
  int M = p.M[0], first = 0;
  SY_UNROLL_ALL
  for (int j = 1; j < kGemvManyMax; ++j) {
    if (j < p.count && b >= p.first_block[j]) {
      w = p.w[j];
      y = p.y[j];
      M = p.M[j];
      first = p.first_block[j];
    }
  }
  const int m = (b - first) * kWarps + static_cast<int>(threadIdx.x) / 32;
  if (m >= M) return;  // the whole warp
  GemvRow<kT>(x, K, w, M, y, m, static_cast<int>(threadIdx.x) % 32);
}

template <int kT>
cudaError_t LaunchManyT(const float* x, int K, const ManyParams& p, cudaStream_t stream) {
  return Launch<GemvManyKernel<kT>>(dim3(static_cast<unsigned>(p.first_block[p.count])), dim3(32 * kWarps), 0, stream,
                                    x, K, p);
}

template <int kT>
cudaError_t LaunchT(const float* x, int K, const __nv_bfloat16* w, int M, float* y, cudaStream_t stream) {
  const dim3 grid(static_cast<unsigned>((M + kWarps - 1) / kWarps)), block(32 * kWarps);
  return Launch<GemvKernel<kT>>(grid, block, 0, stream, x, K, w, M, y);
}

}  // namespace

absl::Status Gemv(const float* x, int64_t T, int64_t K, const __nv_bfloat16* w, int64_t M, float* y,
                  cudaStream_t stream) {
  if (T < 1 || T > kGemvMaxTokens || K < 1 || K > (int64_t{1} << 30) || M < 0 || M > (int64_t{1} << 30) ||
      !Aligned(x, 4) || !Aligned(w, 2) || !Aligned(y, 4)) {
    return absl::InvalidArgumentError(absl::StrCat("Gemv: T=", T, " K=", K, " M=", M, " (T must be 1..",
                                                   kGemvMaxTokens, ", pointers aligned to their element)"));
  }
  if (M == 0) return absl::OkStatus();
  const int k = static_cast<int>(K), m = static_cast<int>(M);
  cudaError_t e = cudaSuccess;
  switch (T) {
    case 1: e = LaunchT<1>(x, k, w, m, y, stream); break;
    case 2: e = LaunchT<2>(x, k, w, m, y, stream); break;
    case 3: e = LaunchT<3>(x, k, w, m, y, stream); break;
    case 4: e = LaunchT<4>(x, k, w, m, y, stream); break;
    case 5: e = LaunchT<5>(x, k, w, m, y, stream); break;
    case 6: e = LaunchT<6>(x, k, w, m, y, stream); break;
    case 7: e = LaunchT<7>(x, k, w, m, y, stream); break;
    default: e = LaunchT<8>(x, k, w, m, y, stream); break;
  }
  return CudaOk(e, "Gemv");
}

absl::Status GemvMany(const float* x, int64_t T, int64_t K, absl::Span<const GemvProduct> products,
                      cudaStream_t stream) {
  const int64_t n = static_cast<int64_t>(products.size());
  if (T < 1 || T > kGemvMaxTokens || K < 1 || K > (int64_t{1} << 30) || n < 1 || n > kGemvManyMax || !Aligned(x, 4)) {
    return absl::InvalidArgumentError(absl::StrCat("GemvMany: T=", T, " K=", K, " products=", n, " (T must be 1..",
                                                   kGemvMaxTokens, ", 1..", kGemvManyMax, " products)"));
  }
  ManyParams p{};
  p.count = static_cast<int>(n);
  int64_t blocks = 0;
  for (int64_t i = 0; i < n; ++i) {
    const GemvProduct& g = products[static_cast<size_t>(i)];
    if (g.M < 0 || g.M > (int64_t{1} << 30) || !Aligned(g.w, 2) || !Aligned(g.y, 4)) {
      return absl::InvalidArgumentError(absl::StrCat("GemvMany: product ", i, " M=", g.M,
                                                     " (pointers aligned to their element)"));
    }
    p.w[i] = g.w;
    p.y[i] = g.y;
    p.M[i] = static_cast<int>(g.M);
    p.first_block[i] = static_cast<int>(blocks);
    blocks += (g.M + kWarps - 1) / kWarps;
  }
  if (blocks > 0x7fffffff) return absl::InvalidArgumentError("GemvMany: too many rows");
  p.first_block[n] = static_cast<int>(blocks);
  if (blocks == 0) return absl::OkStatus();
  const int k = static_cast<int>(K);
  cudaError_t e = cudaSuccess;
  switch (T) {
    case 1: e = LaunchManyT<1>(x, k, p, stream); break;
    case 2: e = LaunchManyT<2>(x, k, p, stream); break;
    case 3: e = LaunchManyT<3>(x, k, p, stream); break;
    case 4: e = LaunchManyT<4>(x, k, p, stream); break;
    case 5: e = LaunchManyT<5>(x, k, p, stream); break;
    case 6: e = LaunchManyT<6>(x, k, p, stream); break;
    case 7: e = LaunchManyT<7>(x, k, p, stream); break;
    default: e = LaunchManyT<8>(x, k, p, stream); break;
  }
  return CudaOk(e, "GemvMany");
}

}  // namespace switchyard::cuda
