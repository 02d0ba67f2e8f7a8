#include "policies/policy.h"

#include "absl/strings/str_cat.h"
#include "policies/api_key_hash.h"
#include "base/sha256.h"

namespace switchyard {

absl::StatusOr<const TenantPolicy*> Policy::Authenticate(absl::string_view api_key) const {
  if (api_key.empty()) {
    return absl::UnauthenticatedError("missing API key: send it as 'Authorization: Bearer <key>'");
  }
  const std::string presented = HashApiKey(api_key);
  const TenantPolicy* found = nullptr;
  // No early exit: the time taken does not tell which tenant, or how many, were compared.
  for (const TenantPolicy& t : tenants) {
    for (const std::string& h : t.key_hashes) {
      if (ConstantTimeEquals(presented, h) && found == nullptr) found = &t;
    }
  }
  if (found == nullptr) return absl::UnauthenticatedError("invalid API key");
  return found;
}

const TenantPolicy* Policy::FindTenant(absl::string_view name) const {
  for (const TenantPolicy& t : tenants) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

absl::Status CheckRole(const TenantPolicy& tenant, absl::string_view role) {
  if (tenant.allowed_roles.count(std::string(role))) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("tenant '", tenant.name, "' may not use role '", role, "'"));
}

absl::Status CheckTool(const TenantPolicy& tenant, absl::string_view tool) {
  if (tenant.allowed_tools.count(std::string(tool))) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("tenant '", tenant.name, "' may not use tool '", tool, "'"));
}

}  // namespace switchyard
