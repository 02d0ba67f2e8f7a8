#include "policies/api_key_hash.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "base/sha256.h"

namespace switchyard {

std::string HashApiKey(absl::string_view key) { return Sha256Hex(key); }

bool ApiKeyMatches(absl::string_view key, absl::string_view stored_hash) {
  return ConstantTimeEquals(HashApiKey(key), stored_hash);
}

absl::string_view BearerToken(absl::string_view authorization_header) {
  absl::string_view h = absl::StripAsciiWhitespace(authorization_header);
  constexpr absl::string_view kScheme = "bearer ";
  if (h.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(h, kScheme)) return {};
  return absl::StripAsciiWhitespace(h.substr(kScheme.size()));
}

}  // namespace switchyard
