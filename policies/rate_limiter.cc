#include "policies/rate_limiter.h"

#include <climits>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace switchyard {
namespace {

int64_t DayOf(absl::Time t) { return absl::ToUnixSeconds(t) / 86400; }  // post-1970 times only

absl::Status Exhausted(const TenantPolicy& tenant, absl::string_view what, absl::Duration wait) {
  const int64_t seconds = RetryAfterSecondsFor(wait);
  absl::Status s = absl::ResourceExhaustedError(
      absl::StrCat("tenant '", tenant.name, "': ", what, "; retry after ", seconds, " s"));
  s.SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(seconds)));
  return s;
}

void SyncBucket(std::optional<TokenBucket>& bucket, int64_t limit, absl::Time now) {
  if (limit <= 0) {
    bucket.reset();
  } else if (!bucket) {
    bucket.emplace(limit, absl::Minutes(1), now);
  } else if (bucket->capacity() != limit) {
    bucket->SetCapacity(limit, now);
  }
}

}  // namespace

std::optional<int64_t> RetryAfterSeconds(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kResourceExhausted) return std::nullopt;
  const auto p = status.GetPayload(kRetryAfterPayload);  // absl::optional in this Abseil
  int64_t v = 0;
  if (!p || !absl::SimpleAtoi(std::string(*p), &v)) return std::nullopt;
  return v;
}

RateLimiter::State& RateLimiter::Sync(const TenantPolicy& tenant, absl::Time now) {
  State& s = tenants_[tenant.name];
  SyncBucket(s.requests, tenant.limits.requests_per_minute, now);
  SyncBucket(s.tokens, tenant.limits.tokens_per_minute, now);
  if (const int64_t day = DayOf(now); day != s.day) {
    s.day = day;
    s.tokens_today = 0;
  }
  return s;
}

absl::Status RateLimiter::Admit(const TenantPolicy& tenant) {
  const absl::Time now = clock_->Now();
  absl::MutexLock l(&mu_);
  State& s = Sync(tenant, now);
  if (tenant.limits.tokens_per_day > 0 && s.tokens_today >= tenant.limits.tokens_per_day) {
    const absl::Time midnight = absl::FromUnixSeconds((s.day + 1) * 86400);
    return Exhausted(tenant, absl::StrCat("daily token budget of ", tenant.limits.tokens_per_day, " spent"),
                     midnight - now);
  }
  if (s.tokens) {
    // A bucket in debt (or at zero) admits nothing until at least one token has come back.
    if (const absl::Duration wait = s.tokens->WaitFor(1, now); wait > absl::ZeroDuration()) {
      return Exhausted(tenant, absl::StrCat("over ", tenant.limits.tokens_per_minute, " tokens per minute"), wait);
    }
  }
  if (s.requests) {
    if (const absl::Duration wait = s.requests->Take(1, now); wait > absl::ZeroDuration()) {
      return Exhausted(tenant, absl::StrCat("over ", tenant.limits.requests_per_minute, " requests per minute"),
                       wait);
    }
  }
  return absl::OkStatus();
}

void RateLimiter::Charge(const TenantPolicy& tenant, int64_t tokens) {
  if (tokens <= 0) return;
  const absl::Time now = clock_->Now();
  absl::MutexLock l(&mu_);
  State& s = Sync(tenant, now);
  if (s.tokens) s.tokens->ForceTake(tokens, now);
  s.tokens_today += tokens;
}

TenantUsage RateLimiter::Usage(const TenantPolicy& tenant) {
  const absl::Time now = clock_->Now();
  absl::MutexLock l(&mu_);
  State& s = Sync(tenant, now);
  TenantUsage u;
  u.requests_available = s.requests ? s.requests->Available(now) : INT64_MAX;
  u.tokens_available = s.tokens ? s.tokens->Available(now) : INT64_MAX;
  u.tokens_today = s.tokens_today;
  return u;
}

}  // namespace switchyard
