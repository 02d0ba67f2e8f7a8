// RateLimiter: request and token buckets, daily budgets, Retry-After, with a manual clock.
#include "policies/rate_limiter.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

TenantPolicy Tenant(int64_t rpm, int64_t tpm, int64_t tpd) {
  TenantPolicy t;
  t.name = "acme";
  t.limits = {rpm, tpm, tpd};
  return t;
}

TEST(RateLimiter, RequestsPerMinute) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  const TenantPolicy t = Tenant(3, 0, 0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.Admit(t).ok()) << i;
  const absl::Status s = limiter.Admit(t);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "tenant 'acme': over 3 requests per minute; retry after 20 s");
  EXPECT_EQ(RetryAfterSeconds(s), 20);
  clock.Advance(absl::Seconds(19));
  EXPECT_EQ(RetryAfterSeconds(limiter.Admit(t)), 1);
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Admit(t).ok());
}

TEST(RateLimiter, TokensPerMinuteDebtBlocksTheNextRequest) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  const TenantPolicy t = Tenant(0, 600, 0);  // 10 tokens per second
  ASSERT_TRUE(limiter.Admit(t).ok());
  limiter.Charge(t, 900);  // the answer was longer than the bucket: 300 in debt
  EXPECT_EQ(limiter.Usage(t).tokens_available, -300);
  const absl::Status s = limiter.Admit(t);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "tenant 'acme': over 600 tokens per minute; retry after 31 s");  // 301 / 10 per s
  clock.Advance(absl::Seconds(31));
  EXPECT_TRUE(limiter.Admit(t).ok());
}

TEST(RateLimiter, DailyBudgetResetsAtUtcMidnight) {
  ManualClock clock(absl::FromUnixSeconds(86400 * 20000 + 86400 - 100));  // 100 s before midnight UTC
  RateLimiter limiter(&clock);
  const TenantPolicy t = Tenant(0, 0, 1000);
  ASSERT_TRUE(limiter.Admit(t).ok());
  limiter.Charge(t, 999);
  ASSERT_TRUE(limiter.Admit(t).ok());  // 1 token left: still admitted
  limiter.Charge(t, 5);
  EXPECT_EQ(limiter.Usage(t).tokens_today, 1004);
  const absl::Status s = limiter.Admit(t);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "tenant 'acme': daily token budget of 1000 spent; retry after 100 s");
  clock.Advance(absl::Seconds(100));
  EXPECT_TRUE(limiter.Admit(t).ok());
  EXPECT_EQ(limiter.Usage(t).tokens_today, 0);
}

TEST(RateLimiter, UnlimitedWhenNoLimits) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  const TenantPolicy t = Tenant(0, 0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Admit(t).ok());
  limiter.Charge(t, 1'000'000'000);
  EXPECT_TRUE(limiter.Admit(t).ok());
}

TEST(RateLimiter, TenantsAreIndependent) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  TenantPolicy a = Tenant(1, 0, 0);
  TenantPolicy b = Tenant(1, 0, 0);
  b.name = "other";
  EXPECT_TRUE(limiter.Admit(a).ok());
  EXPECT_FALSE(limiter.Admit(a).ok());
  EXPECT_TRUE(limiter.Admit(b).ok());
}

TEST(RateLimiter, ReloadedLimitAppliesToTheNextCall) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  TenantPolicy t = Tenant(10, 0, 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.Admit(t).ok());
  t.limits.requests_per_minute = 2;  // 5 left, clamped to the new capacity of 2
  EXPECT_TRUE(limiter.Admit(t).ok());
  EXPECT_TRUE(limiter.Admit(t).ok());
  EXPECT_FALSE(limiter.Admit(t).ok());
}

TEST(RateLimiter, RetryAfterOnlyOnItsOwnStatus) {
  EXPECT_EQ(RetryAfterSeconds(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(absl::ResourceExhaustedError("x")), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(absl::PermissionDeniedError("x")), std::nullopt);
}

TEST(RateLimiter, ConcurrentAdmitsNeverExceedTheBucket) {
  ManualClock clock;
  RateLimiter limiter(&clock);
  const TenantPolicy t = Tenant(100, 0, 0);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        if (limiter.Admit(t).ok()) ++admitted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(admitted.load(), 100);
}

}  // namespace
}  // namespace switchyard
