// The tensors a Qwen3 or Qwen3-MoE checkpoint must hold, by Hugging Face name, with the shape
// config.json implies ([out_features, in_features] for linear layers, as torch stores them).
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_QWEN3_TENSORS_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_QWEN3_TENSORS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "workers/engine/model/model_config.h"

namespace switchyard {

struct ExpectedTensor {
  std::string name;
  std::vector<int64_t> shape;
};

// Embedding, per layer: input_layernorm, self_attn.{q,k,v,o}_proj, self_attn.{q,k}_norm,
// post_attention_layernorm, then mlp.{gate,up,down}_proj (dense layers) or mlp.gate and
// mlp.experts.E.{gate,up,down}_proj (MoE layers); model.norm; lm_head unless tied.
std::vector<ExpectedTensor> ExpectedQwen3Tensors(const ModelConfig& c);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_QWEN3_TENSORS_H_
