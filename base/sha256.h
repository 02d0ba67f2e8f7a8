// Sha256: SHA-256 digests (raw, or as lowercase hex), an incremental hasher, and a
// constant-time comparison.
//
// Used for API key hashes (policy files store hashes, never keys), the audit log's hash chain,
// and the prefix cache's block hashes (a guessable hash would let one tenant probe another's
// prompts by timing). Backed by OpenSSL's libcrypto (libssl-dev, installed by scripts/setup.sh;
// gRPC depends on it too).
//
// Thread safety: free functions, safe from any thread.
#ifndef SWITCHYARD_BASE_SHA256_H_
#define SWITCHYARD_BASE_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

using Sha256Digest = std::array<uint8_t, 32>;

// The digest of `bytes`.
Sha256Digest Sha256(absl::string_view bytes);

// Hashes bytes given in pieces: the digest of their concatenation, without building it.
//   Sha256Hasher h; h.Update(parent); h.Update(tokens); Sha256Digest d = h.Finish();
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(absl::string_view bytes);
  void Update(const void* data, size_t size);
  // The digest of everything given; the hasher starts afresh for the next use.
  Sha256Digest Finish();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view bytes);

// True when `s` is 64 lowercase hex characters, the form Sha256Hex returns.
bool IsSha256Hex(absl::string_view s);

// Equality whose running time depends only on the lengths, not on where the bytes differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace switchyard

#endif  // SWITCHYARD_BASE_SHA256_H_
