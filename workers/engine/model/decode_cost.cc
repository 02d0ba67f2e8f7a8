#include "workers/engine/model/decode_cost.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace switchyard {
namespace {

double D(int64_t v) { return static_cast<double>(v); }

// Activations between kernels, elements per token, for the fused kernel sequence the CUDA
// design plans for one decoder layer (each arrow is a tensor written by one kernel and read by
// the next; the residual stream x is read and rewritten in place):
//   K1 RMSNorm + q/k/v GEMV         x -> qkv                       h + (q + 2kv)
//   K2 q/k norm + rotary + KV append qkv -> q (k, v go to the cache) (q + 2kv) + q
//   K3 attention over the cache     q -> o                          q + q
//   K4 o GEMV + residual add        o, x -> x                       q + h + h
// dense MLP:
//   K5 RMSNorm + gate/up + SwiGLU   x -> a                          h + I
//   K6 down GEMV + residual add     a, x -> x                       I + h + h
// MoE block:
//   K5 RMSNorm + router logits      x -> xn, logits                 h + h + E
//   K6 softmax + top-k              logits -> ids, weights          E (+ 2k, not counted)
//   K7 experts gate/up + SwiGLU     xn (once per chosen expert) -> a  k*h + k*Im
//   K8 experts down                 a -> y                          k*Im + k*h
//   K9 weighted sum + residual      y, x -> x                       k*h + h + h
int64_t AttentionActivations(const ModelConfig& c) {
  const int64_t h = c.hidden_size, q = c.q_dim(), kv = c.kv_dim();
  return 3 * h + 6 * q + 4 * kv;
}
int64_t MlpActivations(const ModelConfig& c) { return 3 * c.hidden_size + 2 * c.intermediate_size; }
int64_t MoeActivations(const ModelConfig& c) {
  const int64_t h = c.hidden_size, k = c.num_experts_per_tok;
  return 4 * h + 2 * c.num_experts + 3 * k * h + 2 * k * c.moe_intermediate_size;
}

}  // namespace

double DecodeCost::bytes() const {
  double b = 0;
  for (const auto& i : items) b += i.bytes;
  return b;
}

double DecodeCost::flops() const {
  double f = 0;
  for (const auto& i : items) f += i.flops;
  return f;
}

const DecodeCostItem* DecodeCost::Find(const std::string& name) const {
  for (const auto& i : items) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

double ExpectedDistinctExperts(int64_t experts, int64_t k, int64_t tokens) {
  if (experts <= 0 || k <= 0 || tokens <= 0) return 0;
  const double e = D(experts);
  // Each expert is missed by one token with probability 1 - k/E, by all of them with its power.
  return e * (1.0 - std::pow(1.0 - D(k) / e, D(tokens)));
}

absl::StatusOr<DecodeCost> ComputeDecodeCost(const ModelConfig& c, const DecodeCostOptions& o) {
  if (o.batch < 1) return absl::InvalidArgumentError(absl::StrCat("batch ", o.batch, " must be at least 1"));
  if (o.context < 0) return absl::InvalidArgumentError(absl::StrCat("context ", o.context, " must not be negative"));
  for (int b : {o.weight_bytes, o.kv_bytes, o.act_bytes, o.logit_bytes}) {
    if (b < 1 || b > 8) return absl::InvalidArgumentError(absl::StrCat("byte size ", b, " is outside [1, 8]"));
  }
  if (c.hidden_size < 1 || c.num_hidden_layers < 1 || c.vocab_size < 1 || c.num_attention_heads < 1 ||
      c.num_key_value_heads < 1 || c.head_dim < 1) {
    return absl::InvalidArgumentError("model config has an empty dimension (was it parsed?)");
  }

  DecodeCost r;
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) (c.IsMoeLayer(l) ? r.moe_layers : r.dense_layers)++;

  const int64_t h = c.hidden_size, q = c.q_dim(), kv = c.kv_dim(), hd = c.head_dim;
  const int64_t nh = c.num_attention_heads, V = c.vocab_size, layers = c.num_hidden_layers;
  const int64_t I = c.intermediate_size, E = c.num_experts, k = c.num_experts_per_tok;
  const int64_t Im = c.moe_intermediate_size;
  const double B = D(o.batch), positions = D(o.context + 1);  // the new token attends to itself
  const double wb = o.weight_bytes, kvb = o.kv_bytes;

  // Parameters.
  const int64_t attn_params = h * (2 * q + 2 * kv) + 2 * hd + 2 * h;  // q, k, v, o; q/k norms; 2 RMSNorms
  const int64_t expert_params = 3 * h * Im;                            // gate, up, down
  r.total_params = V * h * (c.tie_word_embeddings ? 1 : 2) + layers * attn_params +
                   r.dense_layers * 3 * h * I + r.moe_layers * (h * E + E * expert_params) + h;
  r.active_params = r.total_params - r.moe_layers * (E - k) * expert_params;

  auto add = [&](const char* name, double bytes, double flops) { r.items.push_back({name, bytes, flops}); };
  add("embedding", B * D(h) * wb, 0);
  // input_layernorm and post_attention_layernorm (4 flops per element) and the two residual adds.
  add("layer_norms", D(layers * 2 * h) * wb, D(layers) * B * D(2 * 4 * h + 2 * h));
  add("attn_proj", D(layers * h * (2 * q + 2 * kv)) * wb, D(layers) * B * 2 * D(h * (2 * q + 2 * kv)));
  // Per-head RMSNorm (4) and rotary (3) on q and k; weights are one [head_dim] vector each.
  add("qk_norm_rope", D(layers * 2 * hd) * wb, D(layers) * B * 7 * D(q + kv));
  add("kv_write", D(layers) * B * D(2 * kv) * kvb, 0);
  // q.k and p.v: 2 * head_dim each per (head, position); softmax: 5 per score.
  add("attention", D(layers) * B * positions * D(2 * kv) * kvb, D(layers) * B * positions * D(4 * q + 5 * nh));
  if (r.dense_layers > 0) {
    add("mlp", D(r.dense_layers * 3 * h * I) * wb, D(r.dense_layers) * B * D(6 * h * I + 4 * I));
  }
  if (r.moe_layers > 0) {
    r.experts_per_layer = ExpectedDistinctExperts(E, k, o.batch);
    // Router GEMV and its softmax; top-k selection is comparisons only.
    add("moe_router", D(r.moe_layers * h * E) * wb, D(r.moe_layers) * B * D(2 * h * E + 4 * E));
    // Each token runs k experts (gate/up/down, SwiGLU) and adds their outputs with its weights.
    add("moe_experts", D(r.moe_layers) * r.experts_per_layer * D(expert_params) * wb,
        D(r.moe_layers) * B * D(k) * D(6 * h * Im + 4 * Im + 2 * h));
  }
  add("final_norm", D(h) * wb, B * D(4 * h));
  add("lm_head", D(V * h) * wb, B * 2 * D(h * V));
  add("logits", B * D(V) * o.logit_bytes, 0);
  // Embedding output (h), every layer's kernel boundaries, final norm in/out and LM head input (3h).
  const int64_t act_per_token = h + layers * AttentionActivations(c) + r.dense_layers * MlpActivations(c) +
                                r.moe_layers * MoeActivations(c) + 3 * h;
  add("activations", B * D(act_per_token) * o.act_bytes, 0);
  return r;
}

}  // namespace switchyard
