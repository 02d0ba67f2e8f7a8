#include "policies/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace switchyard {

TokenBucket::TokenBucket(int64_t capacity, absl::Duration period, absl::Time now)
    : capacity_(capacity), period_(period), level_(static_cast<double>(capacity)), last_(now) {}

void TokenBucket::Refill(absl::Time now) {
  // A clock that steps backwards (NTP) must not drain the bucket: treat it as no time passed.
  if (now <= last_) return;
  const double rate = static_cast<double>(capacity_) / absl::ToDoubleSeconds(period_);
  level_ = std::min(static_cast<double>(capacity_), level_ + rate * absl::ToDoubleSeconds(now - last_));
  last_ = now;
}

absl::Duration TokenBucket::WaitFor(int64_t n, absl::Time now) {
  Refill(now);
  if (n > capacity_) return absl::InfiniteDuration();
  const double missing = static_cast<double>(n) - level_;
  if (missing <= 1e-9) return absl::ZeroDuration();  // tolerance for refill rounding
  const double rate = static_cast<double>(capacity_) / absl::ToDoubleSeconds(period_);
  return absl::Seconds(missing / rate);
}

absl::Duration TokenBucket::Take(int64_t n, absl::Time now) {
  const absl::Duration wait = WaitFor(n, now);
  if (wait == absl::ZeroDuration()) level_ -= static_cast<double>(n);
  return wait;
}

void TokenBucket::ForceTake(int64_t n, absl::Time now) {
  Refill(now);
  level_ -= static_cast<double>(n);
}

void TokenBucket::SetCapacity(int64_t capacity, absl::Time now) {
  Refill(now);
  capacity_ = capacity;
  level_ = std::min(level_, static_cast<double>(capacity));
}

int64_t TokenBucket::Available(absl::Time now) {
  Refill(now);
  return static_cast<int64_t>(std::floor(level_ + 1e-9));
}

int64_t RetryAfterSecondsFor(absl::Duration wait) {
  if (wait == absl::InfiniteDuration()) return INT64_MAX;
  return std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1))));
}

}  // namespace switchyard
