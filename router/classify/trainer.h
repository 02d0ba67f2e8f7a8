// Trainer: fits the classifier's multinomial logistic regression on labeled prompts.
//
// Features come from FeatureExtractor (each group L2-normalized by 1/sqrt(count)); buckets that
// occur in fewer than min_rows training rows are left out (their weights stay 0); the model is
// trained by AdaGrad SGD with L2 regularization for a fixed number of epochs over a seeded
// shuffle, then quantized to int16, then its softmax temperature is fitted on the calibration
// (held-out) examples by minimizing their negative log-likelihood over a fixed grid.
//
// Deterministic: the same examples, options and build give a byte-identical model (single
// thread, fixed summation order, own RNG; no std::shuffle or unordered iteration).
//
// Thread safety: Train is const and uses only local state.
// Failure modes: InvalidArgument for no labels, an example whose label index is out of range,
// an empty training set or options out of range.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_TRAINER_H_
#define SWITCHYARD_ROUTER_CLASSIFY_TRAINER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "router/classify/classifier_model.h"
#include "router/classify/feature_extractor.h"

namespace switchyard::classify {

struct TrainingExample {
  std::string prompt;
  int label = 0;  // index into the labels given to Train
};

struct TrainerOptions {
  FeatureConfig features;
  int epochs = 12;             // 1..1000
  double learning_rate = 0.5;  // AdaGrad step, > 0
  double l2 = 3e-5;            // >= 0, per example
  uint64_t seed = 1;           // shuffle order
  int min_rows = 3;            // buckets seen in fewer training rows keep weight 0 (>= 1)
  // JSON object merged into the model's metadata (e.g. the data file's digest). Must be
  // deterministic for the model to be.
  std::string extra_metadata = "{}";
};

struct TrainingResult {
  ClassifierModel model;
  std::vector<double> epoch_loss;  // mean training cross-entropy per epoch
  double calibration_nll = 0;      // at the fitted temperature
};

class Trainer {
 public:
  explicit Trainer(TrainerOptions options) : options_(std::move(options)) {}

  absl::StatusOr<TrainingResult> Train(const std::vector<std::string>& labels,
                                       const std::vector<TrainingExample>& train,
                                       const std::vector<TrainingExample>& calibration) const;

 private:
  TrainerOptions options_;
};

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_TRAINER_H_
