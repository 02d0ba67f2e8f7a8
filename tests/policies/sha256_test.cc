// SHA-256 against the FIPS 180-2 vectors; API key hashing and bearer parsing.
#include "policies/sha256.h"

#include <string>

#include "gtest/gtest.h"
#include "policies/api_key_hash.h"

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

TEST(ApiKeyHash, HashMatchesSha256sumOfTheKey) {
  // printf %s "sk-acme-demo-key-0001" | sha256sum
  EXPECT_EQ(HashApiKey("sk-acme-demo-key-0001"), "e8824c751280d489851dc369cd3066ca7d4f66bc0c968c0b7e8dc1eb1d7c0ffa");
  EXPECT_TRUE(ApiKeyMatches("sk-acme-demo-key-0001", HashApiKey("sk-acme-demo-key-0001")));
  EXPECT_FALSE(ApiKeyMatches("sk-acme-demo-key-0002", HashApiKey("sk-acme-demo-key-0001")));
}

TEST(ApiKeyHash, BearerToken) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("  bearer   abc  "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace switchyard
