// Fuzz target: the config.json parser. An accepted config must be self-consistent (the
// invariants the engine's shape arithmetic relies on).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "workers/engine/model/model_config.h"
#include "workers/engine/model/qwen3_tensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = switchyard::ParseModelConfig(text, "config.json");
  if (!c.ok()) return 0;
  const bool sane = c->hidden_size > 0 && c->num_attention_heads > 0 && c->num_key_value_heads > 0 &&
                    c->num_attention_heads % c->num_key_value_heads == 0 && c->head_dim > 0 && c->head_dim % 2 == 0 &&
                    c->vocab_size > 0 && c->num_hidden_layers > 0 &&
                    (c->architecture != switchyard::Architecture::kQwen3Moe || c->num_experts_per_tok <= c->num_experts);
  if (!sane) {
    std::fprintf(stderr, "accepted an inconsistent config\n");
    std::abort();
  }
  if (c->num_hidden_layers <= 64 && c->num_experts <= 256) {
    for (const auto& t : switchyard::ExpectedQwen3Tensors(*c)) {
      for (int64_t d : t.shape) {
        if (d <= 0) std::abort();
      }
    }
  }
  return 0;
}
