#include "router/agent/run_limits.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace switchyard {
namespace {

absl::Status Take(const char* field, bool has, int64_t asked, int64_t ceiling, const char* ceiling_name, int64_t* out) {
  *out = ceiling;
  if (!has) return absl::OkStatus();
  if (asked < 1) return absl::InvalidArgumentError(absl::StrCat("limits.", field, ": ", asked, " (must be at least 1)"));
  if (asked > ceiling) {
    return absl::InvalidArgumentError(
        absl::StrCat("limits.", field, ": ", asked, " is over the ", ceiling_name, " of ", ceiling));
  }
  *out = asked;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RunLimits> ResolveRunLimits(const v1::RunLimits& requested, const AgentDefaults& router,
                                           const TenantPolicy* tenant) {
  RunLimits out;
  int64_t steps_ceiling = router.max_steps;
  const char* steps_owner = "router's limit";
  if (tenant != nullptr && tenant->max_steps < steps_ceiling) {
    steps_ceiling = tenant->max_steps;
    steps_owner = "tenant's limit";
  }
  for (absl::Status s : {
           Take("max_steps", requested.has_max_steps(), requested.max_steps(), steps_ceiling, steps_owner,
                &out.max_steps),
           Take("max_tokens", requested.has_max_tokens(), requested.max_tokens(), router.max_tokens, "router's limit",
                &out.max_tokens),
           Take("max_seconds", requested.has_max_seconds(), requested.max_seconds(), router.max_seconds,
                "router's limit", &out.max_seconds),
           Take("max_identical_calls", requested.has_max_identical_calls(), requested.max_identical_calls(),
                router.max_identical_calls, "router's limit", &out.max_identical_calls),
       }) {
    if (!s.ok()) return s;
  }
  return out;
}

}  // namespace switchyard
