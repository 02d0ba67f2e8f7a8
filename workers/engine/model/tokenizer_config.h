// TokenizerConfig: tokenizer_config.json, which carries the chat template and names the
// special tokens (the vocabulary itself is tokenizer.json, see tokenizer/tokenizer.h).
// Thread safety: a plain value.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_TOKENIZER_CONFIG_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_TOKENIZER_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

struct TokenizerConfig {
  std::string chat_template;  // Jinja source; empty when the model has none
  // Every template of a chat_template given as a list of {name, template} ("default",
  // "tool_use", ...); empty when chat_template is a plain string.
  std::map<std::string, std::string> named_chat_templates;
  std::optional<std::string> bos_token, eos_token, pad_token, unk_token;
  bool add_bos_token = false;
  std::optional<int64_t> model_max_length;
  struct Added {
    std::string content;
    bool special = false;
  };
  std::map<int64_t, Added> added_tokens_decoder;
};

// InvalidArgument naming `file` and the key for wrong types. A chat_template given as a list
// of {name, template} uses the one named "default".
absl::StatusOr<TokenizerConfig> ParseTokenizerConfig(absl::string_view json, absl::string_view file);
// <dir>/tokenizer_config.json, or an empty config when the file does not exist. When the JSON
// has no chat_template, <dir>/chat_template.jinja is used (newer transformers save it there).
absl::StatusOr<TokenizerConfig> LoadTokenizerConfig(const std::string& dir);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_TOKENIZER_CONFIG_H_
