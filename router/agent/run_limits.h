// RunLimits: the limits one agent run works under, resolved from what the request asks, the
// router's configured maximum (RouterConfig::agent) and the tenant's policy (its max_steps).
// A request may lower a limit, never raise it past the router's: asking for more is an
// INVALID_ARGUMENT that names the field and the ceiling, rather than a silent clamp.
// Thread safety: a plain value.
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_LIMITS_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_LIMITS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "policies/policy.h"
#include "router/config/router_config.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

struct RunLimits {
  int64_t max_steps = 8;
  int64_t max_tokens = 65536;
  int64_t max_seconds = 300;
  int64_t max_identical_calls = 3;
};

// `tenant` may be null (an open router).
absl::StatusOr<RunLimits> ResolveRunLimits(const v1::RunLimits& requested, const AgentDefaults& router,
                                           const TenantPolicy* tenant);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_LIMITS_H_
