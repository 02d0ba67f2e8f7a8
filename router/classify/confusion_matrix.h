// ConfusionMatrix: accuracy, per-label precision and recall, and the matrix itself, for the
// classifier's evaluations (trainer report, `switchyard classify --eval`, the benchmark).
//
// Rows are true labels, columns predicted labels, in the order of `labels`.
// Thread safety: a plain value; not for concurrent mutation.
// Failure modes: Add with an index outside [0, labels) is ignored and counted in skipped().
#ifndef SWITCHYARD_ROUTER_CLASSIFY_CONFUSION_MATRIX_H_
#define SWITCHYARD_ROUTER_CLASSIFY_CONFUSION_MATRIX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace switchyard::classify {

class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(std::vector<std::string> labels);

  void Add(int truth, int predicted);

  int64_t total() const { return total_; }
  int64_t skipped() const { return skipped_; }
  int64_t count(int truth, int predicted) const;
  double accuracy() const;      // 0 when empty
  double precision(int label) const;  // 0 when nothing was predicted as `label`
  double recall(int label) const;     // 0 when no row is `label`
  const std::vector<std::string>& labels() const { return labels_; }

  // {"rows", "accuracy", "per_label": {L: {"precision", "recall", "support"}},
  //  "confusion": {"labels": [...], "matrix": [[...]]}}  (matrix rows = truth)
  nlohmann::json ToJson() const;
  // A readable report: accuracy, a precision/recall table and the matrix.
  std::string ToText() const;

 private:
  std::vector<std::string> labels_;
  std::vector<int64_t> cells_;  // [truth][predicted]
  int64_t total_ = 0;
  int64_t skipped_ = 0;
};

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_CONFUSION_MATRIX_H_
