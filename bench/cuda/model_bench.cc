#include "bench/cuda/model_bench.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "bench/cuda/bench_device.h"
#include "workers/engine/backend/cuda/runner/cuda_runner.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/model/decode_cost.h"
#include "workers/engine/model/model_config.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/model/model_writer.h"

namespace switchyard::cuda::bench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }
// A fresh directory under `parent`, removed with its contents on destruction.
class TempDir {
 public:
  static absl::StatusOr<TempDir> Create(const std::string& parent) {
    std::string tmpl = (fs::path(parent) / "switchyard-cuda-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("cannot create a directory under ", parent, " for the random weights"));
    }
    TempDir d;
    d.path_ = tmpl;
    return d;
  }
  TempDir() = default;
  TempDir(TempDir&& o) noexcept : path_(std::exchange(o.path_, std::string())) {}
  TempDir& operator=(TempDir&& o) noexcept {
    std::swap(path_, o.path_);
    return *this;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ConfigFile(const std::string& arg) {
  return arg.size() >= 5 && arg.substr(arg.size() - 5) == ".json" ? arg : arg + "/config.json";
}

// Random bf16 weights of `config_path`'s shape in `dir`/model. The writer copies tokenizer files
// beside the weights; the runner needs none, so two empty JSON objects stand in for them.
absl::StatusOr<std::string> WriteRandomWeights(const std::string& config_path, const std::string& dir, uint64_t seed) {
  const std::string path = ConfigFile(config_path);
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto c = ParseModelConfig(*text, path);
  if (!c.ok()) return c.status();
  ModelShape shape;
  shape.experts = c->num_experts;  // 0: dense
  shape.top_k = c->num_experts_per_tok;
  shape.moe_ffn = c->moe_intermediate_size;
  shape.hidden = c->hidden_size;
  shape.layers = c->num_hidden_layers;
  shape.heads = c->num_attention_heads;
  shape.kv_heads = c->num_key_value_heads;
  shape.head_dim = c->head_dim;
  shape.ffn = c->intermediate_size;
  shape.tied = c->tie_word_embeddings;
  shape.vocab = c->vocab_size;
  shape.max_position_embeddings = c->max_position_embeddings;
  shape.rope_theta = c->rope_theta;
  shape.rms_norm_eps = c->rms_norm_eps;
  const std::string tok = dir + "/tokenizer", out = dir + "/model";
  std::error_code ec;
  fs::create_directories(tok, ec);
  if (ec) return absl::InternalError(absl::StrCat(tok, ": ", ec.message()));
  for (const char* f : {"tokenizer.json", "tokenizer_config.json"}) {
    std::ofstream out_file(tok + "/" + f);
    out_file << "{}\n";
    if (!out_file.flush()) return absl::InternalError(absl::StrCat("cannot write ", tok, "/", f));
  }
  ModelWriteOptions o;
  o.out_dir = out;
  o.shape = shape;
  o.seed = seed;
  o.dtype = DType::kBF16;
  o.tokenizer_dir = tok;
  if (absl::Status s = WriteRandomModel(o); !s.ok()) return s;
  return out;
}

// FLOPs of a prefill of P tokens: 2 per multiply-add of every layer's projections for each
// token, causal attention (4 * heads * head_dim per (token, earlier position), (P + 1) / 2
// positions on average), and the LM head for the one row whose logits are wanted.
double PrefillFlops(const ModelConfig& c, int64_t P) {
  const double h = static_cast<double>(c.hidden_size), qd = static_cast<double>(c.num_attention_heads * c.head_dim);
  const double kvd = static_cast<double>(c.num_key_value_heads * c.head_dim),
               f = static_cast<double>(c.intermediate_size);
  const double per_layer_params = h * qd + 2 * h * kvd + qd * h + 3 * h * f;
  const double L = static_cast<double>(c.num_hidden_layers), p = static_cast<double>(P);
  return 2 * per_layer_params * L * p + 4 * qd * L * p * (p + 1) / 2 + 2 * static_cast<double>(c.vocab_size) * h;
}

absl::Status CheckFinite(const std::vector<float>& logits, size_t n, const char* what) {
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(logits[i])) {
      return absl::InternalError(
          absl::StrCat(what, ": logit ", i, " is ", logits[i], ": the runner's output is broken"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunModelBench(const ModelBenchOptions& o, const std::function<void(json)>& emit) {
  if (o.prompt < 1 || o.context < 0 || o.steps < 1 || o.warmup < 0 || o.prefill_reps < 1 || o.batches.empty()) {
    return absl::InvalidArgumentError(
        "model bench: prompt, steps and prefill reps must be >= 1, context and warmup >= 0");
  }
  // Weights: a checkpoint, or random ones in a temporary directory (kept until the end: the
  // loaded model maps its files).
  TempDir scratch;
  std::string dir = o.model_dir, source = "checkpoint";
  const auto write_start = Clock::now();
  double write_s = 0;
  if (dir.empty()) {
    auto t = TempDir::Create(o.scratch_dir);
    if (!t.ok()) return t.status();
    scratch = std::move(*t);
    auto written = WriteRandomWeights(o.config_path, scratch.path(), o.seed);
    if (!written.ok()) return written.status();
    dir = *written;
    source = "random bf16 weights of " + ConfigFile(o.config_path);
    write_s = Seconds(write_start);
  }
  const auto load_start = Clock::now();
  auto model = LoadModel(dir, LoadOptions{.progress = nullptr, .prefault = true});
  if (!model.ok()) return model.status();
  const double load_s = Seconds(load_start);
  const ModelConfig& c = (*model)->config();

  const int64_t max_batch = *std::max_element(o.batches.begin(), o.batches.end());
  const int64_t bs = o.block_size;
  const int64_t decode_len = o.context + o.warmup + o.steps + 1;
  CudaRunnerOptions ro;
  ro.device = o.device;
  ro.block_size = bs;
  ro.kv_f16 = o.kv_f16;
  ro.max_tokens = std::max(o.prompt, max_batch);
  ro.gemv_max_tokens = o.gemv_max_tokens;
  ro.decode_graphs = o.decode_graphs;
  ro.kv_blocks = std::max((o.prompt + bs - 1) / bs, max_batch * ((decode_len + bs - 1) / bs)) + 1;
  const auto upload_start = Clock::now();
  auto runner = CudaRunner::Create(**model, ro);
  if (!runner.ok()) return runner.status();
  CudaRunner& r = **runner;
  const double upload_s = Seconds(upload_start);
  // Bookkeeping only: the K/V data lives in the runner's device cache (cuda_runner.h).
  auto pool = KvBlockPool::Create(r.kv_shape(), r.kv_blocks(), KvMemory::kNone);
  if (!pool.ok()) return pool.status();

  json m = {{"kind", "model"},
            {"source", source},
            {"architecture", c.architecture_name},
            {"layers", c.num_hidden_layers},
            {"hidden", c.hidden_size},
            {"vocab", c.vocab_size},
            {"parameters", (*model)->parameter_count()},
            {"weight_bytes", (*model)->weight_bytes()},
            {"kv_cache", o.kv_f16 ? "f16" : "f32"},
            {"kv_blocks", r.kv_blocks()},
            {"block_size", bs}};
  if (!o.model_dir.empty()) m["dir"] = o.model_dir;
  if (write_s > 0) m["write_s"] = Sig(write_s);
  m["load_s"] = Sig(load_s);
  m["upload_s"] = Sig(upload_s);
  emit(m);

  Rng rng(o.seed ^ 0x5eedull);
  const int64_t V = c.vocab_size;
  auto random_tokens = [&](int64_t n) {
    std::vector<int32_t> t(static_cast<size_t>(n));
    for (int32_t& x : t) x = static_cast<int32_t>(rng.Below(V));
    return t;
  };

  // Prefill: one sequence of `prompt` tokens per Forward, logits of the last one.
  {
    const std::vector<int32_t> prompt = random_tokens(o.prompt);
    std::vector<float> logits(static_cast<size_t>(V));
    std::vector<double> ms;
    for (int rep = -1; rep < o.prefill_reps; ++rep) {  // rep -1: warm-up
      KvSequence seq(pool->get());
      SequenceChunk chunk{&seq, prompt, /*all_logits=*/false};
      const auto start = Clock::now();
      if (absl::Status s = r.Forward({&chunk, 1}, logits.data()); !s.ok()) return s;
      if (rep >= 0) ms.push_back(Seconds(start) * 1e3);
    }
    if (absl::Status s = CheckFinite(logits, logits.size(), "prefill"); !s.ok()) return s;
    const double med = Median(ms), flops = PrefillFlops(c, o.prompt);
    json p = {{"kind", "prefill"},
              {"prompt", o.prompt},
              {"reps", o.prefill_reps},
              {"median_ms", Sig(med, 5)},
              {"min_ms", Sig(*std::min_element(ms.begin(), ms.end()), 5)},
              {"tok_s", Sig(static_cast<double>(o.prompt) / (med / 1e3))},
              {"flops", flops},
              {"flops_formula", "2*layer_params*layers*P + 4*heads*head_dim*layers*P*(P+1)/2 + 2*vocab*hidden"},
              {"tflops", Sig(flops / (med / 1e3) / 1e12)},
              {"logits_finite", true}};
    emit(p);
  }

  // Decode: B sequences with `context` positions cached, one token each per step.
  for (int64_t B : o.batches) {
    if (B < 1) return absl::InvalidArgumentError("batch sizes must be >= 1");
    std::vector<std::unique_ptr<KvSequence>> seqs;
    for (int64_t b = 0; b < B; ++b) {
      seqs.push_back(std::make_unique<KvSequence>(pool->get()));
      const std::vector<int32_t> context = random_tokens(o.context);
      for (int64_t at = 0; at < o.context; at += ro.max_tokens) {
        const int64_t n = std::min(ro.max_tokens, o.context - at);
        SequenceChunk chunk{seqs.back().get(),
                            absl::MakeConstSpan(context).subspan(static_cast<size_t>(at), static_cast<size_t>(n)),
                            false, /*want_logits=*/false};
        if (absl::Status s = r.Forward({&chunk, 1}, nullptr); !s.ok()) return s;
      }
    }
    std::vector<float> logits(static_cast<size_t>(B * V));
    std::vector<int32_t> next(static_cast<size_t>(B));
    std::vector<SequenceChunk> chunks(static_cast<size_t>(B));
    std::vector<double> ms;
    const int64_t graphs_before = r.graphs_captured(), replays_before = r.graph_replays();
    for (int step = 0; step < o.warmup + o.steps; ++step) {
      for (int64_t b = 0; b < B; ++b) {
        next[b] = static_cast<int32_t>(rng.Below(V));
        chunks[b] = SequenceChunk{seqs[b].get(), absl::MakeConstSpan(&next[b], 1), false, true};
      }
      const auto start = Clock::now();
      if (absl::Status s = r.Forward(chunks, logits.data()); !s.ok()) return s;
      if (step >= o.warmup) ms.push_back(Seconds(start) * 1e3);
    }
    if (absl::Status s = CheckFinite(logits, logits.size(), "decode"); !s.ok()) return s;
    const double med = Median(ms);
    // The timed steps' mean context: positions cached before each timed step, averaged.
    const int64_t mean_context = o.context + o.warmup + (o.steps - 1) / 2;
    DecodeCostOptions co;
    co.batch = B;
    co.context = mean_context;
    co.weight_bytes = 2;
    co.kv_bytes = o.kv_f16 ? 2 : 4;
    co.act_bytes = 4;  // the runner's activations are f32
    co.logit_bytes = 4;
    auto cost = ComputeDecodeCost(c, co);
    if (!cost.ok()) return cost.status();
    json d = {{"kind", "decode"},
              {"batch", B},
              {"path", B <= o.gemv_max_tokens ? "gemv" : "gemm_bf16x2"},
              {"context_start", o.context},
              {"context_mean", mean_context},
              {"warmup", o.warmup},
              {"steps", o.steps},
              {"median_ms", Sig(med, 5)},
              {"min_ms", Sig(*std::min_element(ms.begin(), ms.end()), 5)},
              {"tok_s_total", Sig(static_cast<double>(B) / (med / 1e3))},
              {"tok_s_per_seq", Sig(1e3 / med)},
              {"graphs_captured", r.graphs_captured() - graphs_before},
              {"graph_replays", r.graph_replays() - replays_before},
              {"logits_to_host_bytes", B * V * 4},
              {"predicted_bytes", std::llround(cost->bytes())},
              {"predicted_bytes_formula",
               "DecodeCost (model/decode_cost.h) at context_mean: bf16 weights, the KV cache at its element size, f32 "
               "activations and logits"}};
    if (o.copy_gbs > 0) {
      const double pred = cost->bytes() / (o.copy_gbs * 1e9) * 1e3;
      d["predicted_ms_at_copy_bw"] = Sig(pred);
      d["roofline_fraction_copy"] = Sig(pred / med);
    }
    if (o.spec_gbs > 0) {
      const double pred = cost->bytes() / (o.spec_gbs * 1e9) * 1e3;
      d["predicted_ms_at_spec_bw"] = Sig(pred);
      d["roofline_fraction_spec"] = Sig(pred / med);
    }
    d["logits_finite"] = true;
    emit(d);
  }
  return absl::OkStatus();
}

}  // namespace switchyard::cuda::bench
