#include "router/service/cache_salt.h"

#include <cstdint>
#include <random>
#include <utility>

#include "base/sha256.h"

namespace switchyard {
namespace {

// The version tag, its terminating NUL included.
constexpr absl::string_view kTag("switchyard/cache-salt/v1\0", 25);

// 32 bytes from the operating system's generator (libstdc++'s random_device reads the kernel's
// or the CPU's entropy source, not a seeded PRNG).
std::string RandomSecret() {
  std::random_device device;
  std::string s;
  while (s.size() < 32) {
    const uint32_t v = device();
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  return s;
}

}  // namespace

CacheSalts::CacheSalts(std::string secret)
    : configured_(!secret.empty()), secret_(configured_ ? std::move(secret) : RandomSecret()) {}

std::string CacheSalts::For(absl::string_view tenant) const {
  std::string bytes(kTag);
  const uint64_t n = secret_.size();
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  bytes += secret_;
  if (tenant.empty()) {
    bytes.push_back('\0');
  } else {
    bytes.push_back('\1');
    bytes.append(tenant.data(), tenant.size());
  }
  const Sha256Digest d = Sha256(bytes);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace switchyard
