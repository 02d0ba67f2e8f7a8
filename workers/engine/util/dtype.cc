#include "workers/engine/util/dtype.h"

#include <array>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace switchyard {

absl::string_view DTypeName(DType t) {
  switch (t) {
    case DType::kF32: return "F32";
    case DType::kF16: return "F16";
    case DType::kBF16: return "BF16";
  }
  return "?";
}

std::optional<DType> DTypeFromSafetensors(absl::string_view name) {
  if (name == "F32") return DType::kF32;
  if (name == "F16") return DType::kF16;
  if (name == "BF16") return DType::kBF16;
  return std::nullopt;
}

bool IsKnownSafetensorsDType(absl::string_view name) {
  static constexpr std::array<absl::string_view, 17> kAll = {
      "BOOL", "U8",  "I8",  "I16", "U16", "F16",     "BF16",    "I32",     "U32",
      "F32",  "F64", "I64", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4"};
  for (absl::string_view k : kAll) {
    if (k == name) return true;
  }
  return false;
}

float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf / NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    exp = 113;
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t F32ToF16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs > 0x7f800000u) return sign | 0x7e00u;            // NaN
  if (abs >= 0x477ff000u) return sign | 0x7c00u;           // overflows to inf after rounding
  if (abs >= 0x38800000u) {                                // normal half
    uint32_t r = abs - 0x38000000u;                        // rebias exponent 127 -> 15
    r += 0xfffu + ((r >> 13) & 1u);                        // round to nearest even
    return sign | static_cast<uint16_t>(r >> 13);
  }
  if (abs < 0x33000000u) return sign;                      // rounds to zero
  // subnormal half: shift the implicit-1 mantissa into place, rounding to nearest even
  const uint32_t exp = abs >> 23;
  const uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
  const uint32_t shift = 126 - exp;                        // 14..24
  uint32_t half = mant >> shift;
  const uint32_t rem = mant & ((1u << shift) - 1);
  const uint32_t mid = 1u << (shift - 1);
  if (rem > mid || (rem == mid && (half & 1u))) ++half;
  return sign | static_cast<uint16_t>(half);
}

namespace {

#if defined(__x86_64__)
__attribute__((target("avx,f16c"))) int64_t F32ToF16RowF16c(const float* src, uint16_t* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 f = _mm256_loadu_ps(src + i);
    if (_mm256_movemask_ps(_mm256_cmp_ps(f, f, _CMP_UNORD_Q)) != 0) {
      // vcvtps2ph keeps a NaN's payload; F32ToF16 (and the CUDA cache write) give 0x7e00.
      for (int64_t j = i; j < i + 8; ++j) dst[j] = F32ToF16(src[j]);
      continue;
    }
    const __m128i h = _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h);
  }
  return i;
}

// Every AVX2 CPU has F16C; clang 14's __builtin_cpu_supports does not know "f16c" by name.
bool HasF16c() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

void F32ToF16Row(const float* src, uint16_t* dst, int64_t n) {
  int64_t i = 0;
#if defined(__x86_64__)
  if (HasF16c()) i = F32ToF16RowF16c(src, dst, n);
#endif
  for (; i < n; ++i) dst[i] = F32ToF16(src[i]);
}

}  // namespace switchyard
