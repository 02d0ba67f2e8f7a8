#include "common/metrics/registry.h"

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard::metrics {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, RendersCountersWithLabelsSortedAndEscaped) {
  Registry r;
  auto& c = r.AddCounter("requests_total", "Requests by \"path\".\nSecond line \\ end.", {"path", "status"});
  c.With({"/b", "200"}).Inc();
  c.With({"/a", "500"}).Inc(2);
  c.With({"/b", "200"}).Inc();
  c.With({"we\"ird\\\n", "200"}).Inc();
  EXPECT_EQ(r.Render(),
            "# HELP requests_total Requests by \"path\".\\nSecond line \\\\ end.\n"
            "# TYPE requests_total counter\n"
            "requests_total{path=\"/a\",status=\"500\"} 2\n"
            "requests_total{path=\"/b\",status=\"200\"} 2\n"
            "requests_total{path=\"we\\\"ird\\\\\\n\",status=\"200\"} 1\n");
}

TEST(RegistryTest, RendersUnlabelledGaugesAndFamiliesInOrder) {
  Registry r;
  auto& g = r.AddGauge("queued", "Waiting.");
  auto& c = r.AddCounter("steps_total", "Steps.");
  g.With({}).Set(3);
  g.With({}).Add(-1.5);
  c.With({}).Inc(0.25);
  EXPECT_EQ(r.Render(),
            "# HELP queued Waiting.\n# TYPE queued gauge\nqueued 1.5\n"
            "# HELP steps_total Steps.\n# TYPE steps_total counter\nsteps_total 0.25\n");
}

TEST(RegistryTest, AFamilyWithoutSeriesRendersOnlyItsHeader) {
  Registry r;
  r.AddCounter("none_total", "Nothing yet.", {"x"});
  EXPECT_EQ(r.Render(), "# HELP none_total Nothing yet.\n# TYPE none_total counter\n");
}

TEST(RegistryTest, RendersHistogramsCumulativeWithInfSumAndCount) {
  Registry r;
  auto& h = r.AddHistogram("latency_seconds", "Latency.", {"role"}, {0.1, 0.5, 1});
  h.With({"coder"}).Observe(0.05);
  h.With({"coder"}).Observe(0.1);  // on a bound: counted in that bucket (le)
  h.With({"coder"}).Observe(0.75);
  h.With({"coder"}).Observe(7);
  h.With({"coder"}).Observe(std::nan(""));  // ignored
  h.With({"a\"b"}).Observe(0.2);
  EXPECT_EQ(r.Render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{role=\"a\\\"b\",le=\"0.1\"} 0\n"
            "latency_seconds_bucket{role=\"a\\\"b\",le=\"0.5\"} 1\n"
            "latency_seconds_bucket{role=\"a\\\"b\",le=\"1\"} 1\n"
            "latency_seconds_bucket{role=\"a\\\"b\",le=\"+Inf\"} 1\n"
            "latency_seconds_sum{role=\"a\\\"b\"} 0.2\n"
            "latency_seconds_count{role=\"a\\\"b\"} 1\n"
            "latency_seconds_bucket{role=\"coder\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{role=\"coder\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{role=\"coder\",le=\"1\"} 3\n"
            "latency_seconds_bucket{role=\"coder\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{role=\"coder\"} 7.9\n"
            "latency_seconds_count{role=\"coder\"} 4\n");
}

TEST(RegistryTest, UnlabelledHistogram) {
  Registry r;
  auto& h = r.AddHistogram("ttft_seconds", "TTFT.", {}, {1});
  h.With({}).Observe(2);
  EXPECT_EQ(r.Render(),
            "# HELP ttft_seconds TTFT.\n# TYPE ttft_seconds histogram\n"
            "ttft_seconds_bucket{le=\"1\"} 0\nttft_seconds_bucket{le=\"+Inf\"} 1\n"
            "ttft_seconds_sum 2\nttft_seconds_count 1\n");
}

TEST(RegistryTest, SameNameGivesSameFamily) {
  Registry r;
  auto& a = r.AddCounter("x_total", "X.", {"k"});
  auto& b = r.AddCounter("x_total", "X again.", {"k"});
  EXPECT_EQ(&a, &b);
  a.With({"v"}).Inc();
  EXPECT_EQ(b.With({"v"}).value(), 1);
}

TEST(RegistryDeathTest, MisuseAborts) {
  Registry r;
  r.AddCounter("x_total", "X.", {"k"});
  EXPECT_DEATH(r.AddGauge("x_total", "X."), "already registered as a counter");
  EXPECT_DEATH(r.AddCounter("y_total", "Y.", {"a", "b"}).With({"only one"}), "1 label values for 2 labels");
  EXPECT_DEATH(r.AddHistogram("h", "H.", {}, {1, 0.5}), "strictly ascending");
}

TEST(RegistryTest, CollectorsRunBeforeEachRender) {
  Registry r;
  auto& g = r.AddGauge("up", "Up.", {"endpoint"});
  int calls = 0;
  r.AddCollector([&] { g.With({"w1"}).Set(++calls); });
  EXPECT_THAT(r.Render(), HasSubstr("up{endpoint=\"w1\"} 1\n"));
  EXPECT_THAT(r.Render(), HasSubstr("up{endpoint=\"w1\"} 2\n"));
}

TEST(RegistryTest, ConcurrentUpdatesAreAllCounted) {
  Registry r;
  auto& c = r.AddCounter("hits_total", "Hits.", {"t"});
  auto& g = r.AddGauge("level", "Level.");
  auto& h = r.AddHistogram("obs", "Obs.", {}, {0.5});
  constexpr int kThreads = 8, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        c.With({t % 2 == 0 ? "even" : "odd"}).Inc();
        g.With({}).Add(1);
        h.With({}).Observe(i % 2 == 0 ? 0.25 : 1);
        if (i % 5000 == 0) (void)r.Render();  // renders race with updates, safely
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.With({"even"}).value() + c.With({"odd"}).value(), kThreads * kEach);
  EXPECT_EQ(g.With({}).value(), kThreads * kEach);
  const Histogram::Snapshot s = h.With({}).snapshot();
  EXPECT_EQ(s.count, uint64_t{kThreads} * kEach);
  EXPECT_EQ(s.cumulative[0], uint64_t{kThreads} * kEach / 2);
  EXPECT_DOUBLE_EQ(s.sum, kThreads * (kEach / 2) * 1.25);
}

}  // namespace
}  // namespace switchyard::metrics
