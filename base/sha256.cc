#include "base/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

namespace switchyard {

// OpenSSL's digest calls only fail when it cannot allocate; there is no useful way to go on
// hashing keys, chaining the audit log or naming cache blocks without them.
#define SY_OPENSSL_OR_ABORT(call) \
  do {                            \
    if ((call) != 1) std::abort(); \
  } while (0)

Sha256Digest Sha256(absl::string_view bytes) {
  Sha256Digest d;
  unsigned int len = 0;
  SY_OPENSSL_OR_ABORT(EVP_Digest(bytes.data(), bytes.size(), d.data(), &len, EVP_sha256(), nullptr));
  if (len != d.size()) std::abort();
  return d;
}

struct Sha256Hasher::Context {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256Hasher::Sha256Hasher() : ctx_(std::make_unique<Context>()) {
  if (ctx_->md == nullptr) std::abort();
  SY_OPENSSL_OR_ABORT(EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr));
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(absl::string_view bytes) { Update(bytes.data(), bytes.size()); }

void Sha256Hasher::Update(const void* data, size_t size) {
  SY_OPENSSL_OR_ABORT(EVP_DigestUpdate(ctx_->md, data, size));
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest d;
  unsigned int len = 0;
  SY_OPENSSL_OR_ABORT(EVP_DigestFinal_ex(ctx_->md, d.data(), &len));
  if (len != d.size()) std::abort();
  SY_OPENSSL_OR_ABORT(EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr));
  return d;
}

std::string Sha256Hex(absl::string_view bytes) {
  const Sha256Digest digest = Sha256(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (unsigned i = 0; i < 32; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

bool IsSha256Hex(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace switchyard
