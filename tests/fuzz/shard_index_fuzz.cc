// Fuzz target: the model.safetensors.index.json parser. Accepted shard names must be plain
// file names (no path can escape the model directory).
#include <cstdint>
#include <cstdlib>

#include "workers/engine/model/shard_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto index = switchyard::ParseShardIndex(text, "model.safetensors.index.json");
  if (!index.ok()) return 0;
  for (const std::string& shard : index->Shards()) {
    if (shard.empty() || shard.find('/') != std::string::npos || shard == "..") std::abort();
  }
  return 0;
}
