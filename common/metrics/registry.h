// Registry: Prometheus metrics for one process — counters, gauges and histograms with fixed
// buckets, each a family of series told apart by label values — rendered as text exposition
// format 0.0.4 for GET /metrics.
//
//   metrics::Registry registry;
//   auto& requests = registry.AddCounter("switchyard_router_requests_total", "Chat requests.", {"role", "status"});
//   requests.With({"coder", "OK"}).Inc();
//   auto& ttft = registry.AddHistogram("..._seconds", "...", {"role"}, {0.1, 0.5, 1});
//   ttft.With({"coder"}).Observe(0.23);
//   registry.AddCollector([&] { queued.With({}).Set(engine.Stats().waiting); });  // at scrape time
//   std::string text = registry.Render();
//
// A series exists from its first With() and is never dropped, so keep label values to small,
// known sets (roles, status codes, tool names), never request ids. Families render in the
// order they were added, series sorted by label values, so the text is stable for tests.
// Asking twice for one name gives the same family; asking for it as another type is a
// programming error and aborts, as does a With() with the wrong number of values.
//
// Thread safety: everything may be used from any thread. Counters and gauges are lock-free
// atomics; each family and each histogram series has its own mutex, so hot paths contend only
// with the same series. References returned stay valid for the registry's life.
#ifndef SWITCHYARD_COMMON_METRICS_REGISTRY_H_
#define SWITCHYARD_COMMON_METRICS_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace switchyard::metrics {

class Counter {
 public:
  // `by` must not be negative: a counter only goes up (Prometheus reads a drop as a restart).
  void Inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending, without +Inf; owned by the family.
  explicit Histogram(const std::vector<double>& bounds) : bounds_(bounds), counts_(bounds.size() + 1, 0) {}
  void Observe(double v) ABSL_LOCKS_EXCLUDED(mu_);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  // One consistent view (taken under the series' lock, so +Inf always equals the count).
  Snapshot snapshot() const ABSL_LOCKS_EXCLUDED(mu_);
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mu_);  // per bucket, not cumulative; last is +Inf
  double sum_ ABSL_GUARDED_BY(mu_) = 0;
};

// What every family shares: its name, help, type and label names, and how it renders.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, const char* type, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const char* type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // HELP, TYPE and every series, appended to `out`.
  void Render(std::string* out) const;

 protected:
  // `{a="x",b="y"` for these values, without the closing brace (histograms add `le`); empty
  // when the family has no labels.
  std::string LabelPrefix(const std::vector<std::string>& values) const;
  // Aborts unless `n` values were given for the family's labels.
  void CheckArity(size_t n) const;
  virtual void RenderSeries(std::string* out) const = 0;

 private:
  const std::string name_, help_;
  const char* type_;
  const std::vector<std::string> label_names_;
};

template <typename Cell>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {})
      : FamilyBase(std::move(name), std::move(help), TypeName(), std::move(label_names)), bounds_(std::move(bounds)) {}

  // The series with these label values (in label_names() order), made at first use.
  Cell& With(std::initializer_list<absl::string_view> values) ABSL_LOCKS_EXCLUDED(mu_) {
    return With(std::vector<std::string>(values.begin(), values.end()));
  }
  Cell& With(const std::vector<std::string>& values) ABSL_LOCKS_EXCLUDED(mu_) {
    CheckArity(values.size());
    absl::MutexLock lock(&mu_);
    std::unique_ptr<Cell>& cell = series_[values];
    if (cell == nullptr) cell = MakeCell();
    return *cell;
  }

 private:
  static const char* TypeName();
  std::unique_ptr<Cell> MakeCell() const;
  void RenderSeries(std::string* out) const override ABSL_LOCKS_EXCLUDED(mu_);

  const std::vector<double> bounds_;  // histograms only
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Cell>> series_ ABSL_GUARDED_BY(mu_);
};

// The three kinds, defined in registry.cc.
template <> const char* Family<Counter>::TypeName();
template <> const char* Family<Gauge>::TypeName();
template <> const char* Family<Histogram>::TypeName();
template <> std::unique_ptr<Counter> Family<Counter>::MakeCell() const;
template <> std::unique_ptr<Gauge> Family<Gauge>::MakeCell() const;
template <> std::unique_ptr<Histogram> Family<Histogram>::MakeCell() const;
template <> void Family<Counter>::RenderSeries(std::string* out) const;
template <> void Family<Gauge>::RenderSeries(std::string* out) const;
template <> void Family<Histogram>::RenderSeries(std::string* out) const;

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  CounterFamily& AddCounter(const std::string& name, const std::string& help, std::vector<std::string> label_names = {})
      ABSL_LOCKS_EXCLUDED(mu_);
  GaugeFamily& AddGauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {})
      ABSL_LOCKS_EXCLUDED(mu_);
  // `bounds`: ascending upper bounds, without +Inf (added by the exposition).
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help, std::vector<std::string> label_names,
                                std::vector<double> bounds) ABSL_LOCKS_EXCLUDED(mu_);

  // Runs at the start of every Render(), before anything is read: the place to copy state kept
  // elsewhere (pool health, engine queue) into gauges. What it captures must outlive the
  // registry's last Render().
  void AddCollector(std::function<void()> collect) ABSL_LOCKS_EXCLUDED(mu_);

  // The text for GET /metrics (Content-Type: text/plain; version=0.0.4).
  std::string Render() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  template <typename F, typename... Args>
  F& Add(const std::string& name, Args&&... args) ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<const std::function<void()>>> collectors_ ABSL_GUARDED_BY(mu_);
};

// Bucket bounds for request latencies in seconds: 5 ms to 5 min.
std::vector<double> LatencyBuckets();
// Bucket bounds for times to first token in seconds: 1 ms to 1 min.
std::vector<double> FirstTokenBuckets();

}  // namespace switchyard::metrics

#endif  // SWITCHYARD_COMMON_METRICS_REGISTRY_H_
