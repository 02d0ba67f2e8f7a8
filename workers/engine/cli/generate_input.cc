#include "workers/engine/cli/generate_input.h"

#include "absl/strings/str_cat.h"

namespace switchyard::cli {

absl::StatusOr<std::vector<int32_t>> BuildPromptTokens(const Args& args, const LoadedModel& model, const Tokenizer& tok) {
  if (args.Has("messages") || args.Has("chat")) {
    return absl::FailedPreconditionError("--chat and --messages need the chat template (issue #3), not built yet");
  }
  const std::string text = args.GetOr("prompt", "");
  return tok.Encode(text, {.parse_special = !args.Has("plain-text")});
}

}  // namespace switchyard::cli
