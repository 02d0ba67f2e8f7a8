// Clock: where the policies library reads the time, so that tests can drive rate limits,
// budgets and audit timestamps by hand.
//
// Thread safety: Now() may be called from any thread; ManualClock's setters too.
#ifndef SWITCHYARD_POLICIES_CLOCK_H_
#define SWITCHYARD_POLICIES_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace switchyard {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real time (absl::Now). Never destroyed.
const Clock* SystemClock();

// A clock that moves only when told to: for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::FromUnixSeconds(1'700'000'000)) : now_(start) {}
  absl::Time Now() const override ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_CLOCK_H_
