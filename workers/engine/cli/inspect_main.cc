// switchyard-inspect: loads a model directory (showing progress), prints what it holds, and
// tokenizes a text with its tokenizer: a quick check that a checkpoint is usable.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/command_line.h"
#include "base/progress_bar.h"
#include "workers/engine/backend/cuda/cuda_device.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/model/qwen3_tensors.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard-inspect";
constexpr char kUsage[] =
    "usage: switchyard-inspect --model DIR [--text TEXT] [--plain-text]\n"
    "Loads the model (config, weights, tokenizer), prints its shape, and tokenizes TEXT.\n"
    "--plain-text treats special-token literals in TEXT as ordinary text.\n";

// A token's text for display: control characters escaped, partial UTF-8 shown as bytes.
std::string Printable(absl::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20) out += absl::StrCat("\\x", absl::Hex(c, absl::kZeroPad2));
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

int Run(int argc, char** argv) {
  CommandLine args({"model", "text"}, {"plain-text", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto dir = args.Required("model");
  if (!dir.ok()) return UsageError(kTool, dir.status(), kUsage);
  ProgressBar bar;
  const auto t0 = std::chrono::steady_clock::now();
  auto model = LoadModel(*dir, LoadOptions{.progress = bar.Callback(), .prefault = true});
  if (!model.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(model.status().message()).c_str());
    return 1;
  }
  auto tok = Tokenizer::Load((*model)->tokenizer_json_path());
  if (!tok.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(tok.status().message()).c_str());
    return 1;
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const ModelConfig& c = (*model)->config();
  std::map<std::string, int> dtypes;
  for (const ExpectedTensor& e : ExpectedQwen3Tensors(c)) ++dtypes[std::string(DTypeName((*model)->Tensor(e.name).dtype))];
  std::string dtype_list;
  for (const auto& [name, n] : dtypes) absl::StrAppend(&dtype_list, dtype_list.empty() ? "" : ", ", n, " ", name);
  std::printf("model        %s (%s)\n", (*model)->dir().c_str(), c.architecture_name.c_str());
  std::printf("shape        %lld layers, hidden %lld, %lld heads / %lld kv heads x %lld, ", static_cast<long long>(c.num_hidden_layers),
              static_cast<long long>(c.hidden_size), static_cast<long long>(c.num_attention_heads),
              static_cast<long long>(c.num_key_value_heads), static_cast<long long>(c.head_dim));
  if (c.architecture == Architecture::kQwen3Moe) {
    std::printf("%lld experts (top %lld) x %lld\n", static_cast<long long>(c.num_experts),
                static_cast<long long>(c.num_experts_per_tok), static_cast<long long>(c.moe_intermediate_size));
  } else {
    std::printf("ffn %lld\n", static_cast<long long>(c.intermediate_size));
  }
  std::printf("vocab        %lld rows, %s embeddings, rope theta %g, context %lld\n", static_cast<long long>(c.vocab_size),
              c.tie_word_embeddings ? "tied" : "untied", c.rope_theta, static_cast<long long>(c.max_position_embeddings));
  std::printf("weights      %lld params, %s in %s (%s)\n", static_cast<long long>((*model)->parameter_count()),
              HumanBytes(static_cast<double>((*model)->weight_bytes())).c_str(),
              absl::StrJoin((*model)->weight_files(), ", ").c_str(), dtype_list.c_str());
  if (!(*model)->ignored_tensors().empty()) {
    std::printf("ignored      %zu tensors not used by Qwen3: %s\n", (*model)->ignored_tensors().size(),
                absl::StrJoin((*model)->ignored_tensors(), ", ").c_str());
  }
  const GenerationConfig& g = (*model)->generation_config();
  std::printf("sampling     %s, temperature %g, top_k %lld, top_p %g, eos %s\n", g.do_sample ? "sample" : "greedy",
              g.temperature, static_cast<long long>(g.top_k), g.top_p, absl::StrJoin(g.eos_token_ids, ",").c_str());
  std::printf("tokenizer    %d ids, %zu added tokens, pre-tokenizer %s, chat template %zu bytes\n", (*tok)->id_limit(),
              (*tok)->added_tokens().size(), std::string((*tok)->pre_tokenizer_name()).c_str(),
              (*model)->tokenizer_config().chat_template.size());
  std::printf("loaded in    %.2f s\n", load_s);
  if (auto gpus = CudaDevices(); gpus.ok()) {
    for (const CudaDeviceInfo& d : *gpus) {
      std::printf("cuda         #%d %s, sm_%d%d, %s\n", d.index, d.name.c_str(), d.compute_major, d.compute_minor,
                  HumanBytes(static_cast<double>(d.memory_bytes)).c_str());
    }
  } else {
    std::printf("cuda         %s\n", std::string(gpus.status().message()).c_str());
  }
  if (auto text = args.Get("text")) {
    auto ids = (*tok)->Encode(*text, {.parse_special = !args.Has("plain-text")});
    if (!ids.ok()) {
      std::fprintf(stderr, "%s: --text: %s\n", kTool, std::string(ids.status().message()).c_str());
      return 1;
    }
    std::printf("\ntext         %zu bytes -> %zu tokens\n", text->size(), ids->size());
    for (int32_t id : *ids) {
      std::printf("  %6d  %s%s\n", id, Printable((*tok)->TokenBytes(id)).c_str(), (*tok)->IsSpecial(id) ? "   (special)" : "");
    }
    std::printf("decodes back %s\n", (*tok)->Decode(*ids) == *text ? "exactly" : "to the NFC form of the text");
  }
  return 0;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
