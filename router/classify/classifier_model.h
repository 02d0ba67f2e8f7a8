// ClassifierModel: the trained parameters of the request classifier and their file format.
//
// A multinomial logistic regression over hashed features (see feature_extractor.h):
//   logit[k] = bias[k] + weight_scale * sum over groups g of
//                (sum of weights[bucket][k] over the group's feature occurrences) / sqrt(count_g)
//   p = softmax(logit / temperature)
// Weights are int16 (quantized by weight_scale after training), so a 2^18-bucket, 3-label model
// is 1.5 MB and its inner loop adds integers.
//
// File layout (little-endian), checked field by field on load:
//   magic "SWYCLS\x01\n" | u32 version (1) | u32 hash_bits, char_min_n, char_max_n, edge_words,
//   max_bytes | u64 seed | u32 labels, then per label u32 length + bytes ([a-z0-9_-], 1-64) |
//   f32 bias[labels] | f32 weight_scale | f32 temperature | u32 metadata length + bytes (JSON
//   text written by the trainer) | i16 weights[2^hash_bits * labels] | u64 FNV-1a of all
//   preceding bytes.
//
// Thread safety: a plain value; const access from many threads is safe.
// Failure modes: Parse returns InvalidArgument naming the source and the field for any
// malformed, truncated or corrupted input; Load returns NotFound / PermissionDenied for files
// that cannot be read. Serialize never fails.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_MODEL_H_
#define SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "router/classify/feature_extractor.h"

namespace switchyard::classify {

inline constexpr int kMaxLabels = 8;
// Accepted ranges of the scalar parameters (a trained model has |bias| < 20, weight_scale
// ~1e-4 and temperature in [0.25, 8]); they keep every logit finite.
inline constexpr float kMaxAbsBias = 1e6f;
inline constexpr float kMaxWeightScale = 1e3f;
inline constexpr float kMinTemperature = 1e-3f;
inline constexpr float kMaxTemperature = 1e3f;

struct ClassifierModel {
  FeatureConfig features;
  std::vector<std::string> labels;  // 1..kMaxLabels, distinct
  std::vector<float> bias;          // [labels]
  float weight_scale = 1.0f;        // weight = int16 * weight_scale
  float temperature = 1.0f;         // softmax(logit / temperature); fitted on held-out data
  std::string metadata;             // JSON text from the trainer (data digest, options, accuracy)
  std::vector<int16_t> weights;     // [buckets][labels], row-major

  // The file's bytes.
  std::string Serialize() const;
  // `source` names the bytes in error messages (a path, "<memory>").
  static absl::StatusOr<ClassifierModel> Parse(absl::string_view bytes, absl::string_view source);
  static absl::StatusOr<ClassifierModel> Load(const std::string& path);
  // Writes atomically (temporary file, then rename).
  absl::Status Save(const std::string& path) const;

  // FNV-1a 64 over bytes; the file's trailing checksum.
  static uint64_t Checksum(absl::string_view bytes);
};

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_MODEL_H_
