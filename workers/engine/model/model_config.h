// ModelConfig: the parts of a Hugging Face config.json the Qwen3 engine computes with, for
// Qwen3ForCausalLM (model_type "qwen3") and Qwen3MoeForCausalLM ("qwen3_moe"), read with
// transformers' defaults and checked for consistency.
// Thread safety: a plain value.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_CONFIG_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

enum class Architecture { kQwen3, kQwen3Moe };

struct RopeScaling {
  enum class Type { kNone, kLinear, kDynamic, kYarn };
  Type type = Type::kNone;
  double factor = 1.0;
  int64_t original_max_position_embeddings = 0;  // yarn, dynamic
  double beta_fast = 32.0;                        // yarn
  double beta_slow = 1.0;                         // yarn
  double attention_factor = 0.0;                  // yarn; 0 means 0.1 * ln(factor) + 1
};

struct ModelConfig {
  Architecture architecture = Architecture::kQwen3;
  std::string architecture_name;  // "Qwen3ForCausalLM"
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;  // dense MLP width
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;
  int64_t head_dim = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;    // top level, or inside rope_parameters
  RopeScaling rope_scaling;       // rope_scaling, or transformers 5's rope_parameters
  int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::string torch_dtype;
  std::vector<int64_t> bos_token_ids;
  std::vector<int64_t> eos_token_ids;
  // Qwen3-MoE
  int64_t num_experts = 0;
  int64_t num_experts_per_tok = 0;
  int64_t moe_intermediate_size = 0;
  bool norm_topk_prob = false;
  int64_t decoder_sparse_step = 1;
  std::vector<int64_t> mlp_only_layers;

  // Layer i uses the MoE block (as transformers' Qwen3MoeDecoderLayer decides).
  bool IsMoeLayer(int64_t layer) const;
  int64_t q_dim() const { return num_attention_heads * head_dim; }
  int64_t kv_dim() const { return num_key_value_heads * head_dim; }
};

// Parses config.json text. InvalidArgument naming `file` and the key for malformed or
// inconsistent values; Unimplemented for what the engine does not run (another architecture,
// attention bias, sliding-window attention, quantized checkpoints, an unknown rope scaling).
absl::StatusOr<ModelConfig> ParseModelConfig(absl::string_view json, absl::string_view file);
// Reads <dir>/config.json.
absl::StatusOr<ModelConfig> LoadModelConfig(const std::string& dir);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_CONFIG_H_
