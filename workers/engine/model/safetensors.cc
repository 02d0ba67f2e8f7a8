#include "workers/engine/model/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

// Element count of `shape`, or nullopt on a negative dim or overflow past 2^62.
std::optional<int64_t> CheckedNumel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return std::nullopt;
    if (d != 0 && n > (int64_t{1} << 62) / d) return std::nullopt;
    n *= d;
  }
  return n;
}

size_t ElementSize(absl::string_view dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  return 1;  // BOOL, U8, I8, F8_*; F4 is packed and is refused below
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ", "), "]");
}

}  // namespace

int64_t SafetensorsEntry::numel() const { return CheckedNumel(shape).value_or(-1); }
int64_t TensorView::numel() const { return CheckedNumel(shape).value_or(0); }

absl::StatusOr<SafetensorsHeader> ParseSafetensorsHeader(absl::string_view header_json,
                                                         uint64_t data_bytes,
                                                         absl::string_view file) {
  auto doc = JsonDocument::Parse(header_json, absl::StrCat(file, " header"));
  if (!doc.ok()) return doc.status();
  auto root = (*doc)->RootObject();
  if (!root.ok()) return root.status();
  SafetensorsHeader out;
  for (auto field : root->raw()) {
    const absl::string_view name = ToAbsl(field.key);
    if (name == "__metadata__") {
      simdjson::dom::object meta;
      if (field.value.get_object().get(meta) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(absl::StrCat(file, ": __metadata__ must be an object of strings"));
      }
      for (auto m : meta) {
        std::string_view v;
        if (m.value.get_string().get(v) != simdjson::SUCCESS) {
          return absl::InvalidArgumentError(absl::StrCat(file, ": __metadata__.", ToAbsl(m.key), " must be a string"));
        }
        out.metadata[std::string(m.key)] = std::string(v);
      }
      continue;
    }
    simdjson::dom::object obj;
    if (field.value.get_object().get(obj) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' must be described by an object"));
    }
    JsonObject t(obj, file, absl::StrCat("tensor '", name, "'"));
    SafetensorsEntry e;
    e.name = std::string(name);
    auto dtype = t.String("dtype");
    if (!dtype.ok()) return dtype.status();
    if (!IsKnownSafetensorsDType(*dtype)) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' has unknown dtype '", *dtype,
                                                     "' (safetensors defines F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL F8_*)"));
    }
    if (*dtype == "F4") {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' has unsupported packed dtype F4"));
    }
    e.dtype_name = std::string(*dtype);
    e.dtype = DTypeFromSafetensors(*dtype);
    auto shape = t.Array("shape");
    if (!shape.ok()) return shape.status();
    for (JsonElement d : *shape) {
      auto v = JsonAsInt(d);
      if (!v || *v < 0) {
        return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' has a shape entry that is not a non-negative integer"));
      }
      e.shape.push_back(*v);
    }
    auto offsets = t.Array("data_offsets");
    if (!offsets.ok()) return offsets.status();
    std::vector<uint64_t> off;
    for (JsonElement o : *offsets) {
      uint64_t v;
      if (o.get_uint64().get(v) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' data_offsets must be two non-negative integers"));
      }
      off.push_back(v);
    }
    if (off.size() != 2 || off[0] > off[1]) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' data_offsets must be [begin, end] with begin <= end"));
    }
    e.begin = off[0];
    e.end = off[1];
    auto numel = CheckedNumel(e.shape);
    if (!numel) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' shape ", ShapeString(e.shape), " is too large"));
    }
    // numel < 2^62 and sizes <= 8 could still wrap uint64; a wrapped size could match a small
    // [begin, end) and pass off a huge shape as a few bytes.
    const uint64_t esize = ElementSize(e.dtype_name);
    if (static_cast<uint64_t>(*numel) > std::numeric_limits<uint64_t>::max() / esize) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", name, "' shape ", ShapeString(e.shape), " is too large"));
    }
    const uint64_t want = static_cast<uint64_t>(*numel) * esize;
    if (e.end - e.begin != want) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ": tensor '", name, "' occupies ", e.end - e.begin, " bytes but ", e.dtype_name, " ",
          ShapeString(e.shape), " needs ", want));
    }
    if (e.end > data_bytes) {
      return absl::DataLossError(absl::StrCat(
          file, ": tensor '", name, "' ends at byte ", e.end, " of the data section, which has only ", data_bytes,
          " bytes (the file is truncated or its header is wrong)"));
    }
    out.tensors.push_back(std::move(e));
  }
  std::vector<absl::string_view> names;
  for (const SafetensorsEntry& e : out.tensors) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  for (size_t i = 1; i < names.size(); ++i) {
    if (names[i] == names[i - 1]) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensor '", names[i], "' is described twice"));
    }
  }
  std::sort(out.tensors.begin(), out.tensors.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  for (size_t i = 1; i < out.tensors.size(); ++i) {
    const SafetensorsEntry& prev = out.tensors[i - 1];
    const SafetensorsEntry& cur = out.tensors[i];
    if (cur.begin < prev.end) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": tensors '", prev.name, "' [", prev.begin, ", ", prev.end,
                                                     ") and '", cur.name, "' [", cur.begin, ", ", cur.end, ") overlap"));
    }
  }
  return out;
}

absl::StatusOr<SafetensorsFile> SafetensorsFile::Open(const std::string& path) {
  auto mapped = MappedFile::Open(path);
  if (!mapped.ok()) return mapped.status();
  SafetensorsFile f;
  f.file_ = std::move(*mapped);
  const uint64_t size = f.file_.size();
  if (size < 8) {
    return absl::DataLossError(absl::StrCat(path, ": ", size, " bytes is too short for a safetensors file (truncated?)"));
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | f.file_.data()[i];  // little-endian on any host
  if (n > kMaxSafetensorsHeader) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": header length ", n, " exceeds the ", kMaxSafetensorsHeader,
                                                   "-byte limit (not a safetensors file?)"));
  }
  if (n > size - 8) {
    return absl::DataLossError(absl::StrCat(path, ": header length ", n, " runs past the end of the ", size,
                                            "-byte file (truncated?)"));
  }
  const absl::string_view header(reinterpret_cast<const char*>(f.file_.data()) + 8, n);
  auto parsed = ParseSafetensorsHeader(header, size - 8 - n, path);
  if (!parsed.ok()) return parsed.status();
  f.header_ = std::move(*parsed);
  f.data_ = f.file_.data() + 8 + n;
  return f;
}

absl::StatusOr<TensorView> SafetensorsFile::View(const SafetensorsEntry& e) const {
  if (!e.dtype) {
    return absl::InvalidArgumentError(absl::StrCat(path(), ": tensor '", e.name, "' has unsupported dtype '", e.dtype_name,
                                                   "' (weights must be BF16, F16 or F32)"));
  }
  return TensorView{DataOf(e), *e.dtype, e.shape};
}

}  // namespace switchyard
