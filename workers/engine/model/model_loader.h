// LoadedModel: a Qwen3 / Qwen3-MoE model directory as Qwen publishes it on Hugging Face,
// opened, memory-mapped and checked against its config.json.
//
//   auto model = LoadModel("/models/Qwen3-0.6B", {.progress = bar.Callback()});
//   const TensorView& wq = (*model)->Tensor("model.layers.0.self_attn.q_proj.weight");
//
// Every tensor the config implies must be present with that shape and a float dtype (bf16,
// f16, f32, mixed freely); anything wrong is an error naming the file and the tensor. Extra
// tensors are listed in ignored_tensors(). Tied checkpoints that still ship lm_head.weight are
// accepted: Tensor("lm_head.weight") is then the embedding, as transformers ties it. Every
// view's data is aligned to its element size (see realigned_tensors()).
// Thread safety: immutable after LoadModel; the views stay valid while the model lives.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_LOADER_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_LOADER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/progress.h"
#include "workers/engine/model/generation_config.h"
#include "workers/engine/model/model_config.h"
#include "workers/engine/model/safetensors.h"
#include "workers/engine/model/tokenizer_config.h"
#include "workers/engine/util/huge_page_buffer.h"

namespace switchyard {

// Where the weights live once loaded.
enum class WeightMemory {
  kMapped,     // the checkpoint's file mapping (page cache): no copy, shared between processes
  kHugePages,  // one copy in anonymous memory on transparent huge pages: CPU decode reads it
               // about 25% faster (measured: bench/RESULTS.md), at the cost of a private copy
};

struct LoadOptions {
  ProgressFn progress;   // bytes of weights paged in (or copied)
  bool prefault = true;  // kMapped: read every weight page now, so the first request does not wait on disk
  WeightMemory memory = WeightMemory::kMapped;
};

class LoadedModel {
 public:
  const std::string& dir() const { return dir_; }
  const ModelConfig& config() const { return config_; }
  const GenerationConfig& generation_config() const { return generation_; }
  const TokenizerConfig& tokenizer_config() const { return tokenizer_config_; }
  std::string tokenizer_json_path() const { return dir_ + "/tokenizer.json"; }

  // REQUIRES: `name` is one of ExpectedQwen3Tensors(config()) or "lm_head.weight".
  const TensorView& Tensor(absl::string_view name) const;
  const TensorView* Find(absl::string_view name) const;
  const std::vector<std::string>& ignored_tensors() const { return ignored_; }
  // Tensors whose bytes in the file were not aligned to their element size, and which were
  // therefore copied out of the map (empty for files written by safetensors or model_writer).
  const std::vector<std::string>& realigned_tensors() const { return realigned_names_; }
  const std::vector<std::string>& weight_files() const { return file_names_; }
  uint64_t weight_bytes() const { return weight_bytes_; }
  // WeightMemory::kHugePages: the one region that holds every weight (switchyard-bench
  // --roofline reads exactly these pages to measure the bandwidth decode can reach). Null
  // and 0 for kMapped.
  const uint8_t* resident_weights() const { return static_cast<const uint8_t*>(arena_.data()); }
  size_t resident_weight_bytes() const { return arena_.size(); }
  int64_t parameter_count() const { return parameters_; }

  // Only LoadModel builds models.
  class PassKey {
    friend absl::StatusOr<std::unique_ptr<LoadedModel>> LoadModel(const std::string&, const LoadOptions&);
    PassKey() = default;
  };
  explicit LoadedModel(PassKey) {}

 private:
  friend absl::StatusOr<std::unique_ptr<LoadedModel>> LoadModel(const std::string&, const LoadOptions&);
  friend absl::Status CopyToHugePages(LoadedModel& model, const ProgressFn& progress);
  std::string dir_;
  ModelConfig config_;
  GenerationConfig generation_;
  TokenizerConfig tokenizer_config_;
  std::vector<SafetensorsFile> files_;
  std::vector<std::string> file_names_;
  absl::flat_hash_map<std::string, TensorView> tensors_;
  std::vector<std::string> ignored_;
  std::deque<std::vector<uint64_t>> realigned_;  // copies of misaligned tensors; views point here
  HugePageBuffer arena_;  // kHugePages: the weights' private copy
  std::vector<std::string> realigned_names_;
  uint64_t weight_bytes_ = 0;
  int64_t parameters_ = 0;
};

// NotFound for a missing directory, config.json or weights file (and a shard the index names);
// InvalidArgument / DataLoss / Unimplemented from the parsers, naming the file; InvalidArgument
// for a missing tensor or a shape that disagrees with config.json.
absl::StatusOr<std::unique_ptr<LoadedModel>> LoadModel(const std::string& dir, const LoadOptions& options = {});

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_MODEL_LOADER_H_
