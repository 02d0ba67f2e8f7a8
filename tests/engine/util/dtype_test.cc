#include "workers/engine/util/dtype.h"

#include <cmath>
#include <cstring>
#include <limits>

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

}  // namespace
}  // namespace switchyard
