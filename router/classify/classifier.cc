#include "router/classify/classifier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard::classify {
namespace {

// Adds the int16 weight row of every feature occurrence into per-group integer sums (64-bit:
// a model file may declare any max_bytes, so the number of features is not bounded by 2^16).
template <int kLabelsFixed>
struct ScoreSink {
  const int16_t* weights;
  int labels;
  int64_t sums[kNumFeatureGroups][kMaxLabels] = {};
  uint64_t counts[kNumFeatureGroups] = {};

  void operator()(FeatureGroup g, uint32_t bucket) {
    const int gi = static_cast<int>(g);
    ++counts[gi];
    if constexpr (kLabelsFixed > 0) {
      const int16_t* row = weights + static_cast<size_t>(bucket) * kLabelsFixed;
      for (int k = 0; k < kLabelsFixed; ++k) sums[gi][k] += row[k];
    } else {
      const int16_t* row = weights + static_cast<size_t>(bucket) * labels;
      for (int k = 0; k < labels; ++k) sums[gi][k] += row[k];
    }
  }
};

// Collects named occurrences for Explain.
struct NamedSink {
  static constexpr bool kWantsNames = true;
  struct Entry {
    FeatureGroup group;
    uint32_t bucket;
    std::string name;
  };
  std::vector<Entry> entries;
  uint32_t counts[kNumFeatureGroups] = {};

  void Named(FeatureGroup g, uint32_t bucket, absl::string_view name) {
    ++counts[static_cast<int>(g)];
    entries.push_back(Entry{g, bucket, std::string(name)});
  }
};

// In double, after subtracting the maximum: finite logits always give finite probabilities.
void Softmax(const float* logits, int n, float temperature, float* out) {
  double z[kMaxLabels];
  double mx = -HUGE_VAL;
  for (int k = 0; k < n; ++k) {
    z[k] = static_cast<double>(logits[k]) / temperature;
    mx = std::max(mx, z[k]);
  }
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    z[k] = std::exp(z[k] - mx);
    sum += z[k];
  }
  for (int k = 0; k < n; ++k) out[k] = static_cast<float>(z[k] / sum);
}

}  // namespace

Classifier::Classifier(ClassifierModel model) : model_(std::move(model)), extractor_(model_.features) {}

absl::StatusOr<Classifier> Classifier::Load(const std::string& path) {
  absl::StatusOr<ClassifierModel> m = ClassifierModel::Load(path);
  if (!m.ok()) return m.status();
  return FromModel(*std::move(m));
}

absl::StatusOr<Classifier> Classifier::FromModel(ClassifierModel model) {
  const size_t n = model.labels.size();
  if (n < 1 || n > static_cast<size_t>(kMaxLabels)) {
    return absl::InvalidArgumentError(absl::StrCat("classifier model: ", n, " labels, expected 1-", kMaxLabels));
  }
  if (model.bias.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("classifier model: ", model.bias.size(), " biases for ", n, " labels"));
  }
  const FeatureConfig& f = model.features;
  if (f.hash_bits < 8 || f.hash_bits > 24 || f.char_min_n < 1 || f.char_max_n > 4 ||
      f.char_min_n > f.char_max_n || f.edge_words > 32 || f.max_bytes < 64) {
    return absl::InvalidArgumentError("classifier model: feature configuration out of range");
  }
  if (model.weights.size() != static_cast<size_t>(f.buckets()) * n) {
    return absl::InvalidArgumentError(absl::StrCat("classifier model: ", model.weights.size(),
                                                   " weights for ", f.buckets(), " buckets x ", n, " labels"));
  }
  if (!(model.temperature >= kMinTemperature && model.temperature <= kMaxTemperature) ||
      !(model.weight_scale > 0 && model.weight_scale <= kMaxWeightScale)) {
    return absl::InvalidArgumentError("classifier model: temperature or weight_scale out of range");
  }
  for (float b : model.bias) {
    if (!(std::fabs(b) <= kMaxAbsBias)) return absl::InvalidArgumentError("classifier model: bias out of range");
  }
  return Classifier(std::move(model));
}

int Classifier::LabelIndex(absl::string_view name) const {
  for (size_t i = 0; i < model_.labels.size(); ++i) {
    if (model_.labels[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void Classifier::Logits(absl::string_view prompt, float* out) const {
  const int n = num_labels();
  auto finish = [&](const auto& sink) {
    for (int k = 0; k < n; ++k) {
      double s = 0;
      for (int g = 0; g < kNumFeatureGroups; ++g) {
        if (sink.counts[g] > 0) s += static_cast<double>(sink.sums[g][k]) / std::sqrt(static_cast<double>(sink.counts[g]));
      }
      out[k] = static_cast<float>(model_.bias[k] + model_.weight_scale * s);
    }
  };
  if (n == 3) {
    ScoreSink<3> sink{model_.weights.data(), n};
    extractor_.Extract(prompt, sink);
    finish(sink);
  } else {
    ScoreSink<0> sink{model_.weights.data(), n};
    extractor_.Extract(prompt, sink);
    finish(sink);
  }
}

Classification Classifier::Classify(absl::string_view prompt) const {
  const int n = num_labels();
  float logits[kMaxLabels];
  Logits(prompt, logits);
  Classification r;
  Softmax(logits, n, model_.temperature, r.probabilities.data());
  int best = 0;
  for (int k = 1; k < n; ++k) {
    if (r.probabilities[k] > r.probabilities[best]) best = k;
  }
  int second = best;
  for (int k = 0; k < n; ++k) {
    if (k != best && (second == best || r.probabilities[k] > r.probabilities[second])) second = k;
  }
  r.label = best;
  r.runner_up = second;
  r.confidence = r.probabilities[best];
  return r;
}

std::vector<FeatureContribution> Classifier::Explain(absl::string_view prompt, int top_k) const {
  const Classification c = Classify(prompt);
  NamedSink sink;
  extractor_.Extract(prompt, sink);
  const int n = num_labels();
  // Aggregate occurrences per (group, bucket); keep distinct names in first-seen order.
  struct Agg {
    std::vector<std::string> names;
    int occurrences = 0;
  };
  std::map<std::pair<int, uint32_t>, Agg> agg;
  for (const NamedSink::Entry& e : sink.entries) {
    Agg& a = agg[{static_cast<int>(e.group), e.bucket}];
    ++a.occurrences;
    if (std::find(a.names.begin(), a.names.end(), e.name) == a.names.end() && a.names.size() < 4) {
      a.names.push_back(e.name);
    }
  }
  std::vector<FeatureContribution> out;
  out.reserve(agg.size());
  for (const auto& [key, a] : agg) {
    const auto [g, bucket] = key;
    const int16_t* row = model_.weights.data() + static_cast<size_t>(bucket) * n;
    const double diff = c.runner_up == c.label ? row[c.label] : row[c.label] - row[c.runner_up];
    const double norm = std::sqrt(static_cast<double>(sink.counts[g]));
    FeatureContribution fc;
    for (size_t i = 0; i < a.names.size(); ++i) {
      if (i > 0) fc.feature += " | ";
      fc.feature += a.names[i];
    }
    fc.occurrences = a.occurrences;
    fc.weight = a.occurrences * diff * model_.weight_scale / norm / model_.temperature;
    out.push_back(std::move(fc));
  }
  std::stable_sort(out.begin(), out.end(), [](const FeatureContribution& a, const FeatureContribution& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.feature < b.feature;
  });
  if (top_k >= 0 && out.size() > static_cast<size_t>(top_k)) out.resize(static_cast<size_t>(top_k));
  return out;
}

}  // namespace switchyard::classify
