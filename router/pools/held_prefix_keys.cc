#include "router/pools/held_prefix_keys.h"

#include <algorithm>
#include <utility>

namespace switchyard {
namespace {

// GenerateRequest.prefix_keys are SHA-256 digests.
constexpr size_t kKeyBytes = 32;

}  // namespace

void HeldPrefixKeys::Replace(const Keys& held) {
  // Built outside the lock: a health round must not hold up the requests asking.
  absl::flat_hash_set<std::string> next;
  next.reserve(std::min<size_t>(static_cast<size_t>(held.size()), kMaxHeldPrefixKeys));
  for (const std::string& k : held) {
    if (next.size() == kMaxHeldPrefixKeys) break;  // most recent first: the rest are older
    if (k.size() == kKeyBytes) next.insert(k);
  }
  absl::MutexLock lock(&mu_);
  held_ = std::move(next);
}

size_t HeldPrefixKeys::LongestHeldPrefix(const Keys& keys) const {
  absl::MutexLock lock(&mu_);
  for (int i = keys.size() - 1; i >= 0; --i) {
    if (held_.contains(keys.Get(i))) return static_cast<size_t>(i) + 1;
  }
  return 0;
}

bool HeldPrefixKeys::Holds(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  return held_.contains(key);
}

size_t HeldPrefixKeys::size() const {
  absl::MutexLock lock(&mu_);
  return held_.size();
}

}  // namespace switchyard
