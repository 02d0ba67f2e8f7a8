#include "workers/engine/model/qwen3_tensors.h"

#include "absl/strings/str_cat.h"

namespace switchyard {

std::vector<ExpectedTensor> ExpectedQwen3Tensors(const ModelConfig& c) {
  std::vector<ExpectedTensor> t;
  const int64_t h = c.hidden_size;
  t.push_back({"model.embed_tokens.weight", {c.vocab_size, h}});
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
    const std::string p = absl::StrCat("model.layers.", l, ".");
    t.push_back({p + "input_layernorm.weight", {h}});
    t.push_back({p + "self_attn.q_proj.weight", {c.q_dim(), h}});
    t.push_back({p + "self_attn.k_proj.weight", {c.kv_dim(), h}});
    t.push_back({p + "self_attn.v_proj.weight", {c.kv_dim(), h}});
    t.push_back({p + "self_attn.o_proj.weight", {h, c.q_dim()}});
    t.push_back({p + "self_attn.q_norm.weight", {c.head_dim}});
    t.push_back({p + "self_attn.k_norm.weight", {c.head_dim}});
    t.push_back({p + "post_attention_layernorm.weight", {h}});
    if (c.IsMoeLayer(l)) {
      t.push_back({p + "mlp.gate.weight", {c.num_experts, h}});
      for (int64_t e = 0; e < c.num_experts; ++e) {
        const std::string x = absl::StrCat(p, "mlp.experts.", e, ".");
        t.push_back({x + "gate_proj.weight", {c.moe_intermediate_size, h}});
        t.push_back({x + "up_proj.weight", {c.moe_intermediate_size, h}});
        t.push_back({x + "down_proj.weight", {h, c.moe_intermediate_size}});
      }
    } else {
      t.push_back({p + "mlp.gate_proj.weight", {c.intermediate_size, h}});
      t.push_back({p + "mlp.up_proj.weight", {c.intermediate_size, h}});
      t.push_back({p + "mlp.down_proj.weight", {h, c.intermediate_size}});
    }
  }
  t.push_back({"model.norm.weight", {h}});
  if (!c.tie_word_embeddings) t.push_back({"lm_head.weight", {c.vocab_size, h}});
  return t;
}

}  // namespace switchyard
