// API key hashing and bearer parsing.
#include "policies/api_key_hash.h"

#include "gtest/gtest.h"

namespace switchyard {
namespace {

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
