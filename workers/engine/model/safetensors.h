// Safetensors: reading the format Hugging Face checkpoints ship in.
//
// A file is an 8-byte little-endian header length N, N bytes of JSON describing each tensor
// (dtype, shape, [begin, end) byte offsets into the data section), then the data section.
// ParseSafetensorsHeader checks everything about the header against the data size without
// touching tensor bytes, so a truncated or lying file is an error, never a SIGBUS or an
// out-of-bounds read. SafetensorsFile maps a file and hands out views into it.
// Thread safety: both are immutable after construction.
#ifndef SWITCHYARD_WORKERS_ENGINE_MODEL_SAFETENSORS_H_
#define SWITCHYARD_WORKERS_ENGINE_MODEL_SAFETENSORS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/mapped_file.h"
#include "workers/engine/util/dtype.h"

namespace switchyard {

// Header of at most this many bytes, as the Rust safetensors crate allows.
inline constexpr uint64_t kMaxSafetensorsHeader = 100'000'000;

struct SafetensorsEntry {
  std::string name;
  std::string dtype_name;        // as written: "BF16", "F32", "I64", ...
  std::optional<DType> dtype;    // set for the dtypes the engine computes with
  std::vector<int64_t> shape;
  uint64_t begin = 0;            // byte offsets into the data section
  uint64_t end = 0;
  int64_t numel() const;
};

struct SafetensorsHeader {
  std::vector<SafetensorsEntry> tensors;           // in file order of their offsets
  std::map<std::string, std::string> metadata;     // "__metadata__"
};

// Validates `header_json` against a data section of `data_bytes`. InvalidArgument naming
// `file` (and the tensor) for: non-JSON or non-object headers, entries without dtype / shape /
// data_offsets, unknown dtypes, negative dims, element counts that overflow, byte sizes that
// disagree with dtype x shape, offsets past the data section (DataLoss: the file is
// truncated), and overlapping tensors. Dtypes the format defines but the engine does not
// compute with (I64, F8_E4M3, ...) parse, with `dtype` unset; View() refuses them.
absl::StatusOr<SafetensorsHeader> ParseSafetensorsHeader(absl::string_view header_json,
                                                         uint64_t data_bytes,
                                                         absl::string_view file);

// A tensor inside a mapped file.
struct TensorView {
  const void* data = nullptr;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  int64_t numel() const;
  size_t bytes() const { return static_cast<size_t>(numel()) * DTypeSize(dtype); }
};

class SafetensorsFile {
 public:
  // Maps `path` and validates it. DataLoss for files shorter than their header says,
  // InvalidArgument for malformed headers; both name the file.
  static absl::StatusOr<SafetensorsFile> Open(const std::string& path);

  const SafetensorsHeader& header() const { return header_; }
  const std::string& path() const { return file_.path(); }
  const MappedFile& file() const { return file_; }
  // The entry's bytes. REQUIRES: `e` belongs to this file's header.
  const uint8_t* DataOf(const SafetensorsEntry& e) const { return data_ + e.begin; }
  // InvalidArgument if the dtype is one the engine does not compute with. The pointer is
  // where the bytes lie in the map, which the format does not promise to align (LoadModel
  // copies such tensors out; other callers read them with memcpy).
  absl::StatusOr<TensorView> View(const SafetensorsEntry& e) const;

 private:
  MappedFile file_;
  SafetensorsHeader header_;
  const uint8_t* data_ = nullptr;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_MODEL_SAFETENSORS_H_
