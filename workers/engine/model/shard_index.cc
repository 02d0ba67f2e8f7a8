#include "workers/engine/model/shard_index.h"

#include <sys/stat.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {

std::vector<std::string> ShardIndex::Shards() const {
  std::set<std::string> s;
  for (const auto& [name, shard] : weight_map) s.insert(shard);
  return {s.begin(), s.end()};
}

absl::StatusOr<ShardIndex> ParseShardIndex(absl::string_view json, absl::string_view file) {
  auto doc = JsonDocument::Parse(json, std::string(file));
  if (!doc.ok()) return doc.status();
  auto root = (*doc)->RootObject();
  if (!root.ok()) return root.status();
  ShardIndex index;
  if (root->Has("metadata")) {
    auto meta = root->Object("metadata");
    if (!meta.ok()) return meta.status();
    if (meta->Has("total_size")) {
      auto total = meta->Int("total_size");
      if (!total.ok()) return total.status();
      if (*total < 0) return absl::InvalidArgumentError(absl::StrCat(meta->Where("total_size"), ": negative"));
      index.total_size = static_cast<uint64_t>(*total);
    }
  }
  auto map = root->Object("weight_map");
  if (!map.ok()) return map.status();
  for (auto field : map->raw()) {
    std::string_view shard;
    if (field.value.get_string().get(shard) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": weight_map['", ToAbsl(field.key), "'] must be a file name"));
    }
    if (shard.empty() || shard.find('/') != std::string_view::npos || shard == "." || shard == ".." ||
        shard.find('\0') != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": weight_map['", ToAbsl(field.key), "'] = '", ToAbsl(shard),
                                                     "' is not a plain file name in the model directory"));
    }
    if (!index.weight_map.emplace(std::string(field.key), std::string(shard)).second) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", ToAbsl(field.key), "' is listed twice"));
    }
  }
  if (index.weight_map.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": weight_map is empty"));
  }
  return index;
}

absl::StatusOr<ShardIndex> LoadShardIndex(const std::string& dir) {
  const std::string path = dir + "/model.safetensors.index.json";
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto index = ParseShardIndex(*text, path);
  if (!index.ok()) return index.status();
  for (const std::string& shard : index->Shards()) {
    struct stat st;
    if (::stat((dir + "/" + shard).c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(path, " names shard '", shard, "', which is not in ", dir));
    }
  }
  return index;
}

}  // namespace switchyard
