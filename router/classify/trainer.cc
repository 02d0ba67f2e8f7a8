#include "router/classify/trainer.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "router/classify/classifier.h"

namespace switchyard::classify {
namespace {

// One example as a sparse vector: sorted distinct buckets and their values.
struct SparseRow {
  std::vector<uint32_t> buckets;
  std::vector<float> values;
};

struct CollectSink {
  std::vector<std::pair<uint32_t, uint8_t>> hits;  // (bucket, group)
  uint32_t counts[kNumFeatureGroups] = {};
  void operator()(FeatureGroup g, uint32_t bucket) {
    ++counts[static_cast<int>(g)];
    hits.emplace_back(bucket, static_cast<uint8_t>(g));
  }
};

SparseRow Featurize(const FeatureExtractor& fx, const std::string& text) {
  CollectSink sink;
  fx.Extract(text, sink);
  float inv[kNumFeatureGroups];
  for (int g = 0; g < kNumFeatureGroups; ++g) {
    inv[g] = sink.counts[g] > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(sink.counts[g]))) : 0.0f;
  }
  std::sort(sink.hits.begin(), sink.hits.end());
  SparseRow row;
  for (const auto& [bucket, group] : sink.hits) {
    const float v = inv[group];
    if (!row.buckets.empty() && row.buckets.back() == bucket) {
      row.values.back() += v;
    } else {
      row.buckets.push_back(bucket);
      row.values.push_back(v);
    }
  }
  return row;
}

// splitmix64: a small, portable, seeded generator (std::shuffle's algorithm is not specified).
struct SplitMix {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }  // bias irrelevant for shuffling here
};

void SoftmaxInPlace(double* z, int n) {
  double mx = z[0];
  for (int k = 1; k < n; ++k) mx = std::max(mx, z[k]);
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    z[k] = std::exp(z[k] - mx);
    sum += z[k];
  }
  for (int k = 0; k < n; ++k) z[k] /= sum;
}

absl::Status CheckInputs(const TrainerOptions& o, int n_labels, const std::vector<TrainingExample>& train,
                         const std::vector<TrainingExample>& calibration) {
  if (n_labels < 1 || n_labels > kMaxLabels) {
    return absl::InvalidArgumentError(absl::StrCat("trainer: ", n_labels, " labels, expected 1-", kMaxLabels));
  }
  if (train.empty()) return absl::InvalidArgumentError("trainer: no training examples");
  if (o.epochs < 1 || o.epochs > 1000) return absl::InvalidArgumentError("trainer: epochs outside [1, 1000]");
  if (o.min_rows < 1) return absl::InvalidArgumentError("trainer: min_rows must be >= 1");
  if (!(o.learning_rate > 0) || !(o.l2 >= 0)) {
    return absl::InvalidArgumentError("trainer: learning rate must be > 0 and l2 >= 0");
  }
  const FeatureConfig& fc = o.features;
  if (fc.hash_bits < 8 || fc.hash_bits > 24 || fc.char_min_n < 1 || fc.char_max_n > 4 ||
      fc.char_min_n > fc.char_max_n || fc.edge_words > 32 || fc.max_bytes < 64) {
    return absl::InvalidArgumentError("trainer: feature configuration out of range");
  }
  for (const auto* set : {&train, &calibration}) {
    for (const TrainingExample& e : *set) {
      if (e.label < 0 || e.label >= n_labels) {
        return absl::InvalidArgumentError(absl::StrCat("trainer: label index ", e.label, " out of range"));
      }
    }
  }
  return absl::OkStatus();
}

// Rare buckets are mostly accidents of one template (a bigram across a seam); dropping them
// keeps the model from memorizing them. Values of the remaining features are unchanged.
void DropRareBuckets(size_t buckets, int min_rows, std::vector<SparseRow>& rows) {
  std::vector<int> rows_with(buckets, 0);
  for (const SparseRow& r : rows) {
    for (uint32_t b : r.buckets) ++rows_with[b];
  }
  for (SparseRow& r : rows) {
    size_t out = 0;
    for (size_t f = 0; f < r.buckets.size(); ++f) {
      if (rows_with[r.buckets[f]] >= min_rows) {
        r.buckets[out] = r.buckets[f];
        r.values[out] = r.values[f];
        ++out;
      }
    }
    r.buckets.resize(out);
    r.values.resize(out);
  }
}

// The regression's parameters in full precision: w is [buckets][labels], row-major.
struct FittedWeights {
  std::vector<double> w, bias;
};

// AdaGrad SGD with L2 over `options.epochs` seeded shuffles of the rows; appends each epoch's
// mean cross-entropy to *epoch_loss.
FittedWeights FitWeights(const TrainerOptions& options, const std::vector<SparseRow>& rows,
                         const std::vector<TrainingExample>& train, size_t L, std::vector<double>* epoch_loss) {
  const size_t buckets = options.features.buckets();
  FittedWeights fit{std::vector<double>(buckets * L, 0.0), std::vector<double>(L, 0.0)};
  std::vector<double>& w = fit.w;
  std::vector<double>& bias = fit.bias;
  std::vector<double> g2(buckets * L, 0.0), bias_g2(L, 0.0);
  std::vector<size_t> order(train.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  SplitMix rng{options.seed};
  const double lr = options.learning_rate, l2 = options.l2;
  constexpr double kEps = 1e-8;
  double z[kMaxLabels];
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    double loss = 0;
    for (size_t idx : order) {
      const SparseRow& r = rows[idx];
      const int y = train[idx].label;
      for (size_t k = 0; k < L; ++k) z[k] = bias[k];
      for (size_t f = 0; f < r.buckets.size(); ++f) {
        const double* wr = &w[r.buckets[f] * L];
        for (size_t k = 0; k < L; ++k) z[k] += wr[k] * r.values[f];
      }
      SoftmaxInPlace(z, static_cast<int>(L));
      loss -= std::log(std::max(z[y], 1e-300));
      // Gradient of the cross-entropy: p - onehot(y).
      z[y] -= 1.0;
      for (size_t f = 0; f < r.buckets.size(); ++f) {
        double* wr = &w[r.buckets[f] * L];
        double* gr = &g2[r.buckets[f] * L];
        for (size_t k = 0; k < L; ++k) {
          const double grad = z[k] * r.values[f] + l2 * wr[k];
          gr[k] += grad * grad;
          wr[k] -= lr * grad / (std::sqrt(gr[k]) + kEps);
        }
      }
      for (size_t k = 0; k < L; ++k) {
        bias_g2[k] += z[k] * z[k];
        bias[k] -= lr * z[k] / (std::sqrt(bias_g2[k]) + kEps);
      }
    }
    epoch_loss->push_back(loss / static_cast<double>(order.size()));
  }
  return fit;
}

// The model with int16 weights under one scale, temperature 1.
ClassifierModel Quantize(const FeatureConfig& fc, const std::vector<std::string>& labels, const FittedWeights& fit) {
  double max_abs = 0;
  for (double v : fit.w) max_abs = std::max(max_abs, std::fabs(v));
  if (max_abs == 0) max_abs = 1;
  ClassifierModel m;
  m.features = fc;
  m.labels = labels;
  m.weight_scale = static_cast<float>(max_abs / 32767.0);
  m.weights.resize(fit.w.size());
  for (size_t i = 0; i < fit.w.size(); ++i) {
    const double q = std::nearbyint(fit.w[i] / m.weight_scale);
    m.weights[i] = static_cast<int16_t>(std::clamp(q, -32767.0, 32767.0));
  }
  m.bias.resize(labels.size());
  for (size_t k = 0; k < labels.size(); ++k) m.bias[k] = static_cast<float>(fit.bias[k]);
  m.temperature = 1.0f;
  return m;
}

// Sets m->temperature to the one of a log-spaced grid 0.25 .. 8 that minimizes the calibration
// set's NLL (with the quantized weights); returns that NLL. REQUIRES: !calibration.empty().
absl::StatusOr<double> FitTemperature(const std::vector<TrainingExample>& calibration, ClassifierModel* m) {
  const size_t L = m->labels.size();
  absl::StatusOr<Classifier> c = Classifier::FromModel(*m);
  if (!c.ok()) return c.status();
  std::vector<float> logits(calibration.size() * L);
  for (size_t i = 0; i < calibration.size(); ++i) c->Logits(calibration[i].prompt, &logits[i * L]);
  double z[kMaxLabels];
  double best_t = 1.0, best_nll = 1e300;
  for (int step = 0; step <= 100; ++step) {
    const double t = 0.25 * std::pow(32.0, step / 100.0);
    double nll = 0;
    for (size_t i = 0; i < calibration.size(); ++i) {
      for (size_t k = 0; k < L; ++k) z[k] = logits[i * L + k] / t;
      SoftmaxInPlace(z, static_cast<int>(L));
      nll -= std::log(std::max(z[calibration[i].label], 1e-300));
    }
    nll /= static_cast<double>(calibration.size());
    if (nll < best_nll) {
      best_nll = nll;
      best_t = t;
    }
  }
  m->temperature = static_cast<float>(best_t);
  return best_nll;
}

// The caller's extra metadata with the trainer's settings and data sizes added.
std::string TrainingMetadata(const TrainerOptions& o, size_t train_rows, size_t calibration_rows) {
  nlohmann::json meta = nlohmann::json::parse(o.extra_metadata, nullptr, false);
  if (!meta.is_object()) meta = nlohmann::json::object();
  meta["trainer"] = {{"algorithm", "multinomial logistic regression, AdaGrad SGD, int16 weights"},
                     {"epochs", o.epochs},
                     {"learning_rate", o.learning_rate},
                     {"l2", o.l2},
                     {"seed", o.seed},
                     {"min_rows", o.min_rows},
                     {"train_rows", train_rows},
                     {"calibration_rows", calibration_rows}};
  return meta.dump();
}

}  // namespace

absl::StatusOr<TrainingResult> Trainer::Train(const std::vector<std::string>& labels,
                                              const std::vector<TrainingExample>& train,
                                              const std::vector<TrainingExample>& calibration) const {
  const int n_labels = static_cast<int>(labels.size());
  if (absl::Status s = CheckInputs(options_, n_labels, train, calibration); !s.ok()) return s;
  const FeatureConfig& fc = options_.features;
  const FeatureExtractor fx(fc);
  std::vector<SparseRow> rows;
  rows.reserve(train.size());
  for (const TrainingExample& e : train) rows.push_back(Featurize(fx, e.prompt));
  if (options_.min_rows > 1) DropRareBuckets(fc.buckets(), options_.min_rows, rows);

  TrainingResult result;
  const FittedWeights fit = FitWeights(options_, rows, train, static_cast<size_t>(n_labels), &result.epoch_loss);
  ClassifierModel m = Quantize(fc, labels, fit);
  if (!calibration.empty()) {
    absl::StatusOr<double> nll = FitTemperature(calibration, &m);
    if (!nll.ok()) return nll.status();
    result.calibration_nll = *nll;
  }
  m.metadata = TrainingMetadata(options_, train.size(), calibration.size());
  result.model = std::move(m);
  return result;
}

}  // namespace switchyard::classify
