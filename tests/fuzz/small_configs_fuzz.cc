// Fuzz target: the other small JSON files of a model directory, generation_config.json and
// tokenizer_config.json. Any input gives a value or an error status.
#include <cstdint>

#include "workers/engine/model/generation_config.h"
#include "workers/engine/model/tokenizer_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)switchyard::ParseGenerationConfig(text, "generation_config.json");
  (void)switchyard::ParseTokenizerConfig(text, "tokenizer_config.json");
  return 0;
}
