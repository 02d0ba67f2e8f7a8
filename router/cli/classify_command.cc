#include "router/cli/classify_command.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "nlohmann/json.hpp"
#include "router/classify/classifier.h"
#include "router/classify/confusion_matrix.h"
#include "router/classify/labeled_prompts.h"
#include "router/classify/shipped_model.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard classify";
constexpr char kUsage[] = R"(usage: switchyard classify [--eval [--json] [--by FIELD]] [--model FILE] [--explain N] FILE.jsonl

Reads JSON lines with a "prompt" field ("-" reads standard input) and prints, for each line,
{"label": ..., "confidence": ...} as one JSON line. No server is needed.

  --eval        print accuracy, per-label precision/recall and the confusion matrix instead;
                every line must carry a "label"
  --json        with --eval: print the evaluation as one JSON object
  --by FIELD    with --eval: also break accuracy down by the value of FIELD on each line
                (e.g. --by category)
  --model FILE  classifier model (default: the one shipped in router/classify/model/)
  --explain N   add the N features that decided each label ("features": [{feature, weight}])
)";

double Round4(double x) { return std::round(x * 1e4) / 1e4; }

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "accuracy by FIELD": one line per group, with its mistakes (truth->predicted count).
void PrintAccuracyByGroup(const std::string& by, const std::map<std::string, classify::ConfusionMatrix>& groups,
                          std::FILE* out) {
  std::fprintf(out, "\naccuracy by %s\n", by.c_str());
  for (const auto& [g, m] : groups) {
    std::string wrong;
    for (int t = 0; t < static_cast<int>(m.labels().size()); ++t) {
      for (int p = 0; p < static_cast<int>(m.labels().size()); ++p) {
        if (t != p && m.count(t, p) > 0) {
          absl::StrAppend(&wrong, wrong.empty() ? "  " : ", ", m.labels()[t], "->", m.labels()[p], " ", m.count(t, p));
        }
      }
    }
    std::fprintf(out, "  %-32s %5lld rows  accuracy %.4f%s\n", g.c_str(), static_cast<long long>(m.total()),
                 m.accuracy(), wrong.c_str());
  }
}

// --eval: the confusion matrix over every row (and per group with --by), as text or JSON.
// Returns the exit code: 2 for a row without a label or with one the model does not know.
int Evaluate(const classify::Classifier& classifier, const std::vector<classify::LabeledPrompt>& rows,
             const std::string& source, const std::string& by, bool json, std::FILE* out, std::FILE* err) {
  classify::ConfusionMatrix cm(classifier.labels());
  std::map<std::string, classify::ConfusionMatrix> groups;
  for (const classify::LabeledPrompt& r : rows) {
    if (r.label.empty()) {
      std::fprintf(err, "%s: %s:%d: --eval needs a string \"label\" on every line\n", kTool, source.c_str(), r.line);
      return 2;
    }
    const int truth = classifier.LabelIndex(r.label);
    if (truth < 0) {
      std::string known;
      for (const std::string& l : classifier.labels()) absl::StrAppend(&known, known.empty() ? "" : ", ", l);
      std::fprintf(err, "%s: %s:%d: unknown label \"%s\" (the model knows: %s)\n", kTool, source.c_str(), r.line,
                   r.label.c_str(), known.c_str());
      return 2;
    }
    const int predicted = classifier.Classify(r.prompt).label;
    cm.Add(truth, predicted);
    if (!by.empty()) {
      groups.try_emplace(r.group.empty() ? "(none)" : r.group, classifier.labels()).first->second.Add(truth, predicted);
    }
  }
  if (json) {
    nlohmann::json j = cm.ToJson();
    if (!by.empty()) {
      for (const auto& [g, m] : groups) j["by"][by][g] = m.ToJson();
    }
    std::fprintf(out, "%s\n", Dump(j).c_str());
    return 0;
  }
  std::fputs(cm.ToText().c_str(), out);
  if (!by.empty()) PrintAccuracyByGroup(by, groups, out);
  return 0;
}

// One JSON line per row: {"id"?, "label", "confidence", "features"? (with --explain N)}.
void ClassifyRows(const classify::Classifier& classifier, const std::vector<classify::LabeledPrompt>& rows, int64_t explain,
                  std::FILE* out) {
  for (const classify::LabeledPrompt& r : rows) {
    const classify::Classification c = classifier.Classify(r.prompt);
    nlohmann::json j = nlohmann::json::object();
    if (!r.id.empty()) j["id"] = r.id;
    j["label"] = classifier.label_name(c.label);
    j["confidence"] = Round4(c.confidence);
    if (explain > 0) {
      nlohmann::json features = nlohmann::json::array();
      for (const classify::FeatureContribution& f : classifier.Explain(r.prompt, static_cast<int>(explain))) {
        features.push_back({{"feature", f.feature}, {"weight", Round4(f.weight)}});
      }
      j["features"] = features;
    }
    std::fprintf(out, "%s\n", Dump(j).c_str());
  }
}

}  // namespace

int RunClassify(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  CommandLine args({"model", "explain", "by"}, {"eval", "json", "help"});
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage, out, err)) return *code;
  auto eval = args.Switch("eval");
  auto json = args.Switch("json");
  auto explain = args.IntOr("explain", 0, 0, 1000);
  for (const absl::Status& s : {eval.status(), json.status(), explain.status()}) {
    if (!s.ok()) return usage(s);
  }
  if (args.positional().size() != 1) {
    return usage(absl::InvalidArgumentError(args.positional().empty() ? "missing input FILE.jsonl"
                                                                      : "expected exactly one input file"));
  }
  if (*json && !*eval) return usage(absl::InvalidArgumentError("--json only applies to --eval"));
  if (args.Has("by") && !*eval) return usage(absl::InvalidArgumentError("--by only applies to --eval"));
  const std::string by = args.GetOr("by", "");

  const std::string input = args.positional()[0];
  absl::StatusOr<std::vector<classify::LabeledPrompt>> rows = classify::ReadLabeledPrompts(input, by);
  if (!rows.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(rows.status().message()).c_str());
    return 2;
  }
  const std::string model_path = args.GetOr("model", classify::ShippedModelPath());
  absl::StatusOr<classify::Classifier> classifier = classify::Classifier::Load(model_path);
  if (!classifier.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(classifier.status().message()).c_str());
    return 1;
  }
  if (*eval) return Evaluate(*classifier, *rows, input == "-" ? "<stdin>" : input, by, *json, out, err);
  ClassifyRows(*classifier, *rows, *explain, out);
  return 0;
}

}  // namespace switchyard::cli
