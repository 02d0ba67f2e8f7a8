#include "workers/engine/model/model_loader.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "workers/engine/model/qwen3_tensors.h"
#include "workers/engine/model/shard_index.h"

namespace switchyard {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ", "), "]");
}

// A tensor found in one of the weight files.
struct Located {
  size_t file;
  const SafetensorsEntry* entry;
};

// Reads every page of the weights once, in file order, reporting bytes done.
void Prefault(const std::vector<SafetensorsFile>& files, uint64_t total, const ProgressFn& progress) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  constexpr size_t kChunk = size_t{64} << 20;
  uint64_t done = 0;
  volatile uint8_t sink = 0;
  for (const SafetensorsFile& f : files) {
    const std::string stage = "loading weights";
    for (size_t off = 0; off < f.file().size(); off += kChunk) {
      const size_t len = std::min(kChunk, f.file().size() - off);
      f.file().WillNeed(off, len);
      const uint8_t* p = f.file().data() + off;
      uint8_t acc = 0;
      for (size_t i = 0; i < len; i += page) acc ^= p[i];
      sink = sink ^ acc;
      done += len;
      if (progress) progress(ProgressEvent{stage, done, total, "B", false});
    }
  }
  if (progress) progress(ProgressEvent{"loading weights", done, total, "B", true});
}

}  // namespace

const TensorView* LoadedModel::Find(absl::string_view name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

const TensorView& LoadedModel::Tensor(absl::string_view name) const {
  const TensorView* t = Find(name);
  if (t == nullptr) {
    static const TensorView kEmpty;  // unreachable for names LoadModel validated
    return kEmpty;
  }
  return *t;
}

// Moves every weight into one anonymous huge-page arena (WeightMemory::kHugePages).
absl::Status CopyToHugePages(LoadedModel& model, const ProgressFn& progress);

absl::StatusOr<std::unique_ptr<LoadedModel>> LoadModel(const std::string& dir, const LoadOptions& options) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat(dir, ": not a model directory (expected config.json, model.safetensors, tokenizer.json)"));
  }
  auto model = std::make_unique<LoadedModel>(LoadedModel::PassKey());
  model->dir_ = dir;
  auto config = LoadModelConfig(dir);
  if (!config.ok()) return config.status();
  model->config_ = std::move(*config);
  auto gen = LoadGenerationConfig(dir);
  if (!gen.ok()) return gen.status();
  model->generation_ = std::move(*gen);
  auto tc = LoadTokenizerConfig(dir);
  if (!tc.ok()) return tc.status();
  model->tokenizer_config_ = std::move(*tc);

  // Weight files: one model.safetensors, or the shards an index names.
  std::vector<std::string> names;
  std::optional<ShardIndex> index;
  if (Exists(dir + "/model.safetensors")) {
    names.push_back("model.safetensors");
  } else if (Exists(dir + "/model.safetensors.index.json")) {
    auto idx = LoadShardIndex(dir);
    if (!idx.ok()) return idx.status();
    names = idx->Shards();
    index = std::move(*idx);
  } else {
    return absl::NotFoundError(absl::StrCat(dir, ": no model.safetensors or model.safetensors.index.json"));
  }
  for (const std::string& n : names) {
    auto f = SafetensorsFile::Open(dir + "/" + n);
    if (!f.ok()) return f.status();
    model->files_.push_back(std::move(*f));
    model->file_names_.push_back(n);
  }

  absl::flat_hash_map<std::string, Located> where;
  for (size_t i = 0; i < model->files_.size(); ++i) {
    for (const SafetensorsEntry& e : model->files_[i].header().tensors) {
      if (!where.emplace(e.name, Located{i, &e}).second) {
        return absl::InvalidArgumentError(absl::StrCat(dir, ": tensor '", e.name, "' appears in both ",
                                                       model->file_names_[where[e.name].file], " and ", names[i]));
      }
    }
  }
  if (index) {
    for (const auto& [tensor, shard] : index->weight_map) {
      auto it = where.find(tensor);
      if (it == where.end() || model->file_names_[it->second.file] != shard) {
        return absl::InvalidArgumentError(absl::StrCat(dir, "/model.safetensors.index.json says tensor '", tensor,
                                                       "' is in ", shard, ", but it is not there"));
      }
    }
  }

  const std::string files_desc = absl::StrJoin(names, ", ");
  const ModelConfig& c = model->config_;
  for (const ExpectedTensor& want : ExpectedQwen3Tensors(c)) {
    auto it = where.find(want.name);
    if (it == where.end()) {
      return absl::InvalidArgumentError(absl::StrCat(dir, ": missing tensor '", want.name, "': config.json implies it, but ",
                                                     names.size() == 1 ? "" : "none of ", files_desc,
                                                     names.size() == 1 ? " does not hold it" : " holds it"));
    }
    const SafetensorsFile& f = model->files_[it->second.file];
    const SafetensorsEntry& e = *it->second.entry;
    if (e.shape != want.shape) {
      return absl::InvalidArgumentError(absl::StrCat(f.path(), ": tensor '", want.name, "' has shape ", ShapeString(e.shape),
                                                     " but config.json implies ", ShapeString(want.shape)));
    }
    auto view = f.View(e);
    if (!view.ok()) return view.status();
    // The format does not promise alignment (the header length and a preceding odd-sized
    // tensor can shift the data), while kernels read weights as float / uint16_t arrays.
    // Such rare tensors are copied once into storage owned by the model.
    if (reinterpret_cast<uintptr_t>(view->data) % DTypeSize(view->dtype) != 0) {
      std::vector<uint64_t>& copy = model->realigned_.emplace_back((view->bytes() + 7) / 8);
      std::memcpy(copy.data(), view->data, view->bytes());
      view->data = copy.data();
      model->realigned_names_.push_back(want.name);
    }
    model->tensors_.emplace(want.name, std::move(*view));
    model->weight_bytes_ += e.end - e.begin;
    model->parameters_ += e.numel();
    where.erase(it);
  }
  if (c.tie_word_embeddings) {
    // transformers ties lm_head to the embedding and ignores a shipped copy; so do we, after
    // checking that the copy at least has the right shape.
    if (auto it = where.find("lm_head.weight"); it != where.end()) {
      if (it->second.entry->shape != std::vector<int64_t>{c.vocab_size, c.hidden_size}) {
        return absl::InvalidArgumentError(absl::StrCat(model->files_[it->second.file].path(),
                                                       ": tensor 'lm_head.weight' has shape ", ShapeString(it->second.entry->shape),
                                                       " but config.json implies ", ShapeString({c.vocab_size, c.hidden_size})));
      }
      where.erase(it);
    }
    model->tensors_.emplace("lm_head.weight", model->tensors_.at("model.embed_tokens.weight"));
  }
  for (const auto& [name, loc] : where) model->ignored_.push_back(name);
  std::sort(model->ignored_.begin(), model->ignored_.end());

  if (options.memory == WeightMemory::kHugePages) {
    if (absl::Status s = CopyToHugePages(*model, options.progress); !s.ok()) return s;
  } else if (options.prefault) {
    uint64_t total = 0;
    for (const SafetensorsFile& f : model->files_) total += f.file().size();
    Prefault(model->files_, total, options.progress);
  }
  return model;
}

absl::Status CopyToHugePages(LoadedModel& model, const ProgressFn& progress) {
  // Each distinct tensor once (tied heads share the embedding), 64-byte aligned, in file order
  // so the source is read sequentially.
  std::vector<std::pair<const void*, TensorView*>> order;
  std::vector<const void*> seen;
  for (auto& [name, view] : model.tensors_) order.emplace_back(view.data, &view);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  constexpr size_t kHuge = size_t{2} << 20;
  size_t total = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && order[i].first == order[i - 1].first) continue;
    total += (order[i].second->bytes() + 63) & ~size_t{63};
  }
  const size_t bytes = (total + kHuge - 1) / kHuge * kHuge;
  auto arena = HugePageBuffer::Allocate(bytes);
  if (!arena.ok()) {
    return absl::ResourceExhaustedError(absl::StrCat("cannot allocate ", bytes >> 20,
                                                     " MiB for the weights; load them mapped instead"));
  }
  model.arena_ = std::move(*arena);
  const long page = ::sysconf(_SC_PAGESIZE);
  uint8_t* dst = static_cast<uint8_t*>(model.arena_.data());
  size_t done = 0;
  const void* prev_src = nullptr;
  uint8_t* prev_dst = nullptr;
  for (auto& [src, view] : order) {
    if (src == prev_src) {  // a second name for the same bytes
      view->data = prev_dst;
      continue;
    }
    const size_t n = view->bytes();
    std::memcpy(dst, src, n);
    // Drop the source pages from this process (they stay in the page cache), so the copy does
    // not briefly double the resident size.
    const uintptr_t b = (reinterpret_cast<uintptr_t>(src) + static_cast<uintptr_t>(page) - 1) & ~static_cast<uintptr_t>(page - 1);
    const uintptr_t e = (reinterpret_cast<uintptr_t>(src) + n) & ~static_cast<uintptr_t>(page - 1);
    if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
    prev_src = src;
    prev_dst = dst;
    view->data = dst;
    dst += (n + 63) & ~size_t{63};
    done += n;
    if (progress) progress(ProgressEvent{"copying weights to RAM", done, total, "B", false});
  }
  if (progress) progress(ProgressEvent{"copying weights to RAM", total, total, "B", true});
  return absl::OkStatus();
}

}  // namespace switchyard
