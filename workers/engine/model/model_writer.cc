#include "workers/engine/model/model_writer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "workers/engine/model/model_config.h"
#include "workers/engine/model/qwen3_tensors.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int64_t kChunk = int64_t{1} << 20;  // elements per PRNG stream

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t Fnv1a(absl::string_view s, uint64_t h = 0xcbf29ce484222325ull) {
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return h;
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& w : s_) w = SplitMix64(seed);
  }
  uint64_t Next() {
    const uint64_t r = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return r;
  }
  // Irwin-Hall(4) rescaled to mean 0, variance 1: cheap, bounded, near-normal.
  float Normal() {
    const uint64_t a = Next(), b = Next();
    const double u = static_cast<double>(a >> 32) + static_cast<double>(a & 0xffffffffu) +
                     static_cast<double>(b >> 32) + static_cast<double>(b & 0xffffffffu);
    return static_cast<float>((u * 0x1p-32 - 2.0) * 1.7320508075688772);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// How a tensor's values are drawn: mean + std * N(0, 1).
struct Init {
  float mean, std;
};

Init InitFor(const std::string& name, const std::vector<int64_t>& shape, const ModelShape& s) {
  if (name == "model.embed_tokens.weight") return {0.0f, 0.02f};
  if (name == "model.norm.weight") {
    const float gain = 4.0f / (std::sqrt(static_cast<float>(s.hidden)) * 0.02f);
    return {gain, 0.1f * gain};
  }
  if (shape.size() == 1) return {1.0f, 0.1f};  // RMSNorm weights
  return {0.0f, 1.0f / std::sqrt(static_cast<float>(shape[1]))};
}

// Values of elements [begin, end) of one tensor, in f32.
void Fill(uint64_t seed, const std::string& stream_name, Init init, int64_t chunk, float* out, int64_t n) {
  Rng rng(SplitMix64(seed) ^ Fnv1a(stream_name) ^ (static_cast<uint64_t>(chunk) * 0xD1B54A32D192ED03ull));
  for (int64_t i = 0; i < n; ++i) out[i] = init.mean + init.std * rng.Normal();
}

struct PlannedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::string stream;  // whose values: lm_head copies the embedding's
  Init init;
  int64_t numel;
};

// A JSON number as JavaScript's Number.prototype.toString spells it (1e-6 is "0.000001",
// 1e6 is "1000000"), so our config files are byte-for-byte those of the oracle's fixtures.
std::string JsNumber(double v) {
  if (v == 0) return "0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  if (ec != std::errc()) return "0";
  const std::string sci(buf, end);  // "-1.2345e-06": shortest digits that round-trip
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e_pos; ++i) {
    if (std::isdigit(static_cast<unsigned char>(sci[i]))) digits.push_back(sci[i]);
  }
  const int n = std::atoi(sci.c_str() + e_pos + 1) + 1;  // value = 0.digits * 10^n
  const int k = static_cast<int>(digits.size());
  const std::string sign = v < 0 ? "-" : "";
  if (k <= n && n <= 21) return sign + digits + std::string(static_cast<size_t>(n - k), '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  if (-6 < n && n <= 0) return sign + "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  const std::string mant = k == 1 ? digits : digits.substr(0, 1) + "." + digits.substr(1);
  return absl::StrCat(sign, mant, "e", n - 1 >= 0 ? "+" : "-", std::abs(n - 1));
}

// JSON.stringify(value, null, 2) with keys sorted, as the oracle and save_pretrained write
// config files (nlohmann's objects are sorted maps; only number spelling differs).
void PrettyJson(const json& v, int depth, std::string* out) {
  const std::string pad(static_cast<size_t>(2 * (depth + 1)), ' ');
  const std::string close(static_cast<size_t>(2 * depth), ' ');
  if (v.is_object() || v.is_array()) {
    if (v.empty()) {
      out->append(v.is_object() ? "{}" : "[]");
      return;
    }
    out->append(v.is_object() ? "{\n" : "[\n");
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out->append(",\n");
      first = false;
      out->append(pad);
      if (v.is_object()) absl::StrAppend(out, json(it.key()).dump(), ": ");
      PrettyJson(*it, depth + 1, out);
    }
    absl::StrAppend(out, "\n", close, v.is_object() ? "}" : "]");
  } else if (v.is_number_float()) {
    out->append(JsNumber(v.get<double>()));
  } else {
    out->append(v.dump());
  }
}

std::string PrettyJson(const json& v) {
  std::string out;
  PrettyJson(v, 0, &out);
  out.push_back('\n');
  return out;
}

json ConfigJson(const ModelShape& s, DType dtype) {
  json c;
  const bool moe = s.experts > 0;
  c["architectures"] = json::array({moe ? "Qwen3MoeForCausalLM" : "Qwen3ForCausalLM"});
  c["attention_bias"] = false;
  c["attention_dropout"] = 0;
  c["bos_token_id"] = 151643;
  c["eos_token_id"] = 151645;
  c["head_dim"] = s.head_dim;
  c["hidden_act"] = "silu";
  c["hidden_size"] = s.hidden;
  c["initializer_range"] = 0.02;
  c["intermediate_size"] = s.ffn;
  c["max_position_embeddings"] = s.max_position_embeddings;
  c["max_window_layers"] = s.layers;
  c["model_type"] = moe ? "qwen3_moe" : "qwen3";
  c["num_attention_heads"] = s.heads;
  c["num_hidden_layers"] = s.layers;
  c["num_key_value_heads"] = s.kv_heads;
  c["rms_norm_eps"] = s.rms_norm_eps;
  c["rope_scaling"] = nullptr;
  c["rope_theta"] = s.rope_theta;
  c["sliding_window"] = nullptr;
  c["tie_word_embeddings"] = s.tied;
  c["torch_dtype"] = dtype == DType::kF32 ? "float32" : "bfloat16";
  c["transformers_version"] = "4.51.0";
  c["use_cache"] = true;
  c["use_sliding_window"] = false;
  c["vocab_size"] = s.vocab;
  if (moe) {
    c["decoder_sparse_step"] = 1;
    c["mlp_only_layers"] = json::array();
    c["moe_intermediate_size"] = s.moe_ffn;
    c["norm_topk_prob"] = true;
    c["num_experts"] = s.experts;
    c["num_experts_per_tok"] = s.top_k;
    c["output_router_logits"] = false;
    c["router_aux_loss_coef"] = 0.001;
  }
  return c;  // nlohmann's object is a std::map: keys come out sorted
}

absl::Status WriteSmallFile(const std::string& path, absl::string_view bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return absl::InternalError(absl::StrCat(tmp, ": cannot write"));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat(path, ": cannot rename into place: ", ec.message()));
  return absl::OkStatus();
}

class Writer {
 public:
  explicit Writer(const ModelWriteOptions& o) : o_(o) {
    threads_ = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  }

  absl::Status WriteShard(const std::string& path, const std::vector<const PlannedTensor*>& tensors) {
    const size_t esize = DTypeSize(o_.dtype);
    json header;
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const PlannedTensor* t : tensors) {
      const uint64_t bytes = static_cast<uint64_t>(t->numel) * esize;
      header[t->name] = {{"dtype", std::string(DTypeName(o_.dtype))}, {"shape", t->shape}, {"data_offsets", {offset, offset + bytes}}};
      offset += bytes;
    }
    std::string h = header.dump();
    while ((h.size() + 8) % 8 != 0) h.push_back(' ');  // data section aligned to 8, as safetensors writes
    const std::string tmp = path + ".tmp";
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(tmp.c_str(), "wb"), &std::fclose);
    if (!f) return absl::InternalError(absl::StrCat(tmp, ": cannot create: ", std::strerror(errno)));
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(h.size()) >> (8 * i));
    if (std::fwrite(len, 1, 8, f.get()) != 8 || std::fwrite(h.data(), 1, h.size(), f.get()) != h.size()) {
      return absl::InternalError(absl::StrCat(tmp, ": write failed: ", std::strerror(errno)));
    }
    for (const PlannedTensor* t : tensors) {
      if (auto s = WriteTensor(*t, f.get(), tmp); !s.ok()) return s;
    }
    if (std::fflush(f.get()) != 0) return absl::InternalError(absl::StrCat(tmp, ": write failed: ", std::strerror(errno)));
    f.reset();
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return absl::InternalError(absl::StrCat(path, ": cannot rename into place: ", ec.message()));
    return absl::OkStatus();
  }

  uint64_t total_bytes = 0;

 private:
  // Generates chunks in parallel batches (one chunk per thread) and writes them in order.
  absl::Status WriteTensor(const PlannedTensor& t, std::FILE* f, const std::string& path) {
    const int64_t chunks = (t.numel + kChunk - 1) / kChunk;
    std::vector<std::vector<float>> vals(static_cast<size_t>(threads_));
    std::vector<std::vector<uint8_t>> bytes(static_cast<size_t>(threads_));
    for (int64_t first = 0; first < chunks; first += threads_) {
      const int64_t batch = std::min<int64_t>(threads_, chunks - first);
      auto work = [&](int64_t k) {
        const int64_t c = first + k;
        const int64_t n = std::min(kChunk, t.numel - c * kChunk);
        auto& v = vals[static_cast<size_t>(k)];
        v.resize(static_cast<size_t>(n));
        Fill(o_.seed, t.stream, t.init, c, v.data(), n);
        auto& b = bytes[static_cast<size_t>(k)];
        b.resize(static_cast<size_t>(n) * DTypeSize(o_.dtype));
        if (o_.dtype == DType::kF32) {
          std::memcpy(b.data(), v.data(), b.size());
        } else {
          for (int64_t i = 0; i < n; ++i) {
            const uint16_t h = F32ToBf16(v[static_cast<size_t>(i)]);
            std::memcpy(b.data() + 2 * i, &h, 2);
          }
        }
      };
      std::vector<std::thread> pool;
      for (int64_t k = 1; k < batch; ++k) pool.emplace_back(work, k);
      work(0);
      for (std::thread& th : pool) th.join();
      for (int64_t k = 0; k < batch; ++k) {
        const auto& b = bytes[static_cast<size_t>(k)];
        if (std::fwrite(b.data(), 1, b.size(), f) != b.size()) {
          return absl::InternalError(absl::StrCat(path, ": write failed: ", std::strerror(errno)));
        }
        done_ += b.size();
      }
      if (o_.progress) o_.progress(ProgressEvent{"writing weights", done_, total_bytes, "B", false});
    }
    return absl::OkStatus();
  }

  const ModelWriteOptions& o_;
  int threads_;
  uint64_t done_ = 0;
};

absl::Status CheckShape(const ModelShape& s) {
  auto bad = [](absl::string_view what) { return absl::InvalidArgumentError(absl::StrCat("model shape: ", what)); };
  if (s.hidden < 1 || s.layers < 1 || s.heads < 1 || s.kv_heads < 1 || s.head_dim < 2 || s.vocab < 1) {
    return bad("hidden, layers, heads, kv-heads, head-dim and vocab must be positive");
  }
  if (s.head_dim % 2 != 0) return bad("head-dim must be even (rotary embedding works on pairs)");
  if (s.heads % s.kv_heads != 0) return bad("kv-heads must divide heads");
  if (s.experts > 0) {
    if (s.top_k < 1 || s.top_k > s.experts) return bad("top-k must be in [1, experts]");
    if (s.moe_ffn < 1) return bad("moe-ffn must be positive for an MoE model");
  } else if (s.ffn < 1) {
    return bad("ffn must be positive");
  }
  if (s.tied_lm_head_copy && !s.tied) return bad("tied-lm-head-copy needs a tied model");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ModelShape> NamedModelShape(absl::string_view name) {
  ModelShape s;
  if (name == "tiny") return s;
  if (name == "tiny-moe") {
    s.experts = 8;
    s.top_k = 2;
    s.moe_ffn = 32;
    s.tied = false;
    return s;
  }
  if (name == "qwen3-0.6b" || name == "qwen3-1.7b") {
    const bool small = name == "qwen3-0.6b";
    s.hidden = small ? 1024 : 2048;
    s.layers = 28;
    s.heads = 16;
    s.kv_heads = 8;
    s.head_dim = 128;
    s.ffn = small ? 3072 : 6144;
    return s;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown model shape '", name, "' (tiny, tiny-moe, qwen3-0.6b, qwen3-1.7b)"));
}

absl::Status WriteRandomModel(const ModelWriteOptions& o) {
  if (auto s = CheckShape(o.shape); !s.ok()) return s;
  if (o.shards < 1 || o.shards > 999) return absl::InvalidArgumentError("shards must be in [1, 999]");
  if (o.dtype == DType::kF16) return absl::InvalidArgumentError("dtype must be f32 or bf16");
  std::error_code ec;
  for (const char* f : {"tokenizer.json", "tokenizer_config.json"}) {
    if (!fs::exists(fs::path(o.tokenizer_dir) / f, ec)) {
      return absl::NotFoundError(absl::StrCat(o.tokenizer_dir, "/", f, " does not exist: pass --tokenizer DIR holding "
                                              "Qwen3's tokenizer files, or run scripts/setup.sh"));
    }
  }
  fs::create_directories(o.out_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(o.out_dir, ": cannot create: ", ec.message()));
  // Stale weight files from an earlier model in the same place would confuse the loader.
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(o.out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (n.rfind("model", 0) == 0 && n.find(".safetensors") != std::string::npos) stale.push_back(it->path());
  }
  if (ec) return absl::InternalError(absl::StrCat(o.out_dir, ": cannot list: ", ec.message()));
  for (const fs::path& p : stale) fs::remove(p, ec);

  const json config = ConfigJson(o.shape, o.dtype);
  auto parsed = ParseModelConfig(config.dump(), "config.json");
  if (!parsed.ok()) return parsed.status();  // the writer and the reader must agree
  std::vector<PlannedTensor> plan;
  for (const ExpectedTensor& e : ExpectedQwen3Tensors(*parsed)) {
    int64_t n = 1;
    for (int64_t d : e.shape) n *= d;
    plan.push_back(PlannedTensor{e.name, e.shape, e.name, InitFor(e.name, e.shape, o.shape), n});
  }
  if (o.shape.tied_lm_head_copy) {
    const PlannedTensor& emb = plan.front();
    plan.push_back(PlannedTensor{"lm_head.weight", emb.shape, emb.stream, emb.init, emb.numel});
  }
  std::sort(plan.begin(), plan.end(), [](const PlannedTensor& a, const PlannedTensor& b) { return a.name < b.name; });

  Writer writer(o);
  for (const PlannedTensor& t : plan) writer.total_bytes += static_cast<uint64_t>(t.numel) * DTypeSize(o.dtype);
  // Shards of about equal size, tensors kept whole and in name order.
  std::vector<std::vector<const PlannedTensor*>> shards(static_cast<size_t>(o.shards));
  {
    uint64_t acc = 0;
    for (const PlannedTensor& t : plan) {
      size_t k = static_cast<size_t>(acc * static_cast<uint64_t>(o.shards) / std::max<uint64_t>(1, writer.total_bytes));
      shards[std::min(k, shards.size() - 1)].push_back(&t);
      acc += static_cast<uint64_t>(t.numel) * DTypeSize(o.dtype);
    }
  }
  json weight_map = json::object();
  for (size_t k = 0; k < shards.size(); ++k) {
    const std::string name = o.shards == 1 ? "model.safetensors"
                                           : absl::StrFormat("model-%05d-of-%05d.safetensors", k + 1, o.shards);
    if (auto s = writer.WriteShard(o.out_dir + "/" + name, shards[k]); !s.ok()) return s;
    for (const PlannedTensor* t : shards[k]) weight_map[t->name] = name;
  }
  if (o.progress) o.progress(ProgressEvent{"writing weights", writer.total_bytes, writer.total_bytes, "B", true});
  if (o.shards > 1) {
    json index = {{"metadata", {{"total_size", writer.total_bytes}}}, {"weight_map", weight_map}};
    if (auto s = WriteSmallFile(o.out_dir + "/model.safetensors.index.json", PrettyJson(index)); !s.ok()) return s;
  } else {
    fs::remove(o.out_dir + "/model.safetensors.index.json", ec);
  }
  if (auto s = WriteSmallFile(o.out_dir + "/config.json", PrettyJson(config)); !s.ok()) return s;
  const json generation = {{"bos_token_id", 151643}, {"do_sample", true}, {"eos_token_id", {151645, 151643}},
                           {"pad_token_id", 151643}, {"temperature", 0.6}, {"top_k", 20}, {"top_p", 0.95},
                           {"transformers_version", "4.51.0"}};
  if (auto s = WriteSmallFile(o.out_dir + "/generation_config.json", PrettyJson(generation)); !s.ok()) return s;
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt"}) {
    const fs::path from = fs::path(o.tokenizer_dir) / f;
    if (!fs::exists(from, ec)) continue;
    const fs::path to = fs::path(o.out_dir) / f;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot copy ", from.string(), ": ", ec.message()));
    fs::permissions(to, fs::perms::owner_write, fs::perm_options::add, ec);  // sources may be read-only
  }
  return absl::OkStatus();
}

}  // namespace switchyard
