// TokenBucket: the rate-limit arithmetic for one tenant and one resource (requests or tokens).
//
// The bucket holds at most `capacity` units and refills continuously at `capacity` units per
// `period` (a minute for our limits), so a tenant may burst a full minute's allowance and then
// continues at the steady rate. Take() is all-or-nothing; ForceTake() may leave the bucket in
// debt (negative), used for usage only known afterwards (tokens generated): the next Take()
// waits until the debt is repaid.
//
// Thread safety: none; RateLimiter serialises access. Times come from the caller, so tests use
// exact instants.
#ifndef SWITCHYARD_POLICIES_TOKEN_BUCKET_H_
#define SWITCHYARD_POLICIES_TOKEN_BUCKET_H_

#include <cstdint>

#include "absl/time/time.h"

namespace switchyard {

class TokenBucket {
 public:
  // Starts full at `now`. REQUIRES: capacity > 0, period > 0.
  TokenBucket(int64_t capacity, absl::Duration period, absl::Time now);

  // Takes `n` units if all are there: returns zero. Otherwise takes nothing and returns how long
  // until `n` would be there (infinite when n > capacity: never).
  absl::Duration Take(int64_t n, absl::Time now);
  // Takes `n` units, going into debt if needed.
  void ForceTake(int64_t n, absl::Time now);
  // How long until `n` units are there, taking nothing.
  absl::Duration WaitFor(int64_t n, absl::Time now);

  // Changes the limit (policy reload), keeping the current level clamped to the new capacity.
  void SetCapacity(int64_t capacity, absl::Time now);

  int64_t capacity() const { return capacity_; }
  // Units available now, rounded down; negative when in debt.
  int64_t Available(absl::Time now);

 private:
  void Refill(absl::Time now);

  int64_t capacity_;
  absl::Duration period_;
  double level_;  // fractional: refill is continuous
  absl::Time last_;
};

// Whole seconds to wait, rounded up, at least 1: the HTTP Retry-After value for `wait`.
int64_t RetryAfterSecondsFor(absl::Duration wait);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_TOKEN_BUCKET_H_
