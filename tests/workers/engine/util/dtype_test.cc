#include "workers/engine/util/dtype.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

TEST(DTypeTest, NamesRoundTrip) {
  for (DType t : {DType::kF32, DType::kF16, DType::kBF16}) {
    EXPECT_EQ(DTypeFromSafetensors(DTypeName(t)), t);
  }
  EXPECT_EQ(DTypeSize(DType::kF32), 4u);
  EXPECT_EQ(DTypeSize(DType::kBF16), 2u);
  EXPECT_FALSE(DTypeFromSafetensors("I64").has_value());
  EXPECT_TRUE(IsKnownSafetensorsDType("I64"));
  EXPECT_TRUE(IsKnownSafetensorsDType("F8_E4M3"));
  EXPECT_FALSE(IsKnownSafetensorsDType("Q4_K"));
}

TEST(DTypeTest, Bf16RoundsToNearestEven) {
  EXPECT_EQ(F32ToBf16(1.0f), 0x3F80);
  EXPECT_EQ(Bf16ToF32(0x3F80), 1.0f);
  // 1 + 2^-8 is exactly half way between bf16 1.0 and 1.0078125: ties go to the even one (1.0).
  EXPECT_EQ(F32ToBf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);
  // 1 + 3*2^-8 is half way between 1.0078125 (odd mantissa) and 1.015625: rounds up to even.
  EXPECT_EQ(F32ToBf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);
  EXPECT_EQ(F32ToBf16(-2.5f), 0xC020);
  EXPECT_TRUE(std::isnan(Bf16ToF32(F32ToBf16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(F32ToBf16(std::numeric_limits<float>::infinity()), 0x7F80);
}

TEST(DTypeTest, F16MatchesIeeeForEveryHalf) {
  // Every finite half converts to f32 and back to itself.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t v = static_cast<uint16_t>(h);
    if ((v & 0x7C00) == 0x7C00 && (v & 0x3FF) != 0) {
      EXPECT_TRUE(std::isnan(F16ToF32(v)));
      ASSERT_EQ(F32ToF16(F16ToF32(v)), (v & 0x8000) | 0x7e00) << "one NaN per sign: " << std::hex << h;
      continue;
    }
    ASSERT_EQ(F32ToF16(F16ToF32(v)), v) << std::hex << h;
  }
  EXPECT_EQ(F16ToF32(0x3C00), 1.0f);
  EXPECT_EQ(F16ToF32(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(F16ToF32(0x7BFF), 65504.0f);
  EXPECT_EQ(F32ToF16(65520.0f), 0x7C00);                // rounds up to infinity
  EXPECT_EQ(F32ToF16(65519.0f), 0x7BFF);
  EXPECT_EQ(F32ToF16(std::ldexp(1.0f, -25)), 0x0000);   // half of the smallest: ties to even 0
  EXPECT_EQ(F32ToF16(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(F32ToF16(1.0f + std::ldexp(1.0f, -11)), 0x3C00);  // tie to even
  EXPECT_EQ(F32ToF16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
}

// The row conversion (vcvtps2ph on F16C CPUs, as the f16 KV cache uses it) gives F32ToF16's bits
// for every value: each half, the ties and near-ties between neighbours, f32 denormals, NaNs
// with payloads, infinities and overflow; n is not a multiple of the vector width.
TEST(DTypeTest, F16RowMatchesScalarConversion) {
  auto from_bits = [](uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
  };
  std::vector<float> src;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = F16ToF32(static_cast<uint16_t>(h));
    uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    src.push_back(f);
    if ((h & 0x7C00) == 0x7C00) continue;
    // The midpoint to the next half away from zero (mantissa bit 12 for normals), and its neighbours.
    const uint32_t mid = (h & 0x7C00) ? b + 0x1000 : b;
    for (uint32_t m : {mid - 1, mid, mid + 1}) src.push_back(from_bits(m));
  }
  for (uint32_t b : {0x00000001u, 0x807fffffu, 0x33000000u, 0x33000001u, 0x7f800000u, 0xff800000u, 0x7fc00001u,
                     0x7f800001u, 0xffbfffffu, 0x477ff000u, 0x477fefffu, 0x7f7fffffu}) {
    src.push_back(from_bits(b));
  }
  src.push_back(0.1f);
  ASSERT_NE(src.size() % 8, 0u);
  std::vector<uint16_t> row(src.size());
  F32ToF16Row(src.data(), row.data(), static_cast<int64_t>(src.size()));
  for (size_t i = 0; i < src.size(); ++i) {
    uint32_t b;
    std::memcpy(&b, &src[i], sizeof b);
    ASSERT_EQ(row[i], F32ToF16(src[i])) << "f32 bits " << std::hex << b;
  }
}

}  // namespace
}  // namespace switchyard
