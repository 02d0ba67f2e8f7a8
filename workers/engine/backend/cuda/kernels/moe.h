// Mixture-of-experts routing and expert dispatch of the CUDA backend: the GPU twin of the router
// and the grouping in Qwen3Runner::Moe (runtime/qwen3_runner.cc), without host round trips.
//
//   RouterTopK        router logits [T, E] -> top-k expert ids and weights per token
//   MoeDispatchBuild  ids -> per-expert counts, offsets (prefix sum) and the (token, slot) pairs
//                     in expert order, tokens ascending within each expert (the CPU's lists)
//   MoeGather         token rows -> expert order, the input of the per-expert gate/up GEMMs
//   MoeCombine        expert outputs -> token rows, weighted, summed over a token's experts in
//                     ascending expert id (the CPU's order); no float atomics: reproducible
//   MoeExpertGateUp,  the per-expert products as GEMVs over each expert's routed rows, the
//   MoeExpertGemv     experts and rows read from the dispatch on the device (decode, small
//                     batches; larger ones use per-expert GEMMs, see runner/cuda_runner.h)
//
// CUDA-graph friendly: every buffer is sized for the worst case (`capacity` tokens), grids are
// sized for it too, and when `num_tokens` (a device int32) is given the kernels read the live
// token count from it and leave the rest early, so one captured graph serves every batch size
// up to the capacity. The number of routed rows, offsets[E], stays on the device: a grouped GEMM
// (or per-expert GEMMs with device-side sizes) reads it from there.
//
// Exactness against the CPU: see RouterTopK. Ids, counts, offsets and the permutation are
// integers and equal the CPU's exactly; the gather copies exactly; the combine differs from the
// CPU's AxpyInPlace only in whether each w*y product is fused into its add.
// Errors: InvalidArgument for bad shapes; the launch's error (CudaOk) otherwise. Asynchronous
// on `stream`, like any kernel launch.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_MOE_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_MOE_H_

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "absl/status/status.h"

namespace switchyard::cuda {

// Shapes shared by the MoE kernels.
struct MoeShape {
  int64_t capacity = 0;                 // T: tokens the buffers (and the grids) are sized for
  int64_t experts = 0;                  // E: 1..kMaxExperts
  int64_t k = 0;                        // experts per token: 1..min(E, kMaxTopK)
  const int32_t* num_tokens = nullptr;  // device int32, live tokens <= capacity; null: all of them
};
// 256: eight logits per lane in registers (Qwen3-MoE has 128 experts). Sixteen per lane make
// ptxas spill on sm_80.
inline constexpr int64_t kMaxExperts = 256;
inline constexpr int64_t kMaxTopK = 32;

// ---- router ----
// router_topk  p = softmax(logits[t,:]) in f32 (max subtracted, expf, the sum of exps in
// double, then one f32 scale as cpu::Softmax does); the k largest p, ordered by p descending
// and, on equal p, by expert id ascending (the CPU's partial_sort comparator); weights p, or
// p / (p_0 + ... + p_{k-1}) summed in f32 in that order when `renormalize` (norm_topk_prob).
//   logits: [T, E] f32   ids: [T, k] int32   weights: [T, k] f32
// One warp per token: each lane holds E/32 logits in registers; the top k come from k warp
// arg-max rounds (shuffles only, no shared memory, no barriers).
// bytes: 4*T*E + 8*T*k   flops: ~5*T*E + T*k*E/32 compare rounds
// Exact as the CPU when the exp sums agree: the warp adds the (f32) exps in double as a tree
// where the CPU adds them in index order; both are exact whenever every exp is >= 2^-21 (logits
// within 14.5 of the max, E <= 256), and otherwise differ by < 2^-46 relative, which changes
// the f32 scale only at a rounding midpoint. On a GPU expf is within 2 ulp of glibc's, so p may
// differ by an ulp or two there; equal logits always give equal p and keep the id order.
// NaN logits are not supported (the CPU's result is then order-dependent too).
absl::Status RouterTopK(const float* logits, const MoeShape& shape, bool renormalize, int32_t* ids, float* weights,
                        cudaStream_t stream);

// ---- dispatch ----
// Device buffers of a dispatch, sized for the worst case; written by MoeDispatchBuild. A pair
// index is p = t*k + slot, naming token t's slot-th choice (ids[p], weights[p]).
struct MoeDispatch {
  int32_t* counts = nullptr;   // [E]       tokens routed to each expert
  int32_t* offsets = nullptr;  // [E + 1]   exclusive prefix sum of counts; offsets[E] = routed rows
  int32_t* pairs = nullptr;    // [T*k]     expert-order row r -> pair index; rows of expert e are
                               //           [offsets[e], offsets[e+1]), tokens ascending
  int32_t* rows = nullptr;     // [T*k]     pair index -> its row r; -1 when ids[p] is not in [0, E)
};

// Counts, offsets and the permutation from ids [T, k] (the live tokens only; entries past them
// are left as they were). Two launches, one warp per expert each: a count (ballots over all
// pairs) and a placement (the warp's own prefix sum of the counts before it, then its pairs in
// ascending order). Ids outside [0, E) are routed nowhere (rows[p] = -1) and never read out of
// bounds. bytes: ~2 * 4*T*k*E/32 (every warp reads all ids, L2-resident) + 8*T*k + 8*E.
absl::Status MoeDispatchBuild(const int32_t* ids, const MoeShape& shape, const MoeDispatch& d, cudaStream_t stream);

// xe[r,:] = x[pairs[r] / k, :] for r < offsets[E]; rows past it are untouched. One block per
// row of the worst case (T*k), the ones past offsets[E] leave at once; 16-byte accesses when
// hidden % 4 == 0 and both pointers are aligned for it.
//   x: [T, hidden] f32 or bf16   xe: [T*k, hidden]   bytes: offsets[E] * hidden * (sizeof x + sizeof xe)
absl::Status MoeGather(const float* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d, float* xe,
                       cudaStream_t stream);
absl::Status MoeGather(const float* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d,
                       __nv_bfloat16* xe, cudaStream_t stream);
absl::Status MoeGather(const __nv_bfloat16* x, const MoeShape& shape, int64_t hidden, const MoeDispatch& d,
                       __nv_bfloat16* xe, cudaStream_t stream);

// y[t,:] = sum over token t's slots, in ascending expert id, of weights[p] * ye[rows[p], :]
// (starting from 0; slots with rows[p] = -1 add nothing). One block per token: its k slots are
// ordered by expert id in shared memory, then each thread sums its columns in that order, so
// the result is the same on every run and in every thread order.
//   ye: [T*k, hidden] f32 (expert outputs in expert order)   y: [T, hidden] f32 (overwritten)
// bytes: 4 * (T*k*hidden + T*hidden) + 8*T*k   flops: 2 * T*k*hidden
absl::Status MoeCombine(const float* ye, const float* weights, const int32_t* ids, const MoeShape& shape,
                        int64_t hidden, const MoeDispatch& d, float* y, cudaStream_t stream);

// ---- expert products on the device's routing ----
// GEMVs over each expert's routed rows, for decode and other small batches: the experts and
// their row ranges come from the dispatch (counts, offsets) in device memory, never from the
// host, so a decode step needs no host synchronization and can be captured as a CUDA graph.
// Expert weights are stacked: expert e's matrix is w + e * M * K ([E, M, K] bf16, row-major,
// [out, in] as torch stores each expert's Linear).
//
// Grid: (ceil(M / 4), min(E, capacity * k)); block y takes the y-th expert (ascending id) whose
// count is nonzero, found by ballots over counts (blocks past the active experts leave at
// once). One warp per output row m, as kernels/gemv.h: lane l reads 16-byte pieces l, l + 32,
// ... of the expert's row and multiplies them into 8 of the expert's rows at a time (4 for
// gate/up, which carries two accumulators per row), the rest one at a time; the expert's weight
// row comes from memory once, and again from L1/L2 for each further step. Each output is one
// warp's sum in a fixed order: reproducible, within gemv.h's bound ((K/256*8 + 8) * 2^-24 *
// sum |x w|).

// moe_expert_gemv  ye[r, m] = sum_k xe[r, k] * w_e[m, k] for r in [offsets[e], offsets[e+1])
//   xe: [capacity*k, K] f32 (expert order, as MoeGather writes it)   w: [E, M, K] bf16
//   ye: [capacity*k, M] f32 (rows past offsets[E] untouched)
// bytes: 2*M*K per active expert + 4*(K + M) per routed row   flops: 2*M*K per routed row
absl::Status MoeExpertGemv(const float* xe, const MoeShape& shape, int64_t K, const __nv_bfloat16* w, int64_t M,
                           const MoeDispatch& d, float* ye, cudaStream_t stream);

// moe_expert_gate_up  a[r, m] = silu(g) * u,  g = xe[r,:] . gate_e[m,:],  u = xe[r,:] . up_e[m,:]
// (silu(g) = g / (1 + exp(-g)), as cpu::SiluMul): the SwiGLU input of each expert's down
// projection, both products from one pass over xe.
//   gate, up: [E, M, K] bf16   a: [capacity*k, M] f32
// bytes: 4*M*K per active expert + 4*(K + M) per routed row   flops: 4*M*K per routed row
absl::Status MoeExpertGateUp(const float* xe, const MoeShape& shape, int64_t K, const __nv_bfloat16* gate,
                             const __nv_bfloat16* up, int64_t M, const MoeDispatch& d, float* a, cudaStream_t stream);

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_KERNELS_MOE_H_
