// CacheSalts: the GenerateRequest.cache_salt the router puts on every worker call it makes
// (model steps and delegations), so that the workers' prefix caches never share blocks between
// tenants. The salt comes from the authenticated tenant and a router secret, never from the
// request: no field a client sends enters it.
//
//   tenant salt = SHA-256("switchyard/cache-salt/v1" 0x00 || u64 len(secret) || secret
//                         || 0x01 || tenant name)
//   open router = SHA-256("switchyard/cache-salt/v1" 0x00 || u64 len(secret) || secret || 0x00)
//
// (u64 little-endian; 32 raw bytes each.) Without a policy file every request gets the one
// open-router salt: one router-wide cache, as there is one tenant.
//
// Why a secret: a salt anyone could compute (the tenant's name alone) would let whoever can
// reach a worker's port send another tenant's salt and probe its prompts by timing. Why a
// configured one (RouterConfig prefix_cache.salt_secret[_file]): routers that share it agree
// on every salt, so a conversation keeps its cache across router restarts and across router
// replicas behind a balancer. Without one, the default is 32 random bytes drawn when the
// router starts: as safe, but each restart (and each router replica) starts a fresh cache.
//
// Thread safety: immutable after construction; safe from any thread.
#ifndef SWITCHYARD_ROUTER_SERVICE_CACHE_SALT_H_
#define SWITCHYARD_ROUTER_SERVICE_CACHE_SALT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

class CacheSalts {
 public:
  // `secret`: the configured one; empty draws 32 random bytes now (per process).
  explicit CacheSalts(std::string secret);

  // 32 bytes for `tenant` (its policy name); the open router's salt for an empty name (an
  // open router has no tenants, and a policy's tenants have non-empty names).
  std::string For(absl::string_view tenant) const;
  // Whether the secret came from the config (false: drawn at random by this process).
  bool configured() const { return configured_; }

 private:
  const bool configured_;
  const std::string secret_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_CACHE_SALT_H_
