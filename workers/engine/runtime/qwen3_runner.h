// Qwen3Runner: the Qwen3 / Qwen3-MoE forward pass on the CPU backend, as transformers defines
// it: embedding; per layer RMSNorm -> q/k/v projections -> per-head RMSNorm of q and k ->
// rotary embedding -> causal grouped-query attention over the paged KV cache -> o projection
// -> residual -> RMSNorm -> SwiGLU MLP or MoE (softmax router in f32, top-k, renormalized when
// norm_topk_prob) -> residual; final RMSNorm; tied or untied head. f32 activations; weights
// are read from the mapped checkpoint in their stored dtype.
//
// One Forward() runs any mix of sequences: a prompt's tokens (prefill) and single decode
// tokens, all through one matrix product per weight (the scheduler's batch, vLLM-style).
// Thread safety: one Forward() at a time (the step thread); the runner owns its threads.
#ifndef SWITCHYARD_WORKERS_ENGINE_RUNTIME_QWEN3_RUNNER_H_
#define SWITCHYARD_WORKERS_ENGINE_RUNTIME_QWEN3_RUNNER_H_

#include <array>
#include <cstdint>
#include <string>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "workers/engine/backend/cpu/attention.h"
#include "workers/engine/backend/cpu/cpu_features.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/model_runner.h"
#include "workers/engine/runtime/rope.h"

namespace switchyard {

struct RunnerOptions {
  int threads = 0;                    // 0: one per hardware thread
  SimdLevel simd = SimdLevel::kAuto;  // tests force each kernel family
  bool profile = false;               // time each phase of the forward pass (ProfileReport)
  // bf16 weights' matrix products on activations rounded to bf16 (MatmulArgs::bf16_activations),
  // as llama.cpp computes them: on AVX512_BF16 CPUs twice the FMA rate, which is what bounds
  // batched decode and prefill; single-sequence decode is bound by memory and barely changes.
  // Logits move by about 1e-2 relative, so it is off by default.
  bool bf16_activations = false;
};

// How the runner calls Matmul: the kernel family and the activation precision.
struct MatmulMode {
  SimdLevel simd;
  bool bf16_activations;
  MatmulArgs Args(const float* x, int64_t T, int64_t K, const void* w, DType wtype, int64_t M, float* y) const {
    return MatmulArgs{.x = x, .T = T, .K = K, .w = w, .wtype = wtype, .M = M, .y = y, .bf16_activations = bf16_activations};
  }
};

class Qwen3Runner final : public ModelRunner {
 public:
  // `model` must outlive the runner. Unimplemented for configs the runner cannot compute.
  static absl::StatusOr<std::unique_ptr<Qwen3Runner>> Create(const LoadedModel& model, const RunnerOptions& options);

  // Runs the chunks, appends their K/V to each sequence's cache, and writes logits rows to
  // `logits` ([rows, vocab_size()], rows = LogitRows(chunks)). InvalidArgument for token ids
  // outside the vocabulary or positions past max_context(); FailedPrecondition for a
  // bookkeeping-only pool (its data is not in host memory); ResourceExhausted when the KV pool
  // has no room (no sequence is changed then).
  absl::Status Forward(absl::Span<const SequenceChunk> chunks, float* logits) override;

  static int64_t LogitRows(absl::Span<const SequenceChunk> chunks) { return switchyard::LogitRows(chunks); }
  const ModelConfig& config() const override { return config_; }
  // Any host pool of kv_shape(wish's block size, dtype): the wish, with host memory.
  KvPoolSpec KvPoolFor(const KvPoolSpec& wish) const override;
  absl::string_view device_name() const override { return "cpu"; }
  // On the forward pass's threads, one index at a time (ThreadPool::Share).
  void ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) override;
  const LoadedModel& model() const { return model_; }  // the weights the runner reads
  KvCacheShape kv_shape(int64_t block_size = 16, DType dtype = DType::kF32) const;
  ThreadPool& threads() { return pool_; }
  // With RunnerOptions::profile: wall time spent per phase so far, summed over calls.
  std::string ProfileReport() const;
  void ResetProfile() { profile_seconds_.fill(0); }

  struct Layer;  // weights of one decoder layer (defined in the .cc)
  Qwen3Runner(const LoadedModel& model, const RunnerOptions& options, RopeTable rope);
  ~Qwen3Runner();

 private:
  // Parts of Forward's parallel region, called by every thread (ith of nth).
  void Mlp(const Layer& layer, int64_t T, int ith, int nth);
  void Moe(const Layer& layer, int64_t T, int ith, int nth);
  // The normalized activations as thread ith sees them: every thread normalizes all T rows of
  // the residual stream into its own copy (a few KB per token), so the next products start
  // without waiting for one thread to normalize and the others to see it.
  float* Xn(int ith) { return xn_[static_cast<size_t>(ith)].data(); }

  enum class Phase { kNorms, kQkv, kAttention, kOutProj, kMlp, kHead, kOther, kCount };
  const LoadedModel& model_;
  ModelConfig config_;
  MatmulMode mode_;
  bool profile_;
  std::array<double, static_cast<size_t>(Phase::kCount)> profile_seconds_{};
  ThreadPool pool_;
  RopeTable rope_;
  std::vector<Layer> layers_;
  std::vector<float> final_norm_;
  TensorView embedding_, lm_head_;
  // Scratch, grown to the largest batch seen and reused: no allocation per token.
  std::vector<float> x_, q_, k_, v_, attn_, tmp_, gate_, up_, cos_, sin_, head_in_;
  std::vector<std::vector<float>> xn_;  // per thread: Xn()
  std::vector<float> router_, expert_in_, expert_gate_, expert_up_, expert_out_;
  std::vector<int64_t> positions_;
  std::vector<std::vector<std::pair<int64_t, float>>> routed_;  // MoE: expert -> (token, weight)
  std::vector<cpu::AttentionToken> att_;
  std::vector<std::pair<KvSequence*, int64_t>> slot_;
  std::vector<int32_t> ids_;
  std::vector<int64_t> head_rows_;
  std::vector<std::vector<float>> scores_;  // attention scratch per thread
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_RUNTIME_QWEN3_RUNNER_H_
