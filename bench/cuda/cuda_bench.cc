// switchyard-cuda-bench: the CUDA backend measured on a GPU (issue #9), one JSON line per
// measurement, ready for the day one is lent. bench/RESULTS.md ("CUDA backend") says how to run
// it and what each line means.
//
//  - "device": the GPU, and the device-to-device cudaMemcpy bandwidth of a large buffer that
//    every kernel's GB/s is compared with (and the spec figure, when --peak-gbs gives it).
//  - "kernel" (--bench kernels): each kernel of one decode step (kernel_cases.h) with the shapes
//    CudaRunner gives it for the config and each batch size, on random data, checked once
//    against a host reference, then timed with CUDA events (median of --reps, L2 flushed before
//    each): minimal bytes, µs, GB/s and the fraction of the copy (and spec) bandwidth.
//  - "model", "prefill", "decode" (--bench model): the whole model through CudaRunner
//    (model_bench.h): prefill tok/s, decode tok/s per batch size, and the decode step against
//    DecodeCost's bytes at those bandwidths (the fraction of the memory roofline).
//
// Built twice from this source: against the CUDA runtime, cuBLAS and the nvcc-built kernels
// (switchyard-cuda-bench, when SWITCHYARD_CUDA), and against the CUDA emulator
// (switchyard-cuda-bench-emu), where its tests run it on tiny shapes. Under the emulator every
// line says "emulated": true and its times are the host's, meaningless for a GPU.
// Without a device it exits 1 with the CUDA runtime's reason; 1 also when a kernel's output
// fails its check (the other kernels are still measured); 2 for bad flags.
#include <cublas_v2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "bench/cuda/bench_device.h"
#include "bench/cuda/kernel_cases.h"
#include "bench/cuda/model_bench.h"
#include "nlohmann/json.hpp"
#include "workers/engine/model/model_config.h"

namespace switchyard::cuda::bench {
namespace {

using json = nlohmann::ordered_json;

#ifdef SWITCHYARD_CUDA_BENCH_EMULATED
constexpr const char* kTool = "switchyard-cuda-bench-emu";
#else
constexpr const char* kTool = "switchyard-cuda-bench";
#endif
constexpr const char* kUsage =
    "usage: switchyard-cuda-bench [--config FILE|DIR] [--model DIR] [--bench kernels,model]\n"
    "         [--batches 1,64] [--contexts 1024,4096,16384] [--context 1024] [--prompt 512]\n"
    "         [--reps 30] [--warmup 3] [--steps 32] [--prefill-reps 3] [--flush-mib 256]\n"
    "         [--copy-mib 1024] [--peak-gbs GB/s] [--gemv-max-tokens 8] [--block-size 16] [--kv-f16]\n"
    "         [--no-graphs] [--device 0] [--seed 1] [--scratch DIR]\n"
    "One JSON line per measurement (bench/RESULTS.md, \"CUDA backend\"): the device and its copy\n"
    "bandwidth; each decode-step kernel (--bench kernels) for the config at each batch size,\n"
    "checked against a host reference, then timed; prefill and decode tok/s of the whole model\n"
    "through CudaRunner (--bench model), from --model DIR, else from random bf16 weights of\n"
    "--config written under --scratch (default $TMPDIR or /tmp). --config defaults to the\n"
    "Qwen3-0.6B config in bench/cuda/configs (or --model's). --contexts: cached positions for the\n"
    "attention kernel; --context: for the model's decode steps. --peak-gbs: the device's spec\n"
    "bandwidth (H100 SXM 3350, H200 4800), reported beside the measured copy bandwidth.\n";

struct Options {
  std::string config_path, model_dir, scratch;
  bool kernels = true, model = true;
  std::vector<int64_t> batches = {1, 64}, contexts = {1024, 4096, 16384};
  int64_t context = 1024, prompt = 512, gemv_max_tokens = 8, block_size = 16;
  int steps = 32, prefill_reps = 3, device = 0;
  bool kv_f16 = false, graphs = true;
  uint64_t seed = 1;
  size_t copy_bytes = size_t{1} << 30;
  double spec_gbs = 0;
  TimingOptions timing;
};

absl::StatusOr<std::vector<int64_t>> IntList(const std::string& flag, const std::string& text, int64_t min) {
  std::vector<int64_t> out;
  for (absl::string_view s : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int64_t v;
    if (!absl::SimpleAtoi(s, &v) || v < min) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag, ": '", s, "' is not an integer >= ", min));
    }
    out.push_back(v);
  }
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat("--", flag, " is empty"));
  return out;
}

absl::StatusOr<Options> ParseOptions(const cli::CommandLine& args) {
  Options o;
  o.model_dir = args.GetOr("model", "");
  o.config_path =
      args.GetOr("config", o.model_dir.empty() ? std::string(SWITCHYARD_SOURCE_DIR) + "/bench/cuda/configs/Qwen3-0.6B"
                                               : o.model_dir);
  const char* tmp = std::getenv("TMPDIR");
  o.scratch = args.GetOr("scratch", tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
  const std::string what = args.GetOr("bench", "kernels,model");
  o.kernels = o.model = false;
  for (absl::string_view w : absl::StrSplit(what, ',', absl::SkipEmpty())) {
    if (w == "kernels") {
      o.kernels = true;
    } else if (w == "model") {
      o.model = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--bench: '", w, "' is neither kernels nor model"));
    }
  }
  auto batches = IntList("batches", args.GetOr("batches", "1,64"), 1);
  if (!batches.ok()) return batches.status();
  o.batches = *batches;
  auto contexts = IntList("contexts", args.GetOr("contexts", "1024,4096,16384"), 0);
  if (!contexts.ok()) return contexts.status();
  o.contexts = *contexts;
  struct IntFlag {
    const char* name;
    int64_t fallback, min, max;
  };
  std::vector<int64_t> v;
  for (const IntFlag& f : {IntFlag{"context", 1024, 0, int64_t{1} << 24},
                           {"prompt", 512, 1, int64_t{1} << 20},
                           {"reps", 30, 1, 100000},
                           {"warmup", 3, 0, 100000},
                           {"steps", 32, 1, 100000},
                           {"prefill-reps", 3, 1, 100000},
                           {"flush-mib", 256, 0, 1 << 20},
                           {"copy-mib", 1024, 1, 1 << 20},
                           {"gemv-max-tokens", 8, 0, 8},
                           {"block-size", 16, 1, 1024},
                           {"device", 0, 0, 1024},
                           {"seed", 1, 0, INT64_MAX}}) {
    auto x = args.IntOr(f.name, f.fallback, f.min, f.max);
    if (!x.ok()) return x.status();
    v.push_back(*x);
  }
  o.context = v[0];
  o.prompt = v[1];
  o.timing.reps = static_cast<int>(v[2]);
  o.timing.warmup = static_cast<int>(v[3]);
  o.steps = static_cast<int>(v[4]);
  o.prefill_reps = static_cast<int>(v[5]);
  o.timing.flush_bytes = static_cast<size_t>(v[6]) << 20;
  o.copy_bytes = static_cast<size_t>(v[7]) << 20;
  o.gemv_max_tokens = v[8];
  o.block_size = v[9];
  o.device = static_cast<int>(v[10]);
  o.seed = static_cast<uint64_t>(v[11]);
  auto peak = args.DoubleOr("peak-gbs", 0);
  if (!peak.ok()) return peak.status();
  if (!(*peak >= 0)) return absl::InvalidArgumentError("--peak-gbs must be positive");
  o.spec_gbs = *peak;
  auto f16 = args.Switch("kv-f16");
  if (!f16.ok()) return f16.status();
  o.kv_f16 = *f16;
  auto no_graphs = args.Switch("no-graphs");
  if (!no_graphs.ok()) return no_graphs.status();
  o.graphs = !*no_graphs;
  if (!args.positional().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", args.positional()[0], "'"));
  }
  return o;
}

// The folder holding config.json, or the model directory: the name the lines carry.
std::string ModelName(std::string p) {
  const std::string suffix = "/config.json";
  if (p.size() > suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
    p.resize(p.size() - suffix.size());
  }
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

void Print(const json& fields) {
  json line = {{"tool", kTool}, {"emulated", kEmulated}};
  for (const auto& [k, v] : fields.items()) line[k] = v;
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

struct CublasHandle {
  struct Destroy {
    void operator()(cublasContext* h) const { cublasDestroy(h); }
  };
  std::unique_ptr<cublasContext, Destroy> h;
};

absl::StatusOr<CublasHandle> MakeCublas(cudaStream_t stream) {
  cublasHandle_t h = nullptr;
  if (cublasStatus_t s = cublasCreate(&h); s != CUBLAS_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("cublasCreate: ", cublasGetStatusName(s), ": ", cublasGetStatusString(s)));
  }
  CublasHandle out;
  out.h.reset(h);
  if (cublasStatus_t s = cublasSetStream(h, stream); s != CUBLAS_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("cublasSetStream: ", cublasGetStatusName(s)));
  }
  return out;
}

// Every decode-step kernel at every batch size. Returns whether every check passed; an error
// only for what stops the bench (a failed launch, the device lost).
absl::StatusOr<bool> RunKernels(const Options& o, const ModelConfig& config, const std::string& model_name,
                                const DeviceInfo& dev, const CopyBandwidth& copy, const Stream& stream) {
  auto cublas = MakeCublas(stream.get());
  if (!cublas.ok()) return cublas.status();
  auto timer = KernelTimer::Create(stream.get(), o.timing);
  if (!timer.ok()) return timer.status();
  Rng rng(o.seed);
  bool all_ok = true;
  for (int64_t batch : o.batches) {
    KernelCaseOptions ko;
    ko.batch = batch;
    ko.contexts = o.contexts;
    ko.gemv_max_tokens = o.gemv_max_tokens;
    ko.block_size = o.block_size;
    ko.kv_f16 = o.kv_f16;
    ko.sm_count = dev.sm_count;
    ko.cublas = cublas->h.get();
    auto cases = DecodeStepCases(config, ko);
    if (!cases.ok()) return cases.status();
    for (std::unique_ptr<KernelCase>& kc : *cases) {
      json line = {
          {"kind", "kernel"}, {"model", model_name}, {"batch", batch}, {"name", kc->Name()}, {"shape", kc->Shape()}};
      if (absl::Status s = kc->Setup(rng, stream.get()); !s.ok()) {
        if (!absl::IsResourceExhausted(s)) return s;
        line["skipped"] = std::string(s.message());  // too big for this device: measure the rest
        Print(line);
        kc.reset();
        continue;
      }
      if (absl::Status s = kc->Launch(stream.get()); !s.ok()) return s;
      if (absl::Status s = stream.Synchronize(); !s.ok()) return s;
      auto check = kc->Check();
      if (!check.ok()) return check.status();
      json cj = {{"ok", check->ok},
                 {"reference", check->reference},
                 {"checked", check->checked},
                 {"max_abs_err", Sig(check->max_abs_err, 3)},
                 {"worst_err_over_tol", Sig(check->worst_ratio, 3)}};
      if (!check->ok) cj["first_failure"] = check->first_failure;
      line["bytes"] = kc->Bytes();
      line["bytes_formula"] = kc->BytesFormula();
      line["flops"] = kc->Flops();
      if (!check->ok) {
        all_ok = false;
        line["check"] = cj;
        line["error"] = "the output failed its check: not timed";
        Print(line);
        kc.reset();
        continue;
      }
      auto t = timer->Time([&]() { return kc->Launch(stream.get()); });
      if (!t.ok()) return t.status();
      const double gbs = kc->Bytes() / (t->median_us * 1e3);
      line["median_us"] = Sig(t->median_us, 5);
      line["min_us"] = Sig(t->min_us, 5);
      line["reps"] = t->reps;
      line["gbs"] = Sig(gbs);
      line["frac_copy_bw"] = Sig(gbs / copy.gbs);
      if (o.spec_gbs > 0) line["frac_spec_bw"] = Sig(gbs / o.spec_gbs);
      if (kc->Flops() > 0) line["gflops"] = Sig(kc->Flops() / (t->median_us * 1e3));
      line["check"] = cj;
      Print(line);
      kc.reset();  // frees its device memory before the next case allocates
    }
  }
  return all_ok;
}

int Run(int argc, char** argv) {
  cli::CommandLine args({"config", "model", "bench", "batches", "contexts", "context", "prompt", "reps", "warmup", "steps",
                  "prefill-reps", "flush-mib", "copy-mib", "peak-gbs", "gemv-max-tokens", "block-size", "device",
                  "seed", "scratch"},
                 {"kv-f16", "no-graphs", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto opts = ParseOptions(args);
  if (!opts.ok()) return cli::UsageError(kTool, opts.status(), kUsage);
  const Options& o = *opts;
  auto fail = [&](const absl::Status& s) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
    return 1;
  };

  // Config first: a typo in a path should not wait for the device.
  const std::string config_file = o.config_path.size() >= 5 && o.config_path.substr(o.config_path.size() - 5) == ".json"
                                      ? o.config_path
                                      : o.config_path + "/config.json";
  auto text = ReadFile(config_file);
  if (!text.ok()) return fail(text.status());
  auto config = ParseModelConfig(*text, config_file);
  if (!config.ok()) return fail(config.status());
  const std::string model_name = ModelName(o.model_dir.empty() ? config_file : o.model_dir);

  auto dev = OpenDevice(o.device);
  if (!dev.ok()) return fail(dev.status());
  auto stream = Stream::Create();
  if (!stream.ok()) return fail(stream.status());
  auto copy = MeasureCopyBandwidth(stream->get(), o.copy_bytes, o.timing);
  if (!copy.ok()) return fail(copy.status());
  json d = {{"kind", "device"},
            {"name", dev->name},
            {"compute_capability", absl::StrCat(dev->cc_major, ".", dev->cc_minor)},
            {"sm_count", dev->sm_count},
            {"memory_gib", Sig(dev->memory_gib)},
            {"copy_bytes", copy->bytes},
            {"copy_median_us", Sig(copy->median_us, 5)},
            {"copy_gbs", Sig(copy->gbs)},
            {"copy_gbs_formula", "2*copy_bytes/time: a device-to-device cudaMemcpy reads and writes each byte"}};
  if (o.spec_gbs > 0) d["spec_gbs"] = o.spec_gbs;
  d["timing"] = {{"clock", "cuda events"},
                 {"warmup", o.timing.warmup},
                 {"reps", o.timing.reps},
                 {"statistic", "median"},
                 {"l2_flush_bytes", o.timing.flush_bytes}};
  if (kEmulated) d["note"] = "the CUDA emulator: times are the host's, meaningless for a GPU";
  Print(d);

  bool ok = true;
  if (o.kernels) {
    auto k = RunKernels(o, *config, model_name, *dev, *copy, *stream);
    if (!k.ok()) return fail(k.status());
    ok = *k;
  }
  if (o.model) {
    ModelBenchOptions mo;
    mo.model_dir = o.model_dir;
    mo.config_path = o.config_path;
    mo.scratch_dir = o.scratch;
    mo.device = o.device;
    mo.seed = o.seed;
    mo.prompt = o.prompt;
    mo.prefill_reps = o.prefill_reps;
    mo.batches = o.batches;
    mo.context = o.context;
    mo.warmup = o.timing.warmup;
    mo.steps = o.steps;
    mo.block_size = o.block_size;
    mo.kv_f16 = o.kv_f16;
    mo.gemv_max_tokens = o.gemv_max_tokens;
    mo.decode_graphs = o.graphs;
    mo.copy_gbs = copy->gbs;
    mo.spec_gbs = o.spec_gbs;
    absl::Status s = RunModelBench(mo, [&](json fields) {
      json line = {{"kind", fields["kind"]}, {"model", model_name}};
      for (const auto& [k, v] : fields.items()) line[k] = v;
      Print(line);
    });
    if (!s.ok()) return fail(s);
  }
  if (!ok) {
    std::fprintf(stderr, "%s: a kernel's output failed its check (see the line with \"ok\":false)\n", kTool);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace switchyard::cuda::bench

int main(int argc, char** argv) { return switchyard::cuda::bench::Run(argc, argv); }
