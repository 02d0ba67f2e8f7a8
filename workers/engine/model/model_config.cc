#include "workers/engine/model/model_config.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

// Sizes beyond any real model; they keep arithmetic on them far from overflow.
constexpr int64_t kMaxDim = int64_t{1} << 24;

absl::Status CheckRange(const JsonObject& o, absl::string_view key, int64_t v, int64_t lo, int64_t hi) {
  if (v < lo || v > hi) {
    return absl::InvalidArgumentError(absl::StrCat(o.Where(key), ": ", v, " is outside [", lo, ", ", hi, "]"));
  }
  return absl::OkStatus();
}

// Reads an int field into *out and checks its range; `fallback` < 0 means required.
absl::Status ReadInt(const JsonObject& o, absl::string_view key, int64_t* out, int64_t lo, int64_t hi,
                     int64_t fallback = -1) {
  auto v = fallback < 0 ? o.Int(key) : o.IntOr(key, fallback);
  if (!v.ok()) return v.status();
  *out = *v;
  return CheckRange(o, key, *v, lo, hi);
}

// "eos_token_id": 151645 or [151645, 151643] or absent.
absl::Status ReadIdList(const JsonObject& o, absl::string_view key, std::vector<int64_t>* out) {
  auto e = o.Find(key);
  if (!e || e->is_null()) return absl::OkStatus();
  if (auto v = JsonAsInt(*e)) {
    out->push_back(*v);
    return absl::OkStatus();
  }
  simdjson::dom::array a;
  if (e->get_array().get(a) != simdjson::SUCCESS) return o.TypeError(key, "an integer or a list of integers", *e);
  for (JsonElement x : a) {
    auto v = JsonAsInt(x);
    if (!v) return o.TypeError(key, "a list of integers", x);
    out->push_back(*v);
  }
  return absl::OkStatus();
}

// `key` is "rope_scaling" (transformers 4) or "rope_parameters" (transformers 5, which also
// moves rope_theta inside it and writes {"rope_type": "default"} for plain RoPE).
absl::Status ReadRopeScaling(const JsonObject& root, absl::string_view key, RopeScaling* rs) {
  if (!root.Has(key)) return absl::OkStatus();
  auto o = root.Object(key);
  if (!o.ok()) return o.status();
  // transformers accepts "rope_type" and the older "type".
  auto type = o->Has("rope_type") ? o->String("rope_type") : o->StringOr("type", "default");
  if (!type.ok()) return type.status();
  if (*type == "default") return absl::OkStatus();
  if (*type == "linear") {
    rs->type = RopeScaling::Type::kLinear;
  } else if (*type == "dynamic") {
    rs->type = RopeScaling::Type::kDynamic;
  } else if (*type == "yarn") {
    rs->type = RopeScaling::Type::kYarn;
  } else {
    return absl::UnimplementedError(absl::StrCat(o->Where("rope_type"), ": unknown rope scaling type '", *type,
                                                 "' (supported: default, linear, dynamic, yarn)"));
  }
  auto factor = o->Double("factor");
  if (!factor.ok()) return factor.status();
  if (!(*factor >= 1.0 && *factor <= 1024.0)) {
    return absl::InvalidArgumentError(absl::StrCat(o->Where("factor"), ": ", *factor, " is outside [1, 1024]"));
  }
  rs->factor = *factor;
  if (rs->type != RopeScaling::Type::kLinear) {
    auto orig = o->IntOr("original_max_position_embeddings", 0);
    if (!orig.ok()) return orig.status();
    if (*orig < 0 || *orig > kMaxDim) {
      return absl::InvalidArgumentError(absl::StrCat(o->Where("original_max_position_embeddings"), ": out of range"));
    }
    rs->original_max_position_embeddings = *orig;
  }
  if (rs->type == RopeScaling::Type::kYarn) {
    auto bf = o->DoubleOr("beta_fast", 32.0);
    auto bs = o->DoubleOr("beta_slow", 1.0);
    auto af = o->DoubleOr("attention_factor", 0.0);
    for (const auto* s : {&bf, &bs, &af}) {
      if (!s->ok()) return s->status();
    }
    rs->beta_fast = *bf;
    rs->beta_slow = *bs;
    rs->attention_factor = *af;
  }
  return absl::OkStatus();
}

}  // namespace

bool ModelConfig::IsMoeLayer(int64_t layer) const {
  if (architecture != Architecture::kQwen3Moe || num_experts <= 0) return false;
  if (std::find(mlp_only_layers.begin(), mlp_only_layers.end(), layer) != mlp_only_layers.end()) return false;
  return (layer + 1) % decoder_sparse_step == 0;
}

absl::StatusOr<ModelConfig> ParseModelConfig(absl::string_view json, absl::string_view file) {
  auto doc = JsonDocument::Parse(json, std::string(file));
  if (!doc.ok()) return doc.status();
  auto root_or = (*doc)->RootObject();
  if (!root_or.ok()) return root_or.status();
  const JsonObject& root = *root_or;
  ModelConfig c;

  // Which model: "architectures" names the class; "model_type" must agree.
  std::string arch;
  if (root.Has("architectures")) {
    auto list = root.Array("architectures");
    if (!list.ok()) return list.status();
    for (JsonElement a : *list) {
      std::string_view s;
      if (a.get_string().get(s) == simdjson::SUCCESS) {
        arch = std::string(s);
        break;
      }
    }
  }
  auto model_type = root.StringOr("model_type", "");
  if (!model_type.ok()) return model_type.status();
  if (arch.empty()) arch = *model_type == "qwen3" ? "Qwen3ForCausalLM" : *model_type == "qwen3_moe" ? "Qwen3MoeForCausalLM" : "";
  if (arch == "Qwen3ForCausalLM") {
    c.architecture = Architecture::kQwen3;
  } else if (arch == "Qwen3MoeForCausalLM") {
    c.architecture = Architecture::kQwen3Moe;
  } else {
    return absl::UnimplementedError(absl::StrCat(
        file, ": architecture '", arch.empty() ? std::string(*model_type) : arch,
        "' is not supported (supported: Qwen3ForCausalLM, Qwen3MoeForCausalLM)"));
  }
  c.architecture_name = arch;
  const absl::string_view want_type = c.architecture == Architecture::kQwen3 ? "qwen3" : "qwen3_moe";
  if (!model_type->empty() && *model_type != want_type) {
    return absl::InvalidArgumentError(absl::StrCat(root.Where("model_type"), ": '", *model_type, "' does not match ",
                                                   arch, " (expected '", want_type, "')"));
  }
  if (root.Has("quantization_config")) {
    return absl::UnimplementedError(absl::StrCat(
        file, ": quantization_config is set; quantized checkpoints (FP8, AWQ, GPTQ) are not supported, "
              "use the bf16 release of the model"));
  }

  for (auto s : {ReadInt(root, "vocab_size", &c.vocab_size, 1, kMaxDim),
                 ReadInt(root, "hidden_size", &c.hidden_size, 1, kMaxDim),
                 ReadInt(root, "num_hidden_layers", &c.num_hidden_layers, 1, 4096),
                 ReadInt(root, "num_attention_heads", &c.num_attention_heads, 1, 4096),
                 ReadInt(root, "max_position_embeddings", &c.max_position_embeddings, 1, kMaxDim, 40960)}) {
    if (!s.ok()) return s;
  }
  if (auto s = ReadInt(root, "num_key_value_heads", &c.num_key_value_heads, 1, 4096, c.num_attention_heads); !s.ok()) return s;
  if (auto s = ReadInt(root, "head_dim", &c.head_dim, 1, 4096, c.hidden_size / c.num_attention_heads); !s.ok()) return s;
  if (c.head_dim < 1) {
    return absl::InvalidArgumentError(absl::StrCat(root.Where("head_dim"), ": absent and hidden_size / num_attention_heads is 0"));
  }
  if (c.head_dim % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat(root.Where("head_dim"), ": ", c.head_dim, " is odd; rotary embedding needs pairs"));
  }
  if (c.num_attention_heads % c.num_key_value_heads != 0) {
    return absl::InvalidArgumentError(absl::StrCat(root.Where("num_key_value_heads"), ": ", c.num_key_value_heads,
                                                   " does not divide num_attention_heads ", c.num_attention_heads));
  }
  auto eps = root.DoubleOr("rms_norm_eps", 1e-6);
  auto theta = root.DoubleOr("rope_theta", 10000.0);
  // transformers 5 keeps theta and scaling in "rope_parameters"; missing it would silently
  // give theta 10000 and garbage beyond a few tokens.
  const bool v5_rope = root.Has("rope_parameters");
  if (v5_rope) {
    auto params = root.Object("rope_parameters");
    if (!params.ok()) return params.status();
    if (params->Has("rope_theta")) theta = params->Double("rope_theta");
  }
  if (!eps.ok()) return eps.status();
  if (!theta.ok()) return theta.status();
  if (!(*eps > 0 && *eps < 1)) return absl::InvalidArgumentError(absl::StrCat(root.Where("rms_norm_eps"), ": must be in (0, 1)"));
  if (!(*theta > 1 && *theta < 1e12)) return absl::InvalidArgumentError(absl::StrCat(root.Where("rope_theta"), ": must be in (1, 1e12)"));
  c.rms_norm_eps = *eps;
  c.rope_theta = *theta;
  if (auto s = ReadRopeScaling(root, v5_rope ? "rope_parameters" : "rope_scaling", &c.rope_scaling); !s.ok()) return s;
  auto tie = root.BoolOr("tie_word_embeddings", false);
  if (!tie.ok()) return tie.status();
  c.tie_word_embeddings = *tie;
  // transformers 5 renamed torch_dtype to dtype.
  auto dtype = root.Has("torch_dtype") ? root.String("torch_dtype") : root.StringOr("dtype", "bfloat16");
  if (!dtype.ok()) return dtype.status();
  c.torch_dtype = std::string(*dtype);
  auto bias = root.BoolOr("attention_bias", false);
  if (!bias.ok()) return bias.status();
  if (*bias) return absl::UnimplementedError(absl::StrCat(root.Where("attention_bias"), ": true is not a Qwen3 layout"));
  auto sliding = root.BoolOr("use_sliding_window", false);
  if (!sliding.ok()) return sliding.status();
  if (*sliding) return absl::UnimplementedError(absl::StrCat(root.Where("use_sliding_window"), ": sliding-window attention is not supported"));
  auto act = root.StringOr("hidden_act", "silu");
  if (!act.ok()) return act.status();
  if (*act != "silu") return absl::UnimplementedError(absl::StrCat(root.Where("hidden_act"), ": '", *act, "' (Qwen3 uses silu)"));
  if (auto s = ReadIdList(root, "bos_token_id", &c.bos_token_ids); !s.ok()) return s;
  if (auto s = ReadIdList(root, "eos_token_id", &c.eos_token_ids); !s.ok()) return s;

  if (c.architecture == Architecture::kQwen3) {
    if (auto s = ReadInt(root, "intermediate_size", &c.intermediate_size, 1, kMaxDim); !s.ok()) return s;
  } else {
    if (auto s = ReadInt(root, "intermediate_size", &c.intermediate_size, 0, kMaxDim, 0); !s.ok()) return s;
    for (auto s : {ReadInt(root, "num_experts", &c.num_experts, 1, 4096),
                   ReadInt(root, "num_experts_per_tok", &c.num_experts_per_tok, 1, 4096),
                   ReadInt(root, "moe_intermediate_size", &c.moe_intermediate_size, 1, kMaxDim),
                   ReadInt(root, "decoder_sparse_step", &c.decoder_sparse_step, 1, 4096, 1)}) {
      if (!s.ok()) return s;
    }
    if (c.num_experts_per_tok > c.num_experts) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("num_experts_per_tok"), ": ", c.num_experts_per_tok,
                                                     " exceeds num_experts ", c.num_experts));
    }
    auto norm = root.BoolOr("norm_topk_prob", false);
    if (!norm.ok()) return norm.status();
    c.norm_topk_prob = *norm;
    if (root.Has("mlp_only_layers")) {
      auto layers = root.Array("mlp_only_layers");
      if (!layers.ok()) return layers.status();
      for (JsonElement l : *layers) {
        auto v = JsonAsInt(l);
        if (!v || *v < 0 || *v >= c.num_hidden_layers) {
          return absl::InvalidArgumentError(absl::StrCat(root.Where("mlp_only_layers"), ": entries must be layer indices below ",
                                                         c.num_hidden_layers));
        }
        c.mlp_only_layers.push_back(*v);
      }
    }
    for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
      if (!c.IsMoeLayer(l) && c.intermediate_size < 1) {
        return absl::InvalidArgumentError(absl::StrCat(root.Where("intermediate_size"), ": layer ", l,
                                                       " is dense but intermediate_size is missing or 0"));
      }
    }
  }
  return c;
}

absl::StatusOr<ModelConfig> LoadModelConfig(const std::string& dir) {
  const std::string path = dir + "/config.json";
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseModelConfig(*text, path);
}

}  // namespace switchyard
