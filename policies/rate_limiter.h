// RateLimiter: per-tenant request and token rate limits (token buckets) and daily token budgets,
// shared by all requests of a router.
//
// The router calls, per request:
//   Admit(tenant)               before dispatch: takes one request from the requests bucket;
//                               RESOURCE_EXHAUSTED when that bucket is empty, when the tokens
//                               bucket is in debt, or when the day's budget is spent
//   Charge(tenant, tokens)      as usage becomes known (prompt, then completion tokens)
// Token counts are only known after the fact, so Charge never fails: it may put the tokens
// bucket in debt, and the tenant's next Admit waits until it is repaid.
//
// Budgets (`tokens_per_day`) count tokens per UTC calendar day by the injected clock and reset at
// 00:00 UTC. All state is in memory: a router restart starts every tenant afresh.
//
// A RESOURCE_EXHAUSTED status says "retry after N s" and carries N as a payload; RetryAfterSeconds
// reads it back for the HTTP gateway's Retry-After header.
//
// Thread safety: all methods may be called concurrently. State is per tenant name and survives
// policy reloads; a changed limit takes effect at the tenant's next call.
#ifndef SWITCHYARD_POLICIES_RATE_LIMITER_H_
#define SWITCHYARD_POLICIES_RATE_LIMITER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "policies/clock.h"
#include "policies/policy.h"
#include "policies/token_bucket.h"

namespace switchyard {

// The payload type URL of the retry-after seconds on a RESOURCE_EXHAUSTED status.
inline constexpr const char* kRetryAfterPayload = "type.switchyard.dev/retry-after-seconds";

// The seconds to wait before retrying, when `status` came from RateLimiter; nullopt otherwise.
std::optional<int64_t> RetryAfterSeconds(const absl::Status& status);

struct TenantUsage {
  int64_t requests_available = 0;  // in the requests bucket now (INT64_MAX: unlimited)
  int64_t tokens_available = 0;    // in the tokens bucket now; negative in debt (INT64_MAX: unlimited)
  int64_t tokens_today = 0;        // counted against tokens_per_day
};

class RateLimiter {
 public:
  // `clock` must outlive the limiter.
  explicit RateLimiter(const Clock* clock = SystemClock()) : clock_(clock) {}

  absl::Status Admit(const TenantPolicy& tenant) ABSL_LOCKS_EXCLUDED(mu_);
  void Charge(const TenantPolicy& tenant, int64_t tokens) ABSL_LOCKS_EXCLUDED(mu_);
  TenantUsage Usage(const TenantPolicy& tenant) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct State {
    std::optional<TokenBucket> requests;  // absent: unlimited
    std::optional<TokenBucket> tokens;
    int64_t day = 0;  // days since the epoch (UTC) that tokens_today counts
    int64_t tokens_today = 0;
  };
  // Creates or updates the tenant's state to its current limits and day.
  State& Sync(const TenantPolicy& tenant, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* const clock_;
  absl::Mutex mu_;
  std::map<std::string, State> tenants_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_RATE_LIMITER_H_
