#include "router/classify/classifier_model.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"

namespace switchyard::classify {
namespace {

constexpr char kMagic[8] = {'S', 'W', 'Y', 'C', 'L', 'S', '\x01', '\n'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kMaxMetadata = 1u << 20;

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutF32(std::string& out, float f) {
  uint32_t v;
  std::memcpy(&v, &f, 4);
  PutU32(out, v);
}

// Reads fields in order; the first failure sticks and names the field.
class Reader {
 public:
  Reader(absl::string_view bytes, absl::string_view source) : bytes_(bytes), source_(source) {}

  bool U32(const char* field, uint32_t& v) {
    if (!Need(field, 4)) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(Byte(pos_ + i)) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(const char* field, uint64_t& v) {
    if (!Need(field, 8)) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(Byte(pos_ + i)) << (8 * i);
    pos_ += 8;
    return true;
  }
  bool F32(const char* field, float& f) {
    uint32_t v;
    if (!U32(field, v)) return false;
    std::memcpy(&f, &v, 4);
    if (!std::isfinite(f)) return Fail(absl::StrCat(field, " is not a finite number"));
    return true;
  }
  bool Bytes(const char* field, size_t n, absl::string_view& out) {
    if (!Need(field, n)) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Fail(absl::string_view why) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(source_, ": not a valid classifier model: ", why, " (at byte ", pos_, ")"));
    }
    return false;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  const absl::Status& status() const { return status_; }

 private:
  bool Need(const char* field, size_t n) {
    if (!status_.ok()) return false;
    if (remaining() < n) return Fail(absl::StrCat("truncated in ", field));
    return true;
  }
  unsigned char Byte(size_t i) const { return static_cast<unsigned char>(bytes_[i]); }

  absl::string_view bytes_;
  absl::string_view source_;
  size_t pos_ = 0;
  absl::Status status_;
};

bool ValidLabel(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// The magic, then the trailing checksum: a corrupted file is reported as such, not as whatever
// field it hit.
bool CheckEnvelope(Reader& r, absl::string_view bytes) {
  absl::string_view magic;
  if (!r.Bytes("magic", sizeof(kMagic), magic)) return false;
  if (magic != absl::string_view(kMagic, sizeof(kMagic))) {
    return r.Fail("bad magic (expected a file written by switchyard-train-classifier)");
  }
  if (bytes.size() < sizeof(kMagic) + 8) return r.Fail("truncated");
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) {
    stored |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[bytes.size() - 8 + i])) << (8 * i);
  }
  if (stored != ClassifierModel::Checksum(bytes.substr(0, bytes.size() - 8))) {
    return r.Fail("checksum mismatch (file corrupted or truncated)");
  }
  return true;
}

// version, then the feature extractor's settings, each within what the extractor supports.
bool ReadFeatureConfig(Reader& r, FeatureConfig& f) {
  uint32_t version = 0;
  if (!r.U32("version", version)) return false;
  if (version != kVersion) return r.Fail(absl::StrCat("unsupported version ", version, " (this build reads ", kVersion, ")"));
  if (!r.U32("hash_bits", f.hash_bits) || !r.U32("char_min_n", f.char_min_n) ||
      !r.U32("char_max_n", f.char_max_n) || !r.U32("edge_words", f.edge_words) ||
      !r.U32("max_bytes", f.max_bytes) || !r.U64("seed", f.seed)) {
    return false;
  }
  if (f.hash_bits < 8 || f.hash_bits > 24) r.Fail(absl::StrCat("hash_bits ", f.hash_bits, " outside [8, 24]"));
  if (f.char_min_n < 1 || f.char_max_n > 4 || f.char_min_n > f.char_max_n) {
    r.Fail(absl::StrCat("char n-gram range [", f.char_min_n, ", ", f.char_max_n, "] outside [1, 4]"));
  }
  if (f.edge_words > 32) r.Fail(absl::StrCat("edge_words ", f.edge_words, " > 32"));
  if (f.max_bytes < 64) r.Fail(absl::StrCat("max_bytes ", f.max_bytes, " < 64"));
  return r.status().ok();
}

// The label count and the labels: distinct, [a-z0-9_-], 1-64 bytes.
bool ReadLabels(Reader& r, ClassifierModel& m) {
  uint32_t n_labels = 0;
  if (!r.U32("label count", n_labels)) return false;
  if (n_labels < 1 || n_labels > kMaxLabels) {
    r.Fail(absl::StrCat("label count ", n_labels, " outside [1, ", kMaxLabels, "]"));
  }
  if (!r.status().ok()) return false;
  std::set<std::string> seen;
  for (uint32_t i = 0; i < n_labels; ++i) {
    uint32_t len = 0;
    absl::string_view name;
    if (!r.U32("label length", len)) return false;
    if (len < 1 || len > 64) return r.Fail(absl::StrCat("label length ", len, " outside [1, 64]"));
    if (!r.Bytes("label", len, name)) return false;
    if (!ValidLabel(name)) return r.Fail("label is not [a-z0-9_-]+");
    if (!seen.insert(std::string(name)).second) return r.Fail(absl::StrCat("label '", name, "' repeated"));
    m.labels.emplace_back(name);
  }
  return true;
}

// bias per label, weight_scale and temperature. Bounds far outside anything training produces,
// so that logits stay finite whatever the text.
bool ReadScales(Reader& r, ClassifierModel& m) {
  m.bias.resize(m.labels.size());
  for (float& b : m.bias) {
    if (!r.F32("bias", b)) return false;
  }
  if (!r.F32("weight_scale", m.weight_scale) || !r.F32("temperature", m.temperature)) return false;
  for (float b : m.bias) {
    if (!(std::fabs(b) <= kMaxAbsBias)) r.Fail(absl::StrCat("bias ", b, " outside [-", kMaxAbsBias, ", ", kMaxAbsBias, "]"));
  }
  if (!(m.weight_scale > 0 && m.weight_scale <= kMaxWeightScale)) {
    r.Fail(absl::StrCat("weight_scale ", m.weight_scale, " outside (0, ", kMaxWeightScale, "]"));
  }
  if (!(m.temperature >= kMinTemperature && m.temperature <= kMaxTemperature)) {
    r.Fail(absl::StrCat("temperature ", m.temperature, " outside [", kMinTemperature, ", ", kMaxTemperature, "]"));
  }
  return r.status().ok();
}

bool ReadMetadata(Reader& r, ClassifierModel& m) {
  uint32_t meta_len = 0;
  if (!r.U32("metadata length", meta_len)) return false;
  if (meta_len > kMaxMetadata) r.Fail(absl::StrCat("metadata length ", meta_len, " > ", kMaxMetadata));
  absl::string_view meta;
  if (!r.Bytes("metadata", meta_len, meta)) return false;
  m.metadata = std::string(meta);
  return true;
}

// The int16 weights, [buckets][labels]: exactly what is left before the checksum.
bool ReadWeights(Reader& r, ClassifierModel& m) {
  const uint64_t n_labels = m.labels.size();
  const uint64_t n_weights = static_cast<uint64_t>(m.features.buckets()) * n_labels;
  if (r.remaining() != n_weights * 2 + 8) {
    return r.Fail(absl::StrCat("weights: expected ", n_weights * 2, " bytes for ", m.features.buckets(), " buckets x ",
                               n_labels, " labels, found ", r.remaining() - 8));
  }
  absl::string_view w;
  if (!r.Bytes("weights", n_weights * 2, w)) return false;
  m.weights.resize(n_weights);
  for (uint64_t i = 0; i < n_weights; ++i) {
    const uint16_t u = static_cast<uint16_t>(static_cast<unsigned char>(w[2 * i]) |
                                             (static_cast<unsigned char>(w[2 * i + 1]) << 8));
    m.weights[i] = static_cast<int16_t>(u);
  }
  return true;
}

}  // namespace

uint64_t ClassifierModel::Checksum(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

std::string ClassifierModel::Serialize() const {
  std::string out(kMagic, sizeof(kMagic));
  PutU32(out, kVersion);
  PutU32(out, features.hash_bits);
  PutU32(out, features.char_min_n);
  PutU32(out, features.char_max_n);
  PutU32(out, features.edge_words);
  PutU32(out, features.max_bytes);
  PutU64(out, features.seed);
  PutU32(out, static_cast<uint32_t>(labels.size()));
  for (const std::string& l : labels) {
    PutU32(out, static_cast<uint32_t>(l.size()));
    out += l;
  }
  for (float b : bias) PutF32(out, b);
  PutF32(out, weight_scale);
  PutF32(out, temperature);
  PutU32(out, static_cast<uint32_t>(metadata.size()));
  out += metadata;
  out.reserve(out.size() + weights.size() * 2 + 8);
  for (int16_t w : weights) {
    const uint16_t u = static_cast<uint16_t>(w);
    out += static_cast<char>(u & 0xff);
    out += static_cast<char>(u >> 8);
  }
  PutU64(out, Checksum(out));
  return out;
}

absl::StatusOr<ClassifierModel> ClassifierModel::Parse(absl::string_view bytes, absl::string_view source) {
  Reader r(bytes, source);
  ClassifierModel m;
  // Each step stops at its first error, which the Reader keeps; the next step then reads nothing.
  if (!CheckEnvelope(r, bytes) || !ReadFeatureConfig(r, m.features) || !ReadLabels(r, m) || !ReadScales(r, m) ||
      !ReadMetadata(r, m) || !ReadWeights(r, m)) {
    return r.status();
  }
  return m;
}

absl::StatusOr<ClassifierModel> ClassifierModel::Load(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return absl::Status(bytes.status().code(), absl::StrCat("classifier model ", bytes.status().message()));
  return Parse(*bytes, path);
}

absl::Status ClassifierModel::Save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  const std::string bytes = Serialize();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return absl::InternalError(absl::StrCat(tmp, ": cannot write: ", std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("rename ", tmp, " -> ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace switchyard::classify
