// DType: the element types a checkpoint may store, and scalar conversions between them.
//
// Weights arrive as bf16 (Qwen's releases), f16 or f32. Conversions here are the exact IEEE
// ones (round to nearest even, NaN kept NaN); the vectorised paths in backend/ must agree.
#ifndef SWITCHYARD_WORKERS_ENGINE_UTIL_DTYPE_H_
#define SWITCHYARD_WORKERS_ENGINE_UTIL_DTYPE_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include "absl/strings/string_view.h"

namespace switchyard {

enum class DType : uint8_t { kF32, kF16, kBF16 };

// Bytes per element.
constexpr size_t DTypeSize(DType t) { return t == DType::kF32 ? 4 : 2; }
// Safetensors spelling: "F32", "F16", "BF16".
absl::string_view DTypeName(DType t);
// From the safetensors spelling; nullopt for anything we cannot compute with.
std::optional<DType> DTypeFromSafetensors(absl::string_view name);
// True for dtypes the safetensors format defines (so an error can say "unsupported" rather
// than "unknown"): BOOL, U8, I8, I16, U16, I32, U32, I64, U64, F8_E4M3, F8_E5M2, F64, ...
bool IsKnownSafetensorsDType(absl::string_view name);

inline float Bf16ToF32(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline uint16_t F32ToBf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // quiet NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest, ties to even
  return static_cast<uint16_t>(bits >> 16);
}

// An activation rounded to bf16 the way vcvtne2ps2bf16 does it (the matmul's bf16-activation
// mode): round to nearest even, NaN kept NaN, and denormals to a zero of the same sign, so
// the scalar paths and the AVX512_BF16 kernel round every value alike.
inline uint16_t F32ToBf16Daz(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  if ((bits & 0x7f800000u) == 0) return static_cast<uint16_t>((bits >> 16) & 0x8000u);
  return F32ToBf16(f);
}

float F16ToF32(uint16_t h);
// Round to nearest even; every NaN becomes 0x7e00 with its sign.
uint16_t F32ToF16(float f);
// dst[i] = F32ToF16(src[i]) for i < n, eight at a time with F16C's vcvtps2ph where the CPU has
// it: the KV cache's f16 writes convert 2 x kv_heads x head_dim values per token and layer.
void F32ToF16Row(const float* src, uint16_t* dst, int64_t n);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_UTIL_DTYPE_H_
