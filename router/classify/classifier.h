// Classifier: labels a request (reasoning / coder / translation) in microseconds, with a
// calibrated confidence and, on demand, the features that decided.
//
//   absl::StatusOr<Classifier> c = Classifier::Load(ShippedModelPath());
//   Classification r = c->Classify(prompt);
//   if (r.confidence < 0.6) { /* the router may ask a model, or honour a pinned route */ }
//   c->label_name(r.label);  // "coder"
//
// Classify reads the first and last 2 KB of long prompts only (see feature_extractor.h) and
// does not allocate. Explain re-reads the prompt with feature names and ranks the features by
// how much each moved the decision from the runner-up label to the chosen one.
//
// Thread safety: immutable after construction; one instance is shared read-only by all router
// threads.
// Failure modes: Load / FromModel return the model file's error (NotFound, InvalidArgument
// naming the file and field); Classify and Explain never fail, whatever the bytes.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_H_
#define SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "router/classify/classifier_model.h"
#include "router/classify/feature_extractor.h"

namespace switchyard::classify {

struct Classification {
  int label = 0;             // index into Classifier::labels()
  int runner_up = 0;         // second most probable label (== label when there is one label)
  float confidence = 0.0f;   // calibrated probability of `label`
  std::array<float, kMaxLabels> probabilities{};  // per label, sums to 1
};

struct FeatureContribution {
  std::string feature;   // readable name, e.g. `w2:into french`, `c:"def "`, `s:indented_lines=6`;
                         // names of distinct features sharing a hash bucket are joined by " | "
  double weight = 0.0;   // its share of logit(label) - logit(runner_up), after calibration
  int occurrences = 0;   // times it occurs in the (truncated) prompt
};

class Classifier {
 public:
  static absl::StatusOr<Classifier> Load(const std::string& path);
  // InvalidArgument if the weights do not match the declared buckets and labels.
  static absl::StatusOr<Classifier> FromModel(ClassifierModel model);

  Classification Classify(absl::string_view prompt) const;
  // Raw logits per label (before temperature); `out` has room for num_labels() values.
  void Logits(absl::string_view prompt, float* out) const;
  // The top_k features by contribution to the chosen label over the runner-up, largest first.
  std::vector<FeatureContribution> Explain(absl::string_view prompt, int top_k) const;

  int num_labels() const { return static_cast<int>(model_.labels.size()); }
  const std::vector<std::string>& labels() const { return model_.labels; }
  const std::string& label_name(int i) const { return model_.labels[static_cast<size_t>(i)]; }
  // -1 if unknown.
  int LabelIndex(absl::string_view name) const;
  const ClassifierModel& model() const { return model_; }

 private:
  explicit Classifier(ClassifierModel model);

  ClassifierModel model_;
  FeatureExtractor extractor_;
};

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_CLASSIFIER_H_
