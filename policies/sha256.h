// Sha256: SHA-256 digests as lowercase hex, and a constant-time comparison.
//
// Used for API key hashes (policy files store hashes, never keys) and for the audit log's hash
// chain. Backed by OpenSSL's libcrypto (libssl-dev, installed by scripts/setup.sh; gRPC
// depends on it too).
//
// Thread safety: free functions, safe from any thread.
#ifndef SWITCHYARD_POLICIES_SHA256_H_
#define SWITCHYARD_POLICIES_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

// 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view bytes);

// True when `s` is 64 lowercase hex characters, the form Sha256Hex returns.
bool IsSha256Hex(absl::string_view s);

// Equality whose running time depends only on the lengths, not on where the bytes differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_SHA256_H_
