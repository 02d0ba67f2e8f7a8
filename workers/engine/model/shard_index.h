// ShardIndex: model.safetensors.index.json, which says which shard file holds each tensor of a
// checkpoint split into model-00001-of-0000N.safetensors files.
// Thread safety: a plain value.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_SHARD_INDEX_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_SHARD_INDEX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

struct ShardIndex {
  std::map<std::string, std::string> weight_map;  // tensor name -> shard file name
  std::optional<uint64_t> total_size;             // metadata.total_size, when given
  // The distinct shard files, sorted.
  std::vector<std::string> Shards() const;
};

// InvalidArgument naming `file` for malformed JSON, a missing or non-object weight_map,
// non-string shard names, and shard names that are not plain file names (a '/' or "..", so
// an index can never point outside the model directory).
absl::StatusOr<ShardIndex> ParseShardIndex(absl::string_view json, absl::string_view file);

// Reads <dir>/model.safetensors.index.json and checks that every shard exists: NotFound naming
// the index and the missing shard otherwise.
absl::StatusOr<ShardIndex> LoadShardIndex(const std::string& dir);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_SHARD_INDEX_H_
