// GenerationConfig: generation_config.json, the model's default sampling settings. Absent
// file or keys give transformers' defaults (greedy, no penalties).
// Thread safety: a plain value.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_GENERATION_CONFIG_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_GENERATION_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

struct GenerationConfig {
  bool do_sample = false;
  double temperature = 1.0;
  int64_t top_k = 50;
  double top_p = 1.0;
  double min_p = 0.0;
  double repetition_penalty = 1.0;
  double presence_penalty = 0.0;
  double frequency_penalty = 0.0;
  std::optional<int64_t> max_new_tokens;
  std::vector<int64_t> eos_token_ids;
  std::optional<int64_t> bos_token_id;
  std::optional<int64_t> pad_token_id;
};

// InvalidArgument naming `file` and the key for wrong types or out-of-range values
// (temperature < 0, top_p outside (0, 1], top_k < 0, ...).
absl::StatusOr<GenerationConfig> ParseGenerationConfig(absl::string_view json, absl::string_view file);
// <dir>/generation_config.json, or the defaults when the file does not exist.
absl::StatusOr<GenerationConfig> LoadGenerationConfig(const std::string& dir);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_GENERATION_CONFIG_H_
