#include "router/classify/confusion_matrix.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace switchyard::classify {

ConfusionMatrix::ConfusionMatrix(std::vector<std::string> labels)
    : labels_(std::move(labels)), cells_(labels_.size() * labels_.size(), 0) {}

void ConfusionMatrix::Add(int truth, int predicted) {
  const int n = static_cast<int>(labels_.size());
  if (truth < 0 || truth >= n || predicted < 0 || predicted >= n) {
    ++skipped_;
    return;
  }
  ++cells_[static_cast<size_t>(truth * n + predicted)];
  ++total_;
}

int64_t ConfusionMatrix::count(int truth, int predicted) const {
  const int n = static_cast<int>(labels_.size());
  return cells_[static_cast<size_t>(truth * n + predicted)];
}

double ConfusionMatrix::accuracy() const {
  if (total_ == 0) return 0;
  int64_t right = 0;
  for (int i = 0; i < static_cast<int>(labels_.size()); ++i) right += count(i, i);
  return static_cast<double>(right) / static_cast<double>(total_);
}

double ConfusionMatrix::precision(int label) const {
  int64_t predicted = 0;
  for (int t = 0; t < static_cast<int>(labels_.size()); ++t) predicted += count(t, label);
  return predicted == 0 ? 0 : static_cast<double>(count(label, label)) / static_cast<double>(predicted);
}

double ConfusionMatrix::recall(int label) const {
  int64_t support = 0;
  for (int p = 0; p < static_cast<int>(labels_.size()); ++p) support += count(label, p);
  return support == 0 ? 0 : static_cast<double>(count(label, label)) / static_cast<double>(support);
}

nlohmann::json ConfusionMatrix::ToJson() const {
  const int n = static_cast<int>(labels_.size());
  nlohmann::json j;
  j["rows"] = total_;
  j["accuracy"] = accuracy();
  nlohmann::json per = nlohmann::json::object();
  nlohmann::json matrix = nlohmann::json::array();
  for (int t = 0; t < n; ++t) {
    int64_t support = 0;
    nlohmann::json row = nlohmann::json::array();
    for (int p = 0; p < n; ++p) {
      support += count(t, p);
      row.push_back(count(t, p));
    }
    matrix.push_back(row);
    per[labels_[t]] = {{"precision", precision(t)}, {"recall", recall(t)}, {"support", support}};
  }
  j["per_label"] = per;
  j["confusion"] = {{"labels", labels_}, {"matrix", matrix}};
  return j;
}

std::string ConfusionMatrix::ToText() const {
  const int n = static_cast<int>(labels_.size());
  size_t w = 9;
  for (const std::string& l : labels_) w = std::max(w, l.size() + 1);
  const int iw = static_cast<int>(w);
  std::string out = absl::StrFormat("rows %d  accuracy %.4f\n\n", total_, accuracy());
  out += absl::StrFormat("%-*s %9s %9s %9s\n", iw, "label", "precision", "recall", "support");
  for (int t = 0; t < n; ++t) {
    int64_t support = 0;
    for (int p = 0; p < n; ++p) support += count(t, p);
    out += absl::StrFormat("%-*s %9.4f %9.4f %9d\n", iw, labels_[t], precision(t), recall(t), support);
  }
  out += absl::StrFormat("\nconfusion (rows: true label, columns: predicted)\n%-*s", iw, "");
  for (int p = 0; p < n; ++p) out += absl::StrFormat(" %*s", iw, labels_[p]);
  out += "\n";
  for (int t = 0; t < n; ++t) {
    out += absl::StrFormat("%-*s", iw, labels_[t]);
    for (int p = 0; p < n; ++p) out += absl::StrFormat(" %*d", iw, count(t, p));
    out += "\n";
  }
  return out;
}

}  // namespace switchyard::classify
