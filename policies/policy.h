// Policy: what one policy file declares, validated and ready to use. PolicyFile builds it;
// PolicyStore hands out the current one.
//
// A Policy answers the per-request questions the router asks, in request order:
//   Authenticate(key)          which tenant holds this key?   UNAUTHENTICATED if none
//   CheckRole / CheckTool      may it use this route / tool?  PERMISSION_DENIED (deny by default)
// Rate limits and budgets need state across requests: see RateLimiter. Guardrails apply to text.
//
// Thread safety: immutable once built; share it as std::shared_ptr<const Policy>. Pointers into
// it (a TenantPolicy*) stay valid as long as that shared_ptr is held.
#ifndef SWITCHYARD_POLICIES_POLICY_H_
#define SWITCHYARD_POLICIES_POLICY_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policies/guardrails.h"

namespace switchyard {

// The routes a policy can allow (the worker roles of DESIGN.md). Kept here rather than taken from
// the router, which depends on this library and not the other way round.
inline constexpr const char* kPolicyRoles[] = {"reasoning", "coder", "translation"};

struct TenantLimits {
  int64_t requests_per_minute = 0;  // 0: unlimited
  int64_t tokens_per_minute = 0;    // 0: unlimited (prompt + completion tokens)
  int64_t tokens_per_day = 0;       // budget per UTC calendar day; 0: unlimited
};

struct SandboxLimits {
  int64_t timeout_seconds = 10;  // wall-clock time of one code run
  int64_t memory_mb = 256;       // address space of one code run
};

struct TenantPolicy {
  std::string name;
  std::vector<std::string> key_hashes;  // SHA-256 hex of each API key (see api_key_hash.h)
  TenantLimits limits;
  std::set<std::string> allowed_roles;  // empty: none
  std::set<std::string> allowed_tools;  // empty: none
  SandboxLimits sandbox;
  int64_t max_steps = 8;  // agent-loop steps (model calls) per request
};

struct AuditSettings {
  std::string path;  // empty: the router decides (e.g. a flag) or runs without an audit log
};

struct Policy {
  std::string source;  // the file it came from, for messages
  std::vector<TenantPolicy> tenants;
  Guardrails guardrails;
  AuditSettings audit;

  // The tenant whose key hashes to the same value as `api_key` (the bare key; see BearerToken).
  // UNAUTHENTICATED "missing API key" when empty, "invalid API key" when no tenant matches; the
  // key itself never appears in a message. Compares against every stored hash in constant time.
  absl::StatusOr<const TenantPolicy*> Authenticate(absl::string_view api_key) const;

  const TenantPolicy* FindTenant(absl::string_view name) const;  // nullptr if none
};

// PERMISSION_DENIED "tenant 'acme' may not use role 'coder'" unless allowed.
absl::Status CheckRole(const TenantPolicy& tenant, absl::string_view role);
// PERMISSION_DENIED "tenant 'acme' may not use tool 'run_code'" unless allowed.
absl::Status CheckTool(const TenantPolicy& tenant, absl::string_view tool);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_POLICY_H_
