// SHA-256 against the FIPS 180-2 vectors, raw and in pieces.
#include "base/sha256.h"

#include <string>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

TEST(Sha256, Fips180_2Vectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, IsSha256Hex) {
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));  // the canonical form is lowercase
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'g')));
}

TEST(Sha256, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(Sha256, RawDigestAndPiecesAgreeWithTheHex) {
  const Sha256Digest d = Sha256("abc");
  std::string hex;
  for (uint8_t b : d) hex += absl::StrFormat("%02x", b);
  EXPECT_EQ(hex, Sha256Hex("abc"));
  Sha256Hasher h;
  h.Update("a");
  h.Update(std::string("b"));
  h.Update("c", 1);
  EXPECT_EQ(h.Finish(), d);
  h.Update("abc");  // the hasher starts afresh after Finish
  EXPECT_EQ(h.Finish(), d);
  EXPECT_EQ(h.Finish(), Sha256(""));
}

}  // namespace
}  // namespace switchyard
