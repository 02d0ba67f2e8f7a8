// DecodeCost: bytes moved and floating-point operations of one decode step of a Qwen3 or
// Qwen3-MoE model, computed from its config.json alone, for the roofline the CUDA backend is
// measured against (issue #9). One step = every sequence of the batch produces one token.
//
//   auto cost = ComputeDecodeCost(config, {.batch = 1, .context = 1024});
//   double ms = cost->bytes() / 3.35e12 * 1e3;   // memory-bound time on an H100 SXM
//
// What is counted, per step (B = batch, L = positions already cached per sequence, so
// attention of the new token spans L + 1 positions):
//   - every weight that the step touches is read from memory exactly once, whatever B is: the
//     kernels the design plans read a weight tile once and apply it to all B rows. Weights are
//     `weight_bytes` per element (bf16 = 2), norm weights included (the checkpoint's dtype).
//   - embedding: B rows of the table are gathered (distinct tokens assumed).
//   - LM head: the whole [vocab, hidden] matrix is read, tied or not (tied: it is the
//     embedding table, so the gathered rows are counted twice; that is B rows, nothing).
//   - MoE: per MoE layer, the expected number of distinct experts touched by B tokens under
//     uniform top-k routing, E * (1 - (1 - k/E)^B), each read once (k at B = 1, about E at
//     large B). Real routers are not uniform: skewed routing touches fewer experts, so this is
//     the pessimistic side for bytes. The router weight [E, hidden] is read in full.
//   - KV cache: reads B * (L + 1) positions of K and V per layer at `kv_bytes` per element,
//     writes B positions; no reuse between sequences (no shared prefixes).
//   - activations: every tensor that crosses a kernel boundary in the planned fused kernel
//     sequence (see the .cc) is written once and read back once at `act_bytes`; an upper bound,
//     since at these batch sizes a layer's activations fit in the H100's 50 MB L2. Logits are
//     written once at `logit_bytes` (f32); sampling, which reads them again, is not counted.
//   - FLOPs: 2 per multiply-add of every matrix product; attention 4 * head_dim per (head,
//     position) for q.k and p.v plus 5 per score for scale, max, exp, sum; RMSNorm 4 per
//     element; rotary 3 per element; SwiGLU 4 per element; residual add 1 per element.
// Not counted: sampling, the router's top-k selection (comparisons), index and pointer traffic,
// and anything for prefill. Nothing here depends on the GPU: the predicted times are just
// bytes / bandwidth and flops / rate.
//
// Thread safety: pure functions of their arguments.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_DECODE_COST_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_DECODE_COST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "workers/engine/model/model_config.h"

namespace switchyard {

struct DecodeCostOptions {
  int64_t batch = 1;      // sequences decoding together, each producing one token
  int64_t context = 0;    // positions already in each sequence's KV cache
  int weight_bytes = 2;   // bf16 weights
  int kv_bytes = 2;       // bf16 / f16 cache; 1 for fp8
  int act_bytes = 2;      // activations between kernels
  int logit_bytes = 4;    // f32 logits
};

// One line of the breakdown; bytes are fractional only for MoE experts (an expectation).
struct DecodeCostItem {
  std::string name;  // "embedding", "attn_proj", ... in the order the step runs them
  double bytes = 0;
  double flops = 0;
};

struct DecodeCost {
  std::vector<DecodeCostItem> items;
  // Parameters in the checkpoint (tied embeddings counted once).
  int64_t total_params = 0;
  // Parameters one token uses, in the usual convention (Qwen's "3.3B activated"): everything
  // except the experts a token is not routed to; the embedding table counts in full.
  int64_t active_params = 0;
  // MoE: expected distinct experts read per MoE layer this step, E * (1 - (1 - k/E)^B);
  // 0 for a dense model.
  double experts_per_layer = 0;
  int64_t moe_layers = 0;
  int64_t dense_layers = 0;

  double bytes() const;
  double flops() const;
  // nullptr if there is no item of that name.
  const DecodeCostItem* Find(const std::string& name) const;
};

// Expected number of distinct experts that `tokens` tokens touch when each picks `k` of
// `experts` uniformly at random: E * (1 - (1 - k/E)^tokens). k at tokens = 1.
double ExpectedDistinctExperts(int64_t experts, int64_t k, int64_t tokens);

// InvalidArgument for batch < 1, context < 0 or a byte size outside [1, 8].
absl::StatusOr<DecodeCost> ComputeDecodeCost(const ModelConfig& config, const DecodeCostOptions& options);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_DECODE_COST_H_
