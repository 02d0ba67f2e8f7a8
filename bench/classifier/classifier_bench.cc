// switchyard-bench-classifier: latency per request of the request classifier, and its accuracy,
// on the evaluation prompts of ../shared/data/routing/dev.jsonl and on the held-out split of the
// generated training data. Prints JSON lines (one per measurement) and a summary line.
//
// Latency: every prompt is classified --reps times (after one warm-up pass); each call is timed
// on its own with steady_clock, one thread, so p50/p99 are per request. The issue's budget is
// p99 < 100 us.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/command_line.h"
#include "nlohmann/json.hpp"
#include "router/classify/classifier.h"
#include "router/classify/confusion_matrix.h"
#include "router/classify/labeled_prompts.h"
#include "router/classify/shipped_model.h"

namespace switchyard::classify {
namespace {

constexpr char kTool[] = "switchyard-bench-classifier";
constexpr char kUsage[] = R"(usage: switchyard-bench-classifier [--model FILE] [--dev FILE] [--data FILE] [--reps N]

  --model FILE  classifier model (default: the shipped one)
  --dev FILE    evaluation prompts (default: <shared>/data/routing/dev.jsonl; skipped if absent)
  --data FILE   generated data; its "heldout" rows are measured too
                (default: <source>/router/classify/training/data.jsonl)
  --reps N      timed calls per prompt (default 20)
)";

struct Latency {
  double p50, p90, p99, max, mean;
};

Latency Percentiles(std::vector<double> ns) {
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<size_t>(q * static_cast<double>(ns.size())))]; };
  double sum = 0;
  for (double v : ns) sum += v;
  return {at(0.50) / 1e3, at(0.90) / 1e3, at(0.99) / 1e3, ns.back() / 1e3, sum / static_cast<double>(ns.size()) / 1e3};
}

template <typename F>
std::vector<double> Time(const std::vector<LabeledPrompt>& rows, int reps, F&& f) {
  using Clock = std::chrono::steady_clock;
  for (const LabeledPrompt& r : rows) f(r.prompt);  // warm-up
  std::vector<double> ns;
  ns.reserve(rows.size() * static_cast<size_t>(reps));
  for (int rep = 0; rep < reps; ++rep) {
    for (const LabeledPrompt& r : rows) {
      const auto t0 = Clock::now();
      f(r.prompt);
      const auto t1 = Clock::now();
      ns.push_back(static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    }
  }
  return ns;
}

int sink_label = 0;  // keeps the calls from being optimized away

void Measure(const Classifier& c, const std::string& set, const std::vector<LabeledPrompt>& rows, int reps) {
  size_t bytes = 0, max_bytes = 0;
  for (const LabeledPrompt& r : rows) {
    bytes += r.prompt.size();
    max_bytes = std::max(max_bytes, r.prompt.size());
  }
  const Latency l = Percentiles(Time(rows, reps, [&](const std::string& p) { sink_label += c.Classify(p).label; }));
  nlohmann::json j = {{"bench", "classifier_latency"}, {"set", set}, {"prompts", rows.size()},
                      {"calls", rows.size() * static_cast<size_t>(reps)},
                      {"mean_prompt_bytes", static_cast<double>(bytes) / static_cast<double>(rows.size())},
                      {"max_prompt_bytes", max_bytes}, {"threads", 1},
                      {"p50_us", l.p50}, {"p90_us", l.p90}, {"p99_us", l.p99}, {"max_us", l.max}, {"mean_us", l.mean},
                      {"budget_p99_us", 100}};
  std::printf("%s\n", j.dump().c_str());
  const int explain_reps = std::max(1, reps / 10);
  const Latency e = Percentiles(Time(rows, explain_reps, [&](const std::string& p) {
    sink_label += static_cast<int>(c.Explain(p, 5).size());
  }));
  std::printf("%s\n", nlohmann::json({{"bench", "classifier_explain_latency"}, {"set", set}, {"top_k", 5},
                                      {"calls", rows.size() * static_cast<size_t>(explain_reps)},
                                      {"p50_us", e.p50}, {"p99_us", e.p99}, {"max_us", e.max}})
                          .dump()
                          .c_str());
  ConfusionMatrix cm(c.labels());
  std::vector<std::pair<float, bool>> conf;  // (confidence, correct)
  for (const LabeledPrompt& r : rows) {
    const Classification k = c.Classify(r.prompt);
    cm.Add(c.LabelIndex(r.label), k.label);
    conf.emplace_back(k.confidence, c.LabelIndex(r.label) == k.label);
  }
  // How a router threshold would split the traffic: at confidence >= t, the share of prompts kept
  // and their accuracy (the rest would be sent to a model or a pinned route).
  nlohmann::json thresholds = nlohmann::json::array();
  for (double t : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
    int kept = 0, right = 0;
    for (const auto& [p, ok] : conf) {
      if (p >= t) {
        ++kept;
        right += ok;
      }
    }
    thresholds.push_back({{"min_confidence", t},
                          {"kept", static_cast<double>(kept) / static_cast<double>(conf.size())},
                          {"accuracy_kept", kept == 0 ? 0.0 : static_cast<double>(right) / kept}});
  }
  std::printf("%s\n", nlohmann::json({{"bench", "classifier_confidence"}, {"set", set}, {"thresholds", thresholds}})
                          .dump()
                          .c_str());
  nlohmann::json acc = cm.ToJson();
  acc["bench"] = "classifier_accuracy";
  acc["set"] = set;
  std::printf("%s\n", acc.dump().c_str());
  std::printf("# classify %-8s %4zu prompts  1 thread  p50 %6.1f us  p99 %6.1f us  max %6.1f us  (budget p99 100 us, "
              "ratio %.2f)  accuracy %.4f\n",
              set.c_str(), rows.size(), l.p50, l.p99, l.max, l.p99 / 100.0, cm.accuracy());
}

int Main(int argc, char** argv) {
  cli::CommandLine args({"model", "dev", "data", "reps"}, {"help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto reps = args.IntOr("reps", 20, 1, 100000);
  if (!reps.ok()) return cli::UsageError(kTool, reps.status(), kUsage);
  const std::string model_path = args.GetOr("model", ShippedModelPath());
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<Classifier> c = Classifier::Load(model_path);
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!c.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(c.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", nlohmann::json({{"bench", "classifier_load"}, {"model", model_path}, {"ms", load_ms},
                                      {"model_bytes", c->model().Serialize().size()}})
                          .dump()
                          .c_str());
  const std::string dev_path = args.GetOr("dev", std::string(SWITCHYARD_SHARED_DIR) + "/data/routing/dev.jsonl");
  absl::StatusOr<std::vector<LabeledPrompt>> dev = ReadLabeledPrompts(dev_path);
  if (dev.ok()) {
    Measure(*c, "dev", *dev, static_cast<int>(*reps));
  } else if (args.Has("dev")) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(dev.status().message()).c_str());
    return 2;
  } else {
    std::printf("# no evaluation set at %s: skipped\n", dev_path.c_str());
  }
  const std::string data_path =
      args.GetOr("data", std::string(SWITCHYARD_SOURCE_DIR) + "/router/classify/training/data.jsonl");
  absl::StatusOr<std::vector<LabeledPrompt>> data = ReadLabeledPrompts(data_path);
  if (!data.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(data.status().message()).c_str());
    return 2;
  }
  std::vector<LabeledPrompt> heldout;
  for (LabeledPrompt& r : *data) {
    if (r.split == "heldout") heldout.push_back(std::move(r));
  }
  if (!heldout.empty()) Measure(*c, "heldout", heldout, static_cast<int>(*reps));
  // Long prompts: a 64 KB prompt is read as its first and last 2 KB.
  std::vector<LabeledPrompt> big(1);
  big[0].prompt = "Translate into German:\n";
  while (big[0].prompt.size() < 65536) big[0].prompt += "The committee will publish its final recommendations soon. ";
  const Latency l = Percentiles(Time(big, 200 * static_cast<int>(*reps), [&](const std::string& p) {
    sink_label += c->Classify(p).label;
  }));
  std::printf("%s\n", nlohmann::json({{"bench", "classifier_latency"}, {"set", "64KB-prompt"},
                                      {"prompt_bytes", big[0].prompt.size()}, {"p50_us", l.p50},
                                      {"p99_us", l.p99}, {"max_us", l.max}})
                          .dump()
                          .c_str());
  return sink_label == -1 ? 1 : 0;
}

}  // namespace
}  // namespace switchyard::classify

int main(int argc, char** argv) { return switchyard::classify::Main(argc, argv); }
