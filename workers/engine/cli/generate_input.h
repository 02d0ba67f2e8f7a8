// The prompt of switchyard-generate as token ids: --prompt TEXT as is, or wrapped as a user
// message (--chat), or an OpenAI-style message list (--messages FILE.json), rendered with the
// model's chat template.
#ifndef SWITCHYARD_WORKERS_ENGINE_CLI_GENERATE_INPUT_H_
#define SWITCHYARD_WORKERS_ENGINE_CLI_GENERATE_INPUT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "base/command_line.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard::cli {

absl::StatusOr<std::vector<int32_t>> BuildPromptTokens(const CommandLine& args, const LoadedModel& model, const Tokenizer& tok);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_WORKERS_ENGINE_CLI_GENERATE_INPUT_H_
