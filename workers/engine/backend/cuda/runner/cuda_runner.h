// CudaRunner: the Qwen3 and Qwen3-MoE forward pass on the CUDA backend, with the contract of
// Qwen3Runner::Forward (runtime/qwen3_runner.h): any mix of prefill chunks and decode tokens of
// many sequences in one step, logits rows for the chunks that want them.
//
// Device residency. Create() copies every weight once to device memory: matrices and the
// embedding bf16 as stored, norm weights as f32; a tied head shares the embedding's copy; a MoE
// layer's router bf16 and each expert projection's E matrices in one allocation, expert e's at
// e * rows * cols (what the expert kernels index by id). The paged KV cache is one device allocation in KvBlockPool's layout (kernels/attention.h).
//
// KV bookkeeping. Block tables stay with the caller's KvSequence objects over a host-side
// KvBlockPool whose shape is kv_shape() and whose num_blocks is kv_blocks(): the pool hands out
// block ids (and keeps the scheduler's accounting, prefix reuse, cancellation as on the CPU),
// the device cache holds the data of the same block ids. KvPoolFor() asks for that pool
// bookkeeping-only (KvMemory::kNone: no host K/V memory); a pool with host memory of the same
// shape works too, its memory unused. The runner is a ModelRunner (runtime/model_runner.h), so
// the Engine and the Generator drive it as they drive the CPU's; MakeModelRunner builds it for
// --device cuda.
//
// One step: token ids, positions, block tables, the rows wanting logits and the rotary cos/sin
// are uploaded in two copies; then every layer's launches go on the runner's stream with no
// host synchronization; the only wait is the final copy of the logits to the host. (One
// exception, MoE prefill: below.)
//
// Matrix products (the weights bf16, activations f32, f32 accumulation):
//  - batches of at most options.gemv_max_tokens rows use kernels/gemv (bf16 x f32 in f32): decode,
//    bandwidth-bound, every weight byte read once;
//  - larger ones use cublasGemmEx. cuBLAS has no bf16 x f32 GEMM (NVIDIA's table for
//    CUBLAS_COMPUTE_32F: A and B of one type), and rounding activations to bf16 moves logits by
//    ~1e-2 (qwen3_fixture_test, bf16 activations), ten times the fixtures' 1e-3. So activations
//    are split x = hi + lo, two bf16 arrays (runner_kernels.h), and C = W hi + W lo by two bf16
//    GemmEx calls with f32 accumulation (the second with beta = 1): 16 significant bits of x
//    (error <= 2^-17 |x|, below the f32 GEMM's own summation error at K >= 64), weights kept bf16
//    (no f32 copy: half the memory and bandwidth), and on tensor cores two bf16 GEMMs still run
//    several times faster than one f32 (SIMT) GEMM.
//
// MoE layers (Qwen3Runner::Moe's computation; kernels/moe.h). The router's logits [T, E] are a
// product like any other (f32 or split-bf16 activations, bf16 router weights); RouterTopK takes
// the softmax top-k with the CPU's tie order (cpu::RouterTopK) and renormalizes per
// norm_topk_prob; MoeDispatchBuild turns the ids into per-expert counts, offsets and T*k
// expert-order rows (tokens ascending within an expert), all on the device. Then:
//  - decode steps (every chunk one token; graphs or not) and steps of at most gemv_max_tokens
//    tokens: MoeGather copies xn's rows to expert order, and MoeExpertGateUp (gate and up of each
//    routed expert, SwiGLU fused) and MoeExpertGemv (down) walk each active expert's rows; which
//    experts are active and their rows are read from the dispatch in device memory, the grid
//    sized for the worst case (min(E, T*k) experts), so nothing returns to the host and the step
//    stays capturable;
//  - larger steps (prefill chunks, mixed steps): the split-bf16 rows are gathered to expert
//    order and each expert with rows gets its own split-bf16 GemmEx calls (gate, up; SiluMul;
//    down). cuBLAS takes row counts from the host, so these steps read the dispatch's offsets
//    back: ONE host synchronization per MoE layer (E+1 ints), on steps never captured.
//  - MoeCombine sums each token's k weighted outputs in ascending expert id (the CPU's order,
//    no atomics: reproducible) into the layer's output.
// Dense layers of a MoE model (mlp_only_layers, decoder_sparse_step) run the dense MLP.
//
// CUDA graphs. A decode step (every chunk one token wanting logits) is captured once per
// (batch size, context bound bucket) and replayed: its inputs live in fixed device buffers
// uploaded before the replay, the attention grid is sized for the bucket (a power of two).
//
// Thread safety: one Forward() at a time (the step thread). Not copyable.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_CUDA_RUNNER_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_CUDA_RUNNER_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/qwen3_runner.h"
#include "workers/engine/runtime/rope.h"

namespace switchyard {
class ThreadPool;  // backend/cpu/thread_pool.h
}  // namespace switchyard

namespace switchyard::cuda {

struct GemvProduct;  // kernels/gemv.h

struct CudaRunnerOptions {
  int device = 0;
  int64_t kv_blocks = 256;   // blocks of the device KV cache (and of the caller's host pool)
  int64_t block_size = 16;   // positions per block
  bool kv_f16 = false;       // f16 cache (as KvCacheShape::dtype kF16), else f32
  int64_t max_tokens = 256;  // the largest batch one Forward() may carry (sizes the scratch)
  // Products with at most this many rows use the bf16 GEMV kernel, larger ones cuBLAS (0..8).
  int64_t gemv_max_tokens = 8;
  bool decode_graphs = true;  // capture and replay decode steps as CUDA graphs
};

class CudaRunner final : public ModelRunner {
 public:
  // `model` must outlive the runner. Unavailable (naming the reason) without a CUDA device;
  // Unimplemented for weights that are not bf16 matrices and for MoE shapes the kernels lack
  // (more than kMaxExperts experts or kMaxTopK per token, kernels/moe.h);
  // InvalidArgument for bad options; ResourceExhausted when device memory is short.
  static absl::StatusOr<std::unique_ptr<CudaRunner>> Create(const LoadedModel& model, const CudaRunnerOptions& options);
  ~CudaRunner();
  CudaRunner(const CudaRunner&) = delete;
  CudaRunner& operator=(const CudaRunner&) = delete;

  // As Qwen3Runner::Forward. Every chunk's KvSequence must belong to a pool of kv_shape() with
  // kv_blocks() blocks (InvalidArgument otherwise); InvalidArgument also for token ids outside
  // the vocabulary, positions past max_context() and batches over options.max_tokens;
  // ResourceExhausted when the pool has no room (no sequence changes then).
  absl::Status Forward(absl::Span<const SequenceChunk> chunks, float* logits) override;

  KvCacheShape kv_shape() const;
  int64_t kv_blocks() const { return options_.kv_blocks; }
  const ModelConfig& config() const override { return config_; }
  // ModelRunner: kv_shape() x kv_blocks(), bookkeeping-only, whatever the wish (the device
  // cache was allocated by Create).
  KvPoolSpec KvPoolFor(const KvPoolSpec& /*wish*/) const override {
    return KvPoolSpec{kv_shape(), kv_blocks(), KvMemory::kNone};
  }
  int64_t max_batch_tokens() const override { return options_.max_tokens; }
  absl::string_view device_name() const override { return "cuda"; }
  // On a pool of host threads (up to 8, made on first use): with the step on the GPU, sampling
  // 64 sequences' 151,936 logits one after another on the host would take longer than the step.
  void ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) override;
  // Decode graphs captured so far, and steps run by replaying one.
  int64_t graphs_captured() const { return static_cast<int64_t>(graphs_.size()); }
  int64_t graph_replays() const { return graph_replays_; }

  struct State;  // device memory, handles and graphs (defined in the .cc)

  // Only Create builds runners (it checks the options and fills the device state).
  class PassKey {
    friend class CudaRunner;
    PassKey() = default;
  };
  CudaRunner(PassKey, const LoadedModel& model, const CudaRunnerOptions& options, RopeTable rope);

 private:
  // Enqueues one step's launches on the stream: T tokens, `rows` logits rows, attention sized
  // for contexts up to `context_bound`. No host synchronization when `decode` (every chunk one
  // token: the step a graph may capture) or T <= gemv_max_tokens; otherwise MoE layers wait
  // once each for their routing (Moe).
  absl::Status Enqueue(int64_t T, int64_t rows, int context_bound, bool decode);
  // The MoE block of layer `layer` (a MoE layer): xn [T, hidden] -> tmp [T, hidden]; xn already
  // split into bf16 hi/lo when T > gemv_max_tokens.
  absl::Status Moe(size_t layer, int64_t T, bool decode);
  // y[T, M] = x[T, K] . w[M, K]^T  (w bf16 on the device), by GEMV or split-bf16 GemmEx.
  absl::Status Linear(const float* x, int64_t T, int64_t K, const void* w, int64_t M, float* y, bool x_split);
  // Several products of the same x (already split for cuBLAS): one GemvMany launch on the
  // GEMV path, Linear for each otherwise.
  absl::Status LinearMany(const float* x, int64_t T, int64_t K, std::initializer_list<GemvProduct> products);
  absl::Status Split(const float* x, int64_t n);

  const LoadedModel& model_;
  ModelConfig config_;
  CudaRunnerOptions options_;
  RopeTable rope_;
  std::unique_ptr<State> s_;
  std::unique_ptr<ThreadPool> host_threads_;  // ParallelFor's; null until first used
  std::map<std::pair<int64_t, int>, int> graphs_;  // (T, context bucket) -> index in State
  int64_t graph_replays_ = 0;
  // Host staging, reused from step to step.
  std::vector<int32_t> ints_;
  std::vector<float> floats_;
  std::vector<int64_t> positions_;
};

}  // namespace switchyard::cuda

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_RUNNER_CUDA_RUNNER_H_
