// TokenBucket arithmetic at exact instants.
#include "policies/token_bucket.h"

#include "gtest/gtest.h"

namespace switchyard {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'000'000);

TEST(TokenBucket, StartsFullAndRefillsAtCapacityPerPeriod) {
  TokenBucket b(60, absl::Minutes(1), kT0);  // one unit per second
  EXPECT_EQ(b.Available(kT0), 60);
  EXPECT_EQ(b.Take(60, kT0), absl::ZeroDuration());
  EXPECT_EQ(b.Available(kT0), 0);
  EXPECT_EQ(b.Take(1, kT0), absl::Seconds(1));      // nothing taken
  EXPECT_EQ(b.Take(3, kT0), absl::Seconds(3));
  EXPECT_EQ(b.Available(kT0 + absl::Seconds(2)), 2);
  EXPECT_EQ(b.Take(2, kT0 + absl::Seconds(2)), absl::ZeroDuration());
  EXPECT_EQ(b.Available(kT0 + absl::Seconds(2)), 0);
}

TEST(TokenBucket, NeverExceedsCapacity) {
  TokenBucket b(10, absl::Minutes(1), kT0);
  EXPECT_EQ(b.Available(kT0 + absl::Hours(5)), 10);
}

TEST(TokenBucket, HalfUnitsAccumulate) {
  TokenBucket b(30, absl::Minutes(1), kT0);  // one unit per 2 s
  ASSERT_EQ(b.Take(30, kT0), absl::ZeroDuration());
  EXPECT_EQ(b.Available(kT0 + absl::Seconds(1)), 0);
  EXPECT_EQ(b.Take(1, kT0 + absl::Seconds(1)), absl::Seconds(1));
  EXPECT_EQ(b.Take(1, kT0 + absl::Seconds(2)), absl::ZeroDuration());
}

TEST(TokenBucket, MoreThanCapacityNeverFits) {
  TokenBucket b(10, absl::Minutes(1), kT0);
  EXPECT_EQ(b.Take(11, kT0), absl::InfiniteDuration());
  EXPECT_EQ(b.Available(kT0), 10);
}

TEST(TokenBucket, ForceTakeGoesIntoDebt) {
  TokenBucket b(60, absl::Minutes(1), kT0);
  b.ForceTake(90, kT0);
  EXPECT_EQ(b.Available(kT0), -30);
  EXPECT_EQ(b.WaitFor(1, kT0), absl::Seconds(31));
  EXPECT_EQ(b.Take(1, kT0 + absl::Seconds(31)), absl::ZeroDuration());
}

TEST(TokenBucket, ClockGoingBackwardsChangesNothing) {
  TokenBucket b(60, absl::Minutes(1), kT0);
  ASSERT_EQ(b.Take(60, kT0), absl::ZeroDuration());
  EXPECT_EQ(b.Available(kT0 - absl::Seconds(30)), 0);
  EXPECT_EQ(b.Available(kT0 + absl::Seconds(5)), 5);
}

TEST(TokenBucket, SetCapacityClampsTheLevel) {
  TokenBucket b(100, absl::Minutes(1), kT0);
  b.SetCapacity(10, kT0);
  EXPECT_EQ(b.Available(kT0), 10);
  b.SetCapacity(100, kT0);
  EXPECT_EQ(b.Available(kT0), 10);  // raising a limit does not hand out a free burst
  EXPECT_EQ(b.Available(kT0 + absl::Seconds(6)), 20);
}

TEST(TokenBucket, RetryAfterSecondsRoundsUp) {
  EXPECT_EQ(RetryAfterSecondsFor(absl::Milliseconds(1)), 1);
  EXPECT_EQ(RetryAfterSecondsFor(absl::Seconds(1)), 1);
  EXPECT_EQ(RetryAfterSecondsFor(absl::Milliseconds(1001)), 2);
  EXPECT_EQ(RetryAfterSecondsFor(absl::Seconds(31)), 31);
}

}  // namespace
}  // namespace switchyard
