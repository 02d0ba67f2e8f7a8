// Random-weight Qwen3 models in the Hugging Face layout, for demos, tests and benchmarks:
// config.json (keys sorted, as save_pretrained writes them), generation_config.json (Qwen3's),
// model.safetensors or N shards plus model.safetensors.index.json, and the tokenizer files
// copied from a directory holding Qwen3's tokenizer.
//
// Values follow the oracle's recipe (../shared/oracle/README.md) so that outputs look like a
// model's rather than noise: linear weights with std 1/sqrt(fan_in), embeddings std 0.02,
// RMSNorm weights 1 + 0.1 N(0,1), the final norm scaled by 4/(sqrt(hidden) 0.02) for logits
// of std ~4. Each 1 Mi-element chunk of each tensor has its own PRNG stream keyed by (seed,
// tensor name, chunk), so the bytes depend only on the seed, never on the thread count.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_WRITER_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/progress.h"
#include "workers/engine/util/dtype.h"

namespace switchyard {

struct ModelShape {
  int64_t hidden = 64;
  int64_t layers = 2;
  int64_t heads = 4;
  int64_t kv_heads = 2;
  int64_t head_dim = 16;
  int64_t ffn = 128;
  int64_t experts = 0;  // > 0: Qwen3-MoE
  int64_t top_k = 0;
  int64_t moe_ffn = 0;
  bool tied = true;
  bool tied_lm_head_copy = false;  // tied, yet also ship lm_head.weight (as Qwen3-0.6B does)
  int64_t vocab = 151936;
  int64_t max_position_embeddings = 40960;
  double rope_theta = 1e6;
  double rms_norm_eps = 1e-6;
};

// "tiny" (the fixture's dense shape), "tiny-moe", "qwen3-0.6b", "qwen3-1.7b". InvalidArgument
// listing the names for anything else.
absl::StatusOr<ModelShape> NamedModelShape(absl::string_view name);

struct ModelWriteOptions {
  std::string out_dir;        // created if missing; existing model files are replaced
  ModelShape shape;
  uint64_t seed = 0;
  DType dtype = DType::kBF16;  // kF32 or kBF16
  int shards = 1;
  std::string tokenizer_dir;  // holds tokenizer.json and tokenizer_config.json
  int threads = 0;            // 0: hardware concurrency
  ProgressFn progress;        // bytes of weights written
};

// InvalidArgument for an inconsistent shape or options; NotFound if the tokenizer files are
// missing; Internal naming the path for I/O failures. Files appear atomically (written to a
// temporary name, then renamed).
absl::Status WriteRandomModel(const ModelWriteOptions& options);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_WRITER_H_
