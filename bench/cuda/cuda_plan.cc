// switchyard-cuda-plan: the roofline of one decode step on paper, until a GPU is lent (issue #9).
// Reads a Hugging Face config.json, counts the bytes and FLOPs of one decode step
// (workers/engine/model/decode_cost.h says what is counted) and prints one JSON line with the
// predicted time at a memory bandwidth and at a FLOP rate (defaults: H100 SXM, 3.35 TB/s and
// ~990 dense bf16 TFLOP/s), the bound (the larger of the two), tokens/s and arithmetic
// intensity. --table prints the markdown table of bench/RESULTS.md for several configs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "nlohmann/json.hpp"
#include "workers/engine/model/decode_cost.h"
#include "workers/engine/model/model_config.h"

namespace switchyard {
namespace {

constexpr const char* kTool = "switchyard-cuda-plan";
constexpr const char* kUsage =
    "usage: switchyard-cuda-plan --config FILE|DIR [--batch 1] [--context 0] [--bandwidth-gbs 3350]\n"
    "                            [--tflops 990] [--weight-bytes 2] [--kv-bytes 2]\n"
    "       switchyard-cuda-plan --table [--configs DIR,DIR,...] [--batches 1,64] [--contexts 1024,4096]\n"
    "                            [--bandwidth-gbs 3350] [--tflops 990] [--weight-bytes 2] [--kv-bytes 2]\n"
    "One JSON line per run: bytes and FLOPs of one decode step, their breakdown, predicted ms at the\n"
    "bandwidth and at the FLOP rate, the bound, tok/s per sequence and in total, arithmetic intensity.\n"
    "--table without --configs uses the Qwen3 configs shipped in bench/cuda/configs.\n";

struct Machine {
  double bandwidth_gbs = 3350;  // H100 SXM HBM3
  double tflops = 990;          // H100 SXM dense bf16 tensor-core peak
};

struct Plan {
  std::string model;  // the config's folder name
  ModelConfig config;
  DecodeCostOptions options;
  DecodeCost cost;
  double ms_memory = 0, ms_compute = 0;
  double ms() const { return std::max(ms_memory, ms_compute); }
  const char* bound() const { return ms_memory >= ms_compute ? "memory" : "compute"; }
  double tok_s_per_seq() const { return 1e3 / ms(); }
  double tok_s_total() const { return tok_s_per_seq() * static_cast<double>(options.batch); }
  double intensity() const { return cost.flops() / cost.bytes(); }
};

// FILE or DIR (then DIR/config.json); the model name is the folder holding config.json.
std::string ConfigPath(const std::string& arg) {
  return arg.size() >= 5 && arg.substr(arg.size() - 5) == ".json" ? arg : arg + "/config.json";
}
std::string ModelName(const std::string& path) {
  const size_t end = path.find_last_of('/');
  if (end == std::string::npos || end == 0) return "model";
  const size_t begin = path.find_last_of('/', end - 1);
  return path.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin == std::string::npos ? 0 : begin + 1));
}

absl::StatusOr<Plan> MakePlan(const std::string& config_arg, const DecodeCostOptions& options, const Machine& m) {
  const std::string path = ConfigPath(config_arg);
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto config = ParseModelConfig(*text, path);
  if (!config.ok()) return config.status();
  auto cost = ComputeDecodeCost(*config, options);
  if (!cost.ok()) return cost.status();
  Plan p{ModelName(path), *config, options, *cost};
  p.ms_memory = p.cost.bytes() / (m.bandwidth_gbs * 1e9) * 1e3;
  p.ms_compute = p.cost.flops() / (m.tflops * 1e12) * 1e3;
  return p;
}

// v to `digits` decimals; dividing by an exact power of ten gives the double nearest to the
// decimal, so the JSON shows "25.6606", not "25.660600000000002".
double Round(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

std::string Json(const Plan& p, const Machine& m) {
  nlohmann::ordered_json breakdown = nlohmann::ordered_json::object();
  for (const auto& i : p.cost.items) {
    breakdown[i.name] = {{"bytes", std::llround(i.bytes)}, {"flops", std::llround(i.flops)}};
  }
  nlohmann::ordered_json j = {
      {"tool", kTool},
      {"model", p.model},
      {"architecture", p.config.architecture_name},
      {"batch", p.options.batch},
      {"context", p.options.context},
      {"weight_bytes", p.options.weight_bytes},
      {"kv_bytes", p.options.kv_bytes},
      {"bandwidth_gbs", m.bandwidth_gbs},
      {"tflops", m.tflops},
      {"total_params", p.cost.total_params},
      {"active_params", p.cost.active_params},
  };
  if (p.cost.moe_layers > 0) j["experts_per_layer"] = Round(p.cost.experts_per_layer, 3);
  j["bytes"] = std::llround(p.cost.bytes());
  j["flops"] = std::llround(p.cost.flops());
  j["breakdown"] = breakdown;
  j["ms_memory"] = Round(p.ms_memory, 4);
  j["ms_compute"] = Round(p.ms_compute, 4);
  j["ms_bound"] = Round(p.ms(), 4);
  j["bound"] = p.bound();
  j["tok_s_per_seq"] = Round(p.tok_s_per_seq(), 1);
  j["tok_s_total"] = Round(p.tok_s_total(), 1);
  j["arithmetic_intensity"] = Round(p.intensity(), 3);
  return j.dump();
}

std::string TableRow(const Plan& p) {
  return absl::StrFormat("| %s | %d | %d | %.3f | %.1f | %.3f | %.4f | %s | %.0f | %.0f | %.1f |", p.model,
                         p.options.batch, p.options.context, p.cost.bytes() / 1e9, p.cost.flops() / 1e9, p.ms_memory,
                         p.ms_compute, p.bound(), p.tok_s_per_seq(), p.tok_s_total(), p.intensity());
}

absl::StatusOr<std::vector<int64_t>> IntList(const std::string& flag, const std::string& text) {
  std::vector<int64_t> out;
  for (absl::string_view s : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int64_t v;
    if (!absl::SimpleAtoi(s, &v) || v < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag, ": '", s, "' is not a non-negative integer"));
    }
    out.push_back(v);
  }
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat("--", flag, " is empty"));
  return out;
}

int Run(int argc, char** argv) {
  cli::CommandLine args({"config", "configs", "batch", "batches", "context", "contexts", "bandwidth-gbs", "tflops",
                  "weight-bytes", "kv-bytes"},
                 {"table", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  Machine m;
  DecodeCostOptions base;
  auto bw = args.DoubleOr("bandwidth-gbs", m.bandwidth_gbs);
  auto tf = args.DoubleOr("tflops", m.tflops);
  auto wb = args.IntOr("weight-bytes", base.weight_bytes, 1, 8);
  auto kvb = args.IntOr("kv-bytes", base.kv_bytes, 1, 8);
  auto table = args.Switch("table");
  for (const absl::Status& s : {bw.status(), tf.status(), wb.status(), kvb.status(), table.status()}) {
    if (!s.ok()) return cli::UsageError(kTool, s, kUsage);
  }
  if (!(*bw > 0) || !(*tf > 0)) {
    return cli::UsageError(kTool, absl::InvalidArgumentError("--bandwidth-gbs and --tflops must be positive"), kUsage);
  }
  m = {*bw, *tf};
  base.weight_bytes = static_cast<int>(*wb);
  base.kv_bytes = static_cast<int>(*kvb);

  if (!*table) {
    auto config = args.Required("config");
    auto batch = args.IntOr("batch", 1, 1, 1 << 20);
    auto context = args.IntOr("context", 0, 0, int64_t{1} << 30);
    for (const absl::Status& s : {config.status(), batch.status(), context.status()}) {
      if (!s.ok()) return cli::UsageError(kTool, s, kUsage);
    }
    DecodeCostOptions o = base;
    o.batch = *batch;
    o.context = *context;
    auto plan = MakePlan(*config, o, m);
    if (!plan.ok()) {
      std::fprintf(stderr, "%s: %s\n", kTool, std::string(plan.status().message()).c_str());
      return 1;
    }
    std::printf("%s\n", Json(*plan, m).c_str());
    return 0;
  }

  const std::string shipped = std::string(SWITCHYARD_SOURCE_DIR) + "/bench/cuda/configs/";
  const std::string configs = args.GetOr(
      "configs", shipped + "Qwen3-0.6B," + shipped + "Qwen3-4B," + shipped + "Qwen3-8B," + shipped + "Qwen3-30B-A3B");
  auto batches = IntList("batches", args.GetOr("batches", "1,64"));
  auto contexts = IntList("contexts", args.GetOr("contexts", "1024,4096"));
  for (const absl::Status& s : {batches.status(), contexts.status()}) {
    if (!s.ok()) return cli::UsageError(kTool, s, kUsage);
  }
  std::printf("| model | batch | context | GB read | GFLOP | ms @ %.0f GB/s | ms @ %.0f TFLOP/s | bound | "
              "tok/s per seq | tok/s total | FLOP/B |\n",
              m.bandwidth_gbs, m.tflops);
  std::printf("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
  for (absl::string_view config : absl::StrSplit(configs, ',', absl::SkipEmpty())) {
    for (int64_t b : *batches) {
      for (int64_t l : *contexts) {
        DecodeCostOptions o = base;
        o.batch = b;
        o.context = l;
        auto plan = MakePlan(std::string(config), o, m);
        if (!plan.ok()) {
          std::fprintf(stderr, "%s: %s\n", kTool, std::string(plan.status().message()).c_str());
          return 1;
        }
        std::printf("%s\n", TableRow(*plan).c_str());
      }
    }
  }
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Run(argc, argv); }
