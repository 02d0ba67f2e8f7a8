// switchyard-bench: prefill and decode speed of the CPU engine on one sequence, as llama-bench
// measures pp/tg: a prompt of --prompt-tokens ids evaluated in one pass, then --gen-tokens
// tokens decoded one at a time with greedy sampling. Prints one JSON line with the medians
// over --reps repetitions (after one warm-up) and the process's peak RSS. With --batch N, N
// sequences (each its own random prompt, prefilled in turn) then decode together, one forward
// pass per step for all N as the worker's continuous batching runs them; decode_tok_s counts
// the tokens of all N.
//
// With --roofline, every decode step is followed by one plain read of all the model's weight
// pages (ReadLoop, the same threads count): each step is paired with the ceiling measured on
// the same bytes a few milliseconds later, so the fraction of the roofline does not depend on
// this shared host's bandwidth drifting between 40 and 80 GB/s from minute to minute. The
// JSON gains "roofline": the median of step/pass fractions, the read passes' median and best
// rates, and decode against the best pass (the strictest ceiling).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "base/command_line.h"
#include "bench/engine/read_loop.h"
#include "workers/engine/backend/cpu/cpu_features.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard-bench";
constexpr char kUsage[] =
    "usage: switchyard-bench --model DIR [--prompt-tokens 512] [--gen-tokens 128] [--threads 2] [--reps 3]\n"
    "         [--batch 1] [--weights ram|mmap] [--kv f32|f16] [--activations f32|bf16] [--profile] [--roofline]\n"
    "  --weights ram: a private copy on huge pages (the default); mmap: the file mapping\n"
    "  --activations bf16: bf16 weights' products on activations rounded to bf16 (llama.cpp's way)\n"
    "  --profile: time per phase of the forward pass, decode steps only, on stderr\n"
    "  --roofline: after every decode step, time one plain read of all weight pages (needs --weights ram)\n"
    "Prints {\"prefill_tok_s\", \"decode_tok_s\", \"peak_rss_mib\", ...} as one JSON line.\n";

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(int argc, char** argv) {
  CommandLine args({"model", "prompt-tokens", "gen-tokens", "threads", "reps", "weights", "batch", "kv", "activations"}, {"help", "profile", "roofline"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto dir = args.Required("model");
  auto pp = args.IntOr("prompt-tokens", 512, 1, 1 << 20);
  auto tg = args.IntOr("gen-tokens", 128, 1, 1 << 20);
  auto threads = args.IntOr("threads", 2, 1, 1024);
  auto reps = args.IntOr("reps", 3, 1, 100);
  auto batch = args.IntOr("batch", 1, 1, 256);
  for (const absl::Status& s : {dir.status(), pp.status(), tg.status(), threads.status(), reps.status(), batch.status()}) {
    if (!s.ok()) return UsageError(kTool, s, kUsage);
  }
  const std::string kv = args.GetOr("kv", "f32");
  if (kv != "f32" && kv != "f16") return UsageError(kTool, absl::InvalidArgumentError("--kv: use f32 or f16"), kUsage);
  const std::string activations = args.GetOr("activations", "f32");
  if (activations != "f32" && activations != "bf16") {
    return UsageError(kTool, absl::InvalidArgumentError("--activations: use f32 or bf16"), kUsage);
  }
  const std::string weights = args.GetOr("weights", "ram");
  if (weights != "ram" && weights != "mmap") {
    return UsageError(kTool, absl::InvalidArgumentError("--weights: use ram or mmap"), kUsage);
  }
  auto model = LoadModel(*dir, LoadOptions{.progress = nullptr, .prefault = true,
                                           .memory = weights == "ram" ? WeightMemory::kHugePages : WeightMemory::kMapped});
  if (!model.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(model.status().message()).c_str());
    return 1;
  }
  const bool profile = args.Has("profile");
  const bool roofline = args.Has("roofline");
  if (roofline && (*model)->resident_weights() == nullptr) {
    return UsageError(kTool, absl::InvalidArgumentError("--roofline reads the weights' own pages: use --weights ram"), kUsage);
  }
  auto runner = Qwen3Runner::Create(**model, RunnerOptions{.threads = static_cast<int>(*threads), .profile = profile,
                                                                 .bf16_activations = activations == "bf16"});
  if (!runner.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(runner.status().message()).c_str());
    return 1;
  }
  Qwen3Runner& r = **runner;
  const int64_t total = *pp + *tg;
  if (total > r.max_context()) {
    std::fprintf(stderr, "%s: %lld tokens exceed the model's context of %lld\n", kTool, static_cast<long long>(total),
                 static_cast<long long>(r.max_context()));
    return 1;
  }
  const int64_t n = *batch;
  auto pool = KvBlockPool::Create(r.kv_shape(16, kv == "f16" ? DType::kF16 : DType::kF32), n * ((total + 15) / 16));
  if (!pool.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(pool.status().message()).c_str());
    return 1;
  }
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int32_t> id(1000, 100000);
  std::vector<std::vector<int32_t>> prompts(static_cast<size_t>(n), std::vector<int32_t>(static_cast<size_t>(*pp)));
  for (auto& p : prompts)
    for (int32_t& t : p) t = id(rng);
  const int64_t V = r.vocab_size();
  std::vector<float> logits(static_cast<size_t>(n * V));
  std::vector<double> prefill, decode;
  // --roofline: per decode step (measured reps only), the step's seconds and the read pass's.
  std::vector<double> fractions, read_rates;
  using Clock = std::chrono::steady_clock;
  auto fail = [](const absl::Status& s) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
    return 1;
  };
  for (int64_t rep = 0; rep <= *reps; ++rep) {  // rep 0 is the warm-up
    std::vector<std::unique_ptr<KvSequence>> seqs;
    for (int64_t b = 0; b < n; ++b) seqs.push_back(std::make_unique<KvSequence>(pool->get()));
    const auto t0 = Clock::now();
    for (int64_t b = 0; b < n; ++b) {
      SequenceChunk chunk{seqs[static_cast<size_t>(b)].get(), prompts[static_cast<size_t>(b)], false};
      if (absl::Status s = r.Forward({&chunk, 1}, logits.data() + b * V); !s.ok()) return fail(s);
    }
    const auto t1 = Clock::now();
    r.ResetProfile();
    std::vector<int32_t> next(static_cast<size_t>(n));
    std::vector<SequenceChunk> step(static_cast<size_t>(n));
    double decode_seconds = 0;
    for (int64_t i = 0; i < *tg; ++i) {
      const auto s0 = Clock::now();
      for (int64_t b = 0; b < n; ++b) {
        const float* l = logits.data() + b * V;
        next[static_cast<size_t>(b)] = static_cast<int32_t>(std::max_element(l, l + V) - l);
        step[static_cast<size_t>(b)] = SequenceChunk{seqs[static_cast<size_t>(b)].get(), {&next[static_cast<size_t>(b)], 1}, false};
      }
      if (absl::Status s = r.Forward(step, logits.data()); !s.ok()) return fail(s);
      const double step_seconds = std::chrono::duration<double>(Clock::now() - s0).count();
      decode_seconds += step_seconds;
      if (roofline) {
        const bench::ReadPass pass =
            bench::ReadOnce((*model)->resident_weights(), (*model)->resident_weight_bytes(), static_cast<int>(*threads));
        if (rep > 0) {
          // decode tok/s over roofline tok/s = (n / step) / (rate / weight bytes).
          fractions.push_back(static_cast<double>(n) * static_cast<double>((*model)->weight_bytes()) / (pass.gb_s * 1e9) / step_seconds);
          read_rates.push_back(pass.gb_s);
        }
      }
    }
    if (profile && rep == *reps) std::fprintf(stderr, "profile (last rep, decode steps): %s\n", r.ProfileReport().c_str());
    if (rep == 0) continue;
    prefill.push_back(static_cast<double>(n * *pp) / std::chrono::duration<double>(t1 - t0).count());
    decode.push_back(static_cast<double>(n * *tg) / decode_seconds);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "{\"engine\": \"switchyard\", \"model\": \"%s\", \"weights\": \"%s\", \"params\": %lld, \"weight_bytes\": %llu, \"threads\": %lld, "
      "\"simd\": \"%s\", \"kv\": \"%s\", \"activations\": \"%s\", \"batch\": %lld, \"prompt_tokens\": %lld, \"gen_tokens\": %lld, \"reps\": %lld, \"prefill_tok_s\": %.2f, "
      "\"decode_tok_s\": %.2f, \"prefill_all\": [",
      dir->c_str(), weights.c_str(), static_cast<long long>((*model)->parameter_count()),
      static_cast<unsigned long long>((*model)->weight_bytes()), static_cast<long long>(*threads),
      HostCpuFeatures().Describe().c_str(), kv.c_str(), activations.c_str(), static_cast<long long>(n), static_cast<long long>(*pp), static_cast<long long>(*tg),
      static_cast<long long>(*reps), Median(prefill), Median(decode));
  for (size_t i = 0; i < prefill.size(); ++i) std::printf("%s%.2f", i ? ", " : "", prefill[i]);
  std::printf("], \"decode_all\": [");
  for (size_t i = 0; i < decode.size(); ++i) std::printf("%s%.2f", i ? ", " : "", decode[i]);
  std::printf("], \"peak_rss_mib\": %.0f", static_cast<double>(ru.ru_maxrss) / 1024.0);
  if (roofline) {
    const double best = *std::max_element(read_rates.begin(), read_rates.end());
    const double bytes = static_cast<double>((*model)->weight_bytes());
    std::printf(", \"roofline\": {\"loads\": \"%s\", \"passes\": %zu, \"read_gb_s_median\": %.2f, \"read_gb_s_best\": %.2f, "
                "\"decode_fraction_median\": %.4f, \"decode_fraction_of_best\": %.4f}",
                bench::ReadLoopLoads(), read_rates.size(), Median(read_rates), best, Median(fractions),
                Median(decode) / (best * 1e9 / bytes));
  }
  std::printf("}\n");
  return 0;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
