// switchyard-generate: runs a Qwen3 model on one prompt on the CPU (or a CUDA GPU with --device
// cuda) and streams the answer, or with --json prints one document with the prompt and generated
// ids, each step's top logits and the text (the form the fixture comparisons use).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/command_line.h"
#include "base/progress_bar.h"
#include "nlohmann/json.hpp"
#include "workers/engine/cli/generate_input.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/model_runner_factory.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard-generate";
constexpr char kUsage[] =
    "usage: switchyard-generate --model DIR (--prompt TEXT | --messages FILE.json) [--chat]\n"
    "         [--max-tokens N] [--temperature T] [--top-p P] [--top-k K] [--min-p P] [--seed S]\n"
    "         [--repetition-penalty R] [--presence-penalty P] [--frequency-penalty F] [--stop TEXT]\n"
    "         [--enable-thinking true|false] [--threads N] [--kv-cache-tokens N] [--json]\n"
    "         [--force-tokens ID,ID,...] [--plain-text] [--weights ram|mmap] [--device cpu|cuda]\n"
    "Streams the generated text to stdout. --chat wraps --prompt as one user message in the\n"
    "model's chat template; --messages takes an OpenAI-style message list and implies --chat.\n"
    "Sampling defaults come from the model's generation_config.json; --temperature 0 is greedy.\n"
    "--json prints {prompt_tokens, tokens, steps: [{token, top: [{id, logit, prob}]}], text}.\n"
    "--force-tokens feeds the given ids instead of sampling (teacher forcing).\n"
    "--device cuda runs on the first visible GPU (weights copied to it once; --weights defaults to\n"
    "mmap there) and refuses --threads, a CPU setting; the default is --device cpu.\n";

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
  return 1;
}

int Run(int argc, char** argv) {
  CommandLine args({"model", "prompt", "messages", "max-tokens", "temperature", "top-p", "top-k", "min-p", "seed",
             "repetition-penalty", "presence-penalty", "frequency-penalty", "stop", "threads", "kv-cache-tokens",
             "force-tokens", "enable-thinking", "weights", "device"},
            {"chat", "json", "plain-text", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto dir = args.Required("model");
  if (!dir.ok()) return UsageError(kTool, dir.status(), kUsage);
  if (args.Has("prompt") == args.Has("messages")) {
    return UsageError(kTool, absl::InvalidArgumentError("give exactly one of --prompt and --messages"), kUsage);
  }
  auto threads = args.IntOr("threads", 0, 0, 1024);
  auto max_tokens = args.IntOr("max-tokens", -1, 1, 1 << 20);
  auto top_k = args.IntOr("top-k", -1, 0, 1 << 20);
  auto seed = args.IntOr("seed", 0, 0, INT64_MAX);
  auto kv_tokens = args.IntOr("kv-cache-tokens", 0, 0, 1 << 24);
  for (const absl::Status& s : {threads.status(), max_tokens.status(), top_k.status(), seed.status(), kv_tokens.status()}) {
    if (!s.ok()) return UsageError(kTool, s, kUsage);
  }
  const bool json = *args.Switch("json");
  auto device = ParseDevice(args.GetOr("device", "cpu"));
  if (!device.ok()) return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--device: ", device.status().message())), kUsage);
  if (*device == Device::kCuda && args.Has("threads")) {
    return UsageError(kTool, absl::InvalidArgumentError("--threads applies to --device cpu only (the CUDA runner runs on the GPU)"),
                      kUsage);
  }
  // Before loading gigabytes of weights: can this binary, on this machine, use the device?
  if (absl::Status s = CheckDevice(*device); !s.ok()) {
    return Fail(absl::Status(s.code(), absl::StrCat("--device ", DeviceName(*device), ": ", s.message(), "; use --device cpu")));
  }

  ProgressBar bar;
  // On CUDA the host copy only feeds the one upload to the device: mapping the file suffices.
  const std::string weights = args.GetOr("weights", *device == Device::kCuda ? "mmap" : "ram");
  if (weights != "ram" && weights != "mmap") {
    return UsageError(kTool, absl::InvalidArgumentError("--weights: use ram or mmap"), kUsage);
  }
  auto model = LoadModel(*dir, LoadOptions{.progress = json ? nullptr : bar.Callback(), .prefault = true,
                                           .memory = weights == "ram" ? WeightMemory::kHugePages : WeightMemory::kMapped});
  if (!model.ok()) return Fail(model.status());
  auto tok = Tokenizer::Load((*model)->tokenizer_json_path());
  if (!tok.ok()) return Fail(tok.status());

  GenerateOptions go;
  go.sampling = SamplingParams::FromGenerationConfig((*model)->generation_config());
  struct F {
    const char* flag;
    float* field;
  };
  for (const F& f : {F{"temperature", &go.sampling.temperature}, {"top-p", &go.sampling.top_p}, {"min-p", &go.sampling.min_p},
                     {"repetition-penalty", &go.sampling.repetition_penalty},
                     {"presence-penalty", &go.sampling.presence_penalty},
                     {"frequency-penalty", &go.sampling.frequency_penalty}}) {
    auto v = args.DoubleOr(f.flag, *f.field);
    if (!v.ok()) return UsageError(kTool, v.status(), kUsage);
    *f.field = static_cast<float>(*v);
  }
  if (*top_k >= 0) go.sampling.top_k = static_cast<int32_t>(*top_k);
  if (*max_tokens > 0) go.sampling.max_tokens = static_cast<int32_t>(*max_tokens);
  go.sampling.seed = static_cast<uint64_t>(*seed);
  if (auto stop = args.Get("stop")) go.sampling.stop_strings.push_back(*stop);
  if (auto forced = args.Get("force-tokens")) {
    for (absl::string_view part : absl::StrSplit(*forced, ',', absl::SkipWhitespace())) {
      int32_t id;
      if (!absl::SimpleAtoi(part, &id)) {
        return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--force-tokens: '", part, "' is not a token id")), kUsage);
      }
      go.force_tokens.push_back(id);
    }
    if (*max_tokens < 0) go.sampling.max_tokens = static_cast<int32_t>(std::max<size_t>(1, go.force_tokens.size()));
  }
  if (absl::Status s = go.sampling.Validate(); !s.ok()) return UsageError(kTool, s, kUsage);

  auto prompt = BuildPromptTokens(args, **model, **tok);
  if (!prompt.ok()) return Fail(prompt.status());

  // Enough cache for this request by default: prompt + answer, rounded up to whole blocks.
  const int64_t want = *kv_tokens > 0 ? *kv_tokens : static_cast<int64_t>(prompt->size()) + go.sampling.max_tokens + 16;
  const int64_t blocks = (std::min(want, (*model)->config().max_position_embeddings) + 15) / 16;
  DeviceOptions dev;
  dev.device = *device;
  dev.cpu.threads = static_cast<int>(*threads);
  dev.kv_blocks = blocks;  // the CUDA runner allocates its device cache now
  auto runner = MakeModelRunner(**model, dev);
  if (!runner.ok()) return Fail(runner.status());
  auto pool = MakeKvPool(**runner, KvPoolSpec{ModelKvShape((*runner)->config(), 16, DType::kF32), blocks});
  if (!pool.ok()) return Fail(pool.status());
  Generator gen(**runner, **tok, **pool);

  const auto t0 = std::chrono::steady_clock::now();
  nlohmann::json steps = nlohmann::json::array();
  auto result = gen.Generate(*prompt, go, [&](const GenerationStep& s) {
    if (json) {
      nlohmann::json top = nlohmann::json::array();
      for (const TokenLogit& t : s.top) top.push_back({{"id", t.id}, {"logit", t.logit}, {"prob", t.prob}});
      steps.push_back({{"token", s.token}, {"top", top}});
    } else {
      std::fwrite(s.text.data(), 1, s.text.size(), stdout);
      std::fflush(stdout);
    }
  });
  if (!result.ok()) return Fail(result.status());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (json) {
    nlohmann::json out = {{"prompt_tokens", result->prompt_tokens}, {"tokens", result->tokens}, {"steps", steps},
                          {"text", result->text}, {"finish_reason", result->finish_reason}};
    std::puts(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("\n");
    std::fprintf(stderr, "[%zu prompt tokens, %zu generated in %.2f s, finish: %s]\n", result->prompt_tokens.size(),
                 result->tokens.size(), secs, result->finish_reason.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
