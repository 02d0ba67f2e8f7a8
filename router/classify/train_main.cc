// switchyard-train-classifier: trains the request classifier on the project's own generated
// data (router/classify/training/data.jsonl, rows with "split": "train"), fits its confidence on
// the "heldout" rows, reports held-out accuracy and — evaluation only, never used for fitting —
// the accuracy on ../shared/data/routing/dev.jsonl when it exists, then writes the model.
// The same data and options give a byte-identical model (training/retrain.sh checks this).
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/command_line.h"
#include "nlohmann/json.hpp"
#include "router/classify/classifier.h"
#include "router/classify/confusion_matrix.h"
#include "router/classify/labeled_prompts.h"
#include "router/classify/trainer.h"

namespace switchyard::classify {
namespace {

constexpr char kTool[] = "switchyard-train-classifier";
constexpr char kUsage[] = R"(usage: switchyard-train-classifier [options]

Trains the request classifier on generated data and writes the model file.

  --data FILE           training data, JSON lines with prompt, label, split
                        (default: <source>/router/classify/training/data.jsonl)
  --out FILE            model to write (default: <source>/router/classify/model/classifier.bin)
  --dev FILE            evaluation-only set reported beside held-out accuracy
                        (default: <shared>/data/routing/dev.jsonl when present; "none" skips)
  --no-write            train and report, write nothing
  --epochs N            AdaGrad epochs (default 12)
  --learning-rate X     AdaGrad step (default 0.5)
  --l2 X                L2 regularization per example (default 3e-5)
  --seed N              shuffle seed (default 20251124)
  --hash-bits N         2^N feature buckets (default 18)
  --char-min-n N        shortest character n-gram (default 1)
  --char-max-n N        longest character n-gram (default 4)
  --min-rows N          ignore feature buckets seen in fewer than N training rows (default 3)
  --top-features N      print the N strongest features per label (default 12)
  --cv-families         instead of training the shipped model: for each generator family (origin
                        up to '#'), train without it and test on it; prints accuracy per family and
                        their mean (how well the options generalize to unseen kinds of prompts)
)";

std::string Hex(uint64_t v) { return absl::StrFormat("%016x", v); }

ConfusionMatrix Evaluate(const Classifier& c, const std::vector<LabeledPrompt>& rows,
                         int* unknown_labels) {
  ConfusionMatrix cm(c.labels());
  for (const LabeledPrompt& r : rows) {
    const int truth = c.LabelIndex(r.label);
    if (truth < 0) {
      ++*unknown_labels;
      continue;
    }
    cm.Add(truth, c.Classify(r.prompt).label);
  }
  return cm;
}

// Names the strongest buckets of each label from the training text itself.
struct NameCounter {
  static constexpr bool kWantsNames = true;
  const std::set<uint32_t>* wanted;
  std::map<uint32_t, std::map<std::string, int>>* counts;
  void Named(FeatureGroup, uint32_t bucket, absl::string_view name) {
    if (wanted->count(bucket) != 0) ++(*counts)[bucket][std::string(name)];
  }
};

void PrintTopFeatures(const ClassifierModel& m, const std::vector<TrainingExample>& train, int top) {
  const int L = static_cast<int>(m.labels.size());
  const uint32_t buckets = m.features.buckets();
  std::vector<std::vector<std::pair<int, uint32_t>>> best(static_cast<size_t>(L));
  std::set<uint32_t> wanted;
  for (int k = 0; k < L; ++k) {
    std::vector<std::pair<int, uint32_t>> all;
    for (uint32_t b = 0; b < buckets; ++b) {
      const int16_t* row = &m.weights[static_cast<size_t>(b) * L];
      int other = -32768;
      for (int j = 0; j < L; ++j) {
        if (j != k) other = std::max<int>(other, row[j]);
      }
      const int margin = L == 1 ? row[k] : row[k] - other;
      if (margin > 0) all.emplace_back(-margin, b);
    }
    std::sort(all.begin(), all.end());
    if (all.size() > static_cast<size_t>(top)) all.resize(static_cast<size_t>(top));
    for (const auto& [neg, b] : all) wanted.insert(b);
    best[static_cast<size_t>(k)] = std::move(all);
  }
  std::map<uint32_t, std::map<std::string, int>> counts;
  NameCounter nc{&wanted, &counts};
  const FeatureExtractor fx(m.features);
  for (const TrainingExample& e : train) fx.Extract(e.prompt, nc);
  for (int k = 0; k < L; ++k) {
    std::printf("strongest features for %s (margin over the next label, weight units):\n", m.labels[k].c_str());
    for (const auto& [neg, b] : best[static_cast<size_t>(k)]) {
      std::string name = absl::StrCat("bucket#", b);
      int n = 0;
      for (const auto& [s, c] : counts[b]) {
        if (c > n) n = c, name = s;
      }
      std::printf("  %+8.3f  %s\n", -neg * m.weight_scale, name.c_str());
    }
  }
}

// The family of a generated row: its origin up to '#' ("generator:coder/sql-write").
std::string Family(const LabeledPrompt& r) { return r.id.substr(0, r.id.find('#')); }

int CrossValidateFamilies(const TrainerOptions& opt, const std::vector<std::string>& labels,
                          const std::vector<LabeledPrompt>& data) {
  std::map<std::string, std::vector<size_t>> families;
  for (size_t i = 0; i < data.size(); ++i) families[Family(data[i])].push_back(i);
  auto index = [&](const std::string& l) {
    return static_cast<int>(std::find(labels.begin(), labels.end(), l) - labels.begin());
  };
  double sum = 0;
  int64_t right_all = 0, total_all = 0;
  for (const auto& [family, rows] : families) {
    std::vector<TrainingExample> train;
    for (const LabeledPrompt& r : data) {
      if (r.split == "train" && Family(r) != family) train.push_back({r.prompt, index(r.label)});
    }
    absl::StatusOr<TrainingResult> result = Trainer(opt).Train(labels, train, {});
    if (!result.ok()) {
      std::fprintf(stderr, "%s: %s\n", kTool, std::string(result.status().message()).c_str());
      return 1;
    }
    absl::StatusOr<Classifier> c = Classifier::FromModel(result->model);
    if (!c.ok()) return 1;
    int right = 0;
    for (size_t i : rows) right += c->Classify(data[i].prompt).label == index(data[i].label);
    const double acc = static_cast<double>(right) / static_cast<double>(rows.size());
    std::printf("%-52s %5zu rows  accuracy %.4f\n", family.c_str(), rows.size(), acc);
    std::fflush(stdout);
    sum += acc;
    right_all += right;
    total_all += static_cast<int64_t>(rows.size());
  }
  std::printf("leave-one-family-out: %zu families, mean accuracy %.4f, pooled accuracy %.4f\n", families.size(),
              sum / static_cast<double>(families.size()),
              static_cast<double>(right_all) / static_cast<double>(total_all));
  return 0;
}

// What the flags ask for.
struct TrainFlags {
  TrainerOptions options;
  int64_t top_features = 0;
  bool no_write = false;
  bool cv_families = false;
};

// InvalidArgument, for the usage text, naming the first bad flag in the order of the usage.
absl::StatusOr<TrainFlags> ReadTrainFlags(const cli::CommandLine& args) {
  auto epochs = args.IntOr("epochs", 12, 1, 1000);
  auto lr = args.DoubleOr("learning-rate", 0.5);
  auto l2 = args.DoubleOr("l2", 3e-5);
  auto seed = args.IntOr("seed", 20251124, 0, INT64_MAX);
  auto bits = args.IntOr("hash-bits", 18, 8, 24);
  auto min_n = args.IntOr("char-min-n", 1, 1, 4);
  auto max_n = args.IntOr("char-max-n", 4, 1, 4);
  auto top = args.IntOr("top-features", 12, 0, 1000);
  auto min_rows = args.IntOr("min-rows", 3, 1, 1000000);
  auto no_write = args.Switch("no-write");
  auto cv = args.Switch("cv-families");
  for (const absl::Status& s : {epochs.status(), lr.status(), l2.status(), seed.status(), bits.status(),
                                min_n.status(), max_n.status(), top.status(), no_write.status(), cv.status(),
                                min_rows.status()}) {
    if (!s.ok()) return s;
  }
  if (*min_n > *max_n) return absl::InvalidArgumentError("--char-min-n is above --char-max-n");
  TrainFlags f;
  TrainerOptions& opt = f.options;
  opt.epochs = static_cast<int>(*epochs);
  opt.min_rows = static_cast<int>(*min_rows);
  opt.learning_rate = *lr;
  opt.l2 = *l2;
  opt.seed = static_cast<uint64_t>(*seed);
  opt.features.hash_bits = static_cast<uint32_t>(*bits);
  opt.features.char_min_n = static_cast<uint32_t>(*min_n);
  opt.features.char_max_n = static_cast<uint32_t>(*max_n);
  f.top_features = *top;
  f.no_write = *no_write;
  f.cv_families = *cv;
  return f;
}

// The labels of the data, sorted; nullopt (said on stderr) when a row lacks a label or a split of
// train or heldout.
std::optional<std::vector<std::string>> DataLabels(const std::vector<LabeledPrompt>& data, const std::string& data_path) {
  std::set<std::string> label_set;
  for (const LabeledPrompt& r : data) {
    if (r.label.empty() || (r.split != "train" && r.split != "heldout")) {
      std::fprintf(stderr, "%s: %s:%d: needs a \"label\" and \"split\": \"train\" or \"heldout\"\n", kTool,
                   data_path.c_str(), r.line);
      return std::nullopt;
    }
    label_set.insert(r.label);
  }
  return std::vector<std::string>(label_set.begin(), label_set.end());
}

// The data split for the trainer: examples to fit on, and held-out ones (with their rows, for
// the report) to fit the temperature on.
struct TrainingSplit {
  std::vector<TrainingExample> train, heldout;
  std::vector<LabeledPrompt> train_rows, heldout_rows;
};

TrainingSplit SplitData(const std::vector<LabeledPrompt>& data, const std::vector<std::string>& labels) {
  TrainingSplit split;
  for (const LabeledPrompt& r : data) {
    const int idx = static_cast<int>(std::find(labels.begin(), labels.end(), r.label) - labels.begin());
    if (r.split == "train") {
      split.train.push_back({r.prompt, idx});
      split.train_rows.push_back(r);
    } else {
      split.heldout.push_back({r.prompt, idx});
      split.heldout_rows.push_back(r);
    }
  }
  return split;
}

// The data file's digest goes into the model, so a model names the data it came from.
std::string DataMetadata(const std::vector<LabeledPrompt>& data, const TrainingSplit& split) {
  std::string bytes;
  for (const LabeledPrompt& r : data) bytes += r.prompt + '\x1f' + r.label + '\x1f' + r.split + '\x1e';
  nlohmann::json meta = {{"data", {{"file", "router/classify/training/data.jsonl"},
                                   {"rows_digest_fnv1a64", Hex(ClassifierModel::Checksum(bytes))},
                                   {"train_rows", split.train.size()},
                                   {"heldout_rows", split.heldout.size()}}}};
  return meta.dump();
}

// Prints train and held-out accuracy, and the dev set's unless `dev_path` is "none"; returns
// them as the summary's JSON, or nullopt (said on stderr) when a --dev given explicitly cannot
// be read.
std::optional<nlohmann::json> ReportAccuracy(const Classifier& c, const TrainingSplit& split, const std::string& dev_path,
                                             bool dev_given) {
  int unknown = 0;
  ConfusionMatrix train_cm = Evaluate(c, split.train_rows, &unknown);
  ConfusionMatrix held_cm = Evaluate(c, split.heldout_rows, &unknown);
  std::printf("\ntrain accuracy %.4f\n\nheld-out split of the generated data:\n%s", train_cm.accuracy(),
              held_cm.ToText().c_str());
  nlohmann::json summary = {{"train_accuracy", train_cm.accuracy()}, {"heldout", held_cm.ToJson()}};
  if (dev_path == "none") return summary;
  absl::StatusOr<std::vector<LabeledPrompt>> dev = ReadLabeledPrompts(dev_path);
  if (dev.ok()) {
    int dev_unknown = 0;
    ConfusionMatrix dev_cm = Evaluate(c, *dev, &dev_unknown);
    std::printf("\ndev set %s (evaluation only):\n%s", dev_path.c_str(), dev_cm.ToText().c_str());
    summary["dev"] = dev_cm.ToJson();
  } else if (dev_given) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(dev.status().message()).c_str());
    return std::nullopt;
  } else {
    std::printf("\n(no dev set at %s: skipped)\n", dev_path.c_str());
  }
  return summary;
}

// Trains on the split, prints the run, writes the model unless `no_write`; the exit code.
int TrainAndReport(const TrainerOptions& opt, const std::vector<std::string>& labels, const TrainingSplit& split,
                   const cli::CommandLine& args, int64_t top, bool no_write) {
  const std::string source = SWITCHYARD_SOURCE_DIR;
  const std::string out_path = args.GetOr("out", source + "/router/classify/model/classifier.bin");
  const std::string dev_path = args.GetOr("dev", std::string(SWITCHYARD_SHARED_DIR) + "/data/routing/dev.jsonl");
  std::printf("training on %zu rows (%zu held out), labels:", split.train.size(), split.heldout.size());
  for (const std::string& l : labels) std::printf(" %s", l.c_str());
  std::printf("\n");
  absl::StatusOr<TrainingResult> result = Trainer(opt).Train(labels, split.train, split.heldout);
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(result.status().message()).c_str());
    return 1;
  }
  for (size_t e = 0; e < result->epoch_loss.size(); ++e) {
    std::printf("epoch %2zu  train loss %.5f\n", e + 1, result->epoch_loss[e]);
  }
  std::printf("temperature %.4f (held-out NLL %.4f)\n", result->model.temperature, result->calibration_nll);
  absl::StatusOr<Classifier> c = Classifier::FromModel(result->model);
  if (!c.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(c.status().message()).c_str());
    return 1;
  }
  std::optional<nlohmann::json> summary = ReportAccuracy(*c, split, dev_path, args.Has("dev"));
  if (!summary) return 2;
  if (top > 0) {
    std::printf("\n");
    PrintTopFeatures(result->model, split.train, static_cast<int>(top));
  }
  const std::string model_bytes = result->model.Serialize();
  (*summary)["model_bytes"] = model_bytes.size();
  (*summary)["model_checksum"] = Hex(ClassifierModel::Checksum(model_bytes));
  if (!no_write) {
    if (absl::Status s = result->model.Save(out_path); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
      return 1;
    }
    (*summary)["model"] = out_path;
    std::printf("\nwrote %s (%zu bytes)\n", out_path.c_str(), model_bytes.size());
  }
  std::printf("%s\n", summary->dump().c_str());
  return 0;
}

int Main(int argc, char** argv) {
  cli::CommandLine args({"data", "out", "dev", "epochs", "learning-rate", "l2", "seed", "hash-bits", "char-min-n",
                  "char-max-n", "top-features", "min-rows"},
                 {"no-write", "help", "cv-families"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  if (!args.positional().empty()) {
    return cli::UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("unexpected argument '", args.positional()[0], "'")), kUsage);
  }
  absl::StatusOr<TrainFlags> flags = ReadTrainFlags(args);
  if (!flags.ok()) return cli::UsageError(kTool, flags.status(), kUsage);
  TrainerOptions& opt = flags->options;

  const std::string data_path = args.GetOr("data", std::string(SWITCHYARD_SOURCE_DIR) + "/router/classify/training/data.jsonl");
  absl::StatusOr<std::vector<LabeledPrompt>> data = ReadLabeledPrompts(data_path);
  if (!data.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(data.status().message()).c_str());
    return 2;
  }
  // Labels in sorted order; every row needs one and a split of train or heldout.
  std::optional<std::vector<std::string>> labels = DataLabels(*data, data_path);
  if (!labels) return 2;
  if (flags->cv_families) return CrossValidateFamilies(opt, *labels, *data);
  const TrainingSplit split = SplitData(*data, *labels);
  opt.extra_metadata = DataMetadata(*data, split);
  return TrainAndReport(opt, *labels, split, args, flags->top_features, flags->no_write);
}

}  // namespace
}  // namespace switchyard::classify

int main(int argc, char** argv) { return switchyard::classify::Main(argc, argv); }
