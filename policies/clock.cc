#include "policies/clock.h"

namespace switchyard {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

const Clock* SystemClock() {
  static const RealClock clock;  // no state: safe to use during static destruction too
  return &clock;
}

}  // namespace switchyard
