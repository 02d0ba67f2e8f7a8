// CacheSalts directly: the documented bytes, two tenants apart, the open router's one salt,
// routers with the same secret agreeing (restarts, replicas behind a balancer), and the
// per-process default. That no request field reaches the salt is tested end to end in
// tests/router/agent/agent_loop_test.cc (the salts the workers receive).
#include "router/service/cache_salt.h"

#include <string>

#include "absl/strings/escaping.h"
#include "base/sha256.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

constexpr char kSecret[] = "0123456789abcdef-secret";

TEST(CacheSaltsTest, TheBytesAreTheDocumentedOnes) {
  const CacheSalts salts(kSecret);
  EXPECT_TRUE(salts.configured());
  // Computed independently with Python's hashlib:
  //   sha256(b"switchyard/cache-salt/v1\0" + pack('<Q', 23) + secret + b"\1" + b"acme")
  EXPECT_EQ(absl::BytesToHexString(salts.For("acme")), "0a8b0c26791fa82ec08cb98bad918e4fdec83141ad19e750a91271ce497bb021");
  //   sha256(b"switchyard/cache-salt/v1\0" + pack('<Q', 23) + secret + b"\0")
  EXPECT_EQ(absl::BytesToHexString(salts.For("")), "d4df731a4b037a29c3d15d34d48f43d5915bde4074208e7c9d55dcb80793c6f9");
  EXPECT_EQ(salts.For("acme").size(), 32u);
}

TEST(CacheSaltsTest, TenantsGetDifferentSaltsAndTheOpenRouterOneOfItsOwn) {
  const CacheSalts salts(kSecret);
  const std::string acme = salts.For("acme"), globex = salts.For("globex"), open = salts.For("");
  EXPECT_NE(acme, globex);
  EXPECT_NE(acme, open);
  EXPECT_NE(globex, open);
  // Constant: every request of a tenant (or of an open router) gets the same one.
  EXPECT_EQ(salts.For("acme"), acme);
  EXPECT_EQ(salts.For(""), open);
  // Not the tenant's name hashed alone: without the secret nobody can compute it.
  EXPECT_NE(absl::BytesToHexString(acme), Sha256Hex("acme"));
}

TEST(CacheSaltsTest, RoutersWithTheSameSecretAgree) {
  const CacheSalts a(kSecret), b(kSecret), other("another-secret-of-16+");
  EXPECT_EQ(a.For("acme"), b.For("acme"));
  EXPECT_EQ(a.For(""), b.For(""));
  EXPECT_NE(a.For("acme"), other.For("acme"));
}

TEST(CacheSaltsTest, WithoutASecretEachProcessDrawsItsOwn) {
  const CacheSalts a(""), b("");
  EXPECT_FALSE(a.configured());
  EXPECT_EQ(a.For("acme"), a.For("acme"));  // constant within the router
  EXPECT_EQ(a.For("acme").size(), 32u);
  EXPECT_NE(a.For("acme"), b.For("acme"));  // another router (or a restart) starts afresh
  EXPECT_NE(a.For(""), b.For(""));
}

}  // namespace
}  // namespace switchyard
