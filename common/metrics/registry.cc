#include "common/metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/metrics/exposition.h"

namespace switchyard::metrics {
namespace {

// Misuse of the registry is a bug in the caller, found by the first test that runs the code.
[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "metrics: %s\n", why.c_str());
  std::abort();
}

// `prefix` (from LabelPrefix) closed, or nothing when there are no labels.
std::string Close(const std::string& prefix) { return prefix.empty() ? "" : prefix + "}"; }

}  // namespace

void Histogram::Observe(double v) {
  if (std::isnan(v)) return;  // no bucket holds it, and it would poison the sum
  // The first bound >= v: `le` buckets include their bound.
  const size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  absl::MutexLock lock(&mu_);
  ++counts_[i];
  sum_ += v;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  absl::MutexLock lock(&mu_);
  s.cumulative.reserve(counts_.size());
  for (uint64_t n : counts_) {
    s.count += n;
    s.cumulative.push_back(s.count);
  }
  s.sum = sum_;
  return s;
}

void FamilyBase::Render(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", EscapeHelp(help_), "\n# TYPE ", name_, " ", type_, "\n");
  RenderSeries(out);
}

std::string FamilyBase::LabelPrefix(const std::vector<std::string>& values) const {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StrAppend(&s, i == 0 ? "{" : ",", label_names_[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  return s;
}

void FamilyBase::CheckArity(size_t n) const {
  if (n != label_names_.size()) {
    Die(absl::StrCat(name_, ": ", n, " label values for ", label_names_.size(), " labels"));
  }
}

template <> const char* Family<Counter>::TypeName() { return "counter"; }
template <> const char* Family<Gauge>::TypeName() { return "gauge"; }
template <> const char* Family<Histogram>::TypeName() { return "histogram"; }

template <> std::unique_ptr<Counter> Family<Counter>::MakeCell() const { return std::make_unique<Counter>(); }
template <> std::unique_ptr<Gauge> Family<Gauge>::MakeCell() const { return std::make_unique<Gauge>(); }
template <> std::unique_ptr<Histogram> Family<Histogram>::MakeCell() const {
  return std::make_unique<Histogram>(bounds_);
}

template <> void Family<Counter>::RenderSeries(std::string* out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, cell] : series_) {
    absl::StrAppend(out, name(), Close(LabelPrefix(values)), " ", FormatValue(cell->value()), "\n");
  }
}

template <> void Family<Gauge>::RenderSeries(std::string* out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, cell] : series_) {
    absl::StrAppend(out, name(), Close(LabelPrefix(values)), " ", FormatValue(cell->value()), "\n");
  }
}

template <> void Family<Histogram>::RenderSeries(std::string* out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, cell] : series_) {
    const Histogram::Snapshot s = cell->snapshot();
    const std::string prefix = LabelPrefix(values);
    const std::string open = prefix.empty() ? "{" : prefix + ",";
    for (size_t i = 0; i < s.cumulative.size(); ++i) {
      const std::string le = i < bounds_.size() ? FormatValue(bounds_[i]) : "+Inf";
      absl::StrAppend(out, name(), "_bucket", open, "le=\"", le, "\"} ", s.cumulative[i], "\n");
    }
    absl::StrAppend(out, name(), "_sum", Close(prefix), " ", FormatValue(s.sum), "\n");
    absl::StrAppend(out, name(), "_count", Close(prefix), " ", s.count, "\n");
  }
}

template <typename F, typename... Args>
F& Registry::Add(const std::string& name, Args&&... args) {
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) {
    if (f->name() != name) continue;
    F* same = dynamic_cast<F*>(f.get());
    if (same == nullptr) Die(absl::StrCat(name, ": already registered as a ", f->type()));
    return *same;
  }
  families_.push_back(std::make_unique<F>(name, std::forward<Args>(args)...));
  return static_cast<F&>(*families_.back());
}

CounterFamily& Registry::AddCounter(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  return Add<CounterFamily>(name, help, std::move(label_names));
}

GaugeFamily& Registry::AddGauge(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  return Add<GaugeFamily>(name, help, std::move(label_names));
}

HistogramFamily& Registry::AddHistogram(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names, std::vector<double> bounds) {
  if (!std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end()) {
    Die(absl::StrCat(name, ": bucket bounds must be strictly ascending"));
  }
  return Add<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
}

void Registry::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::make_shared<const std::function<void()>>(std::move(collect)));
}

std::string Registry::Render() const {
  std::vector<std::shared_ptr<const std::function<void()>>> collectors;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
  }
  // Outside the lock: a collector may itself add a family.
  for (const auto& c : collectors) (*c)();
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) f->Render(&out);
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
}

std::vector<double> FirstTokenBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace switchyard::metrics
