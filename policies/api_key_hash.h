// ApiKeyHash: how an API key becomes the hash a policy file stores, and how a presented key is
// checked against it.
//
// Keys are long random secrets, not passwords, so a plain SHA-256 is enough (no salt or slow
// KDF): guessing a 32-byte random key is hopeless whatever the hash costs. Operators produce the
// hash with HashApiKey (or `printf %s "$KEY" | sha256sum`).
//
// Thread safety: free functions.
#ifndef SWITCHYARD_POLICIES_API_KEY_HASH_H_
#define SWITCHYARD_POLICIES_API_KEY_HASH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

// SHA-256 of the key's bytes, 64 lowercase hex characters: the value of `api_keys[i].sha256`.
std::string HashApiKey(absl::string_view key);

// Whether `key` hashes to `stored_hash`, comparing in constant time.
bool ApiKeyMatches(absl::string_view key, absl::string_view stored_hash);

// The key in an HTTP `Authorization: Bearer <key>` header value (scheme case-insensitive,
// surrounding spaces ignored); empty when the header is empty or not a bearer credential.
absl::string_view BearerToken(absl::string_view authorization_header);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_API_KEY_HASH_H_
