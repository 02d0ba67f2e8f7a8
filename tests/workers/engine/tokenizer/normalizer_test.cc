#include "workers/engine/tokenizer/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/workers/engine/tokenizer/random_text.h"

namespace switchyard {
namespace {

// NFC of the whole string, straight from ICU: the reference for the stretch-wise version.
std::string WholeNfc(const std::string& s) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink, nullptr, err);
  EXPECT_TRUE(U_SUCCESS(err));
  return out;
}

std::string Nfc(const std::string& s) {
  std::string storage;
  return std::string(Normalize(Normalization::kNfc, s, &storage));
}

TEST(NormalizerTest, ComposesAcrossStretchBoundaries) {
  EXPECT_EQ(Nfc("Cafe\xCC\x81"), "Caf\xC3\xA9");                  // e + acute
  EXPECT_EQ(Nfc("\xC3\xA9\xCC\xA3"), "\xE1\xBA\xB9\xCC\x81");     // é + dot below: reordered
  EXPECT_EQ(Nfc("A\xCC\x8A" "b"), "\xC3\x85" "b");               // A + ring
  EXPECT_EQ(Nfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");     // Hangul jamo -> syllable
  EXPECT_EQ(Nfc("\xE2\x84\xA6"), "\xCE\xA9");                     // OHM SIGN -> OMEGA (singleton)
  EXPECT_EQ(Nfc("plain"), "plain");
  std::string storage;
  const std::string ascii = "no change at all";
  EXPECT_EQ(Normalize(Normalization::kNfc, ascii, &storage).data(), ascii.data());  // no copy
  EXPECT_EQ(Normalize(Normalization::kNone, "e\xCC\x81", &storage), "e\xCC\x81");
}

TEST(NormalizerTest, MatchesWholeStringNfcOnRandomText) {
  testing::RandomText gen(314);
  for (int i = 0; i < 20000; ++i) {
    const std::string s = gen.Next(20);
    ASSERT_EQ(Nfc(s), WholeNfc(s)) << s;
  }
}

}  // namespace
}  // namespace switchyard
