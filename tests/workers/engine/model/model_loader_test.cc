// Loading whole model directories: the two fixtures (checked against bytes and values read
// without our parser), and directories broken in each way a loader must report. Every error
// test checks the status code, the problem, and that the message names the file at fault.
#include "workers/engine/model/model_loader.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_writer.h"
#include "workers/engine/model/qwen3_tensors.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using json = nlohmann::json;

using testing::Slurp;

uint64_t HeaderLength(const std::string& file_bytes) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(file_bytes[static_cast<size_t>(i)]);
  return n;
}

std::string LengthPrefix(uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(n >> (8 * i));
  return out;
}

// The bytes of tensor `name` read straight from a safetensors file, without our parser.
std::string RawTensorBytes(const std::string& file, const std::string& name) {
  const std::string all = Slurp(file);
  const uint64_t n = HeaderLength(all);
  const json header = json::parse(all.substr(8, n));
  const auto& off = header.at(name).at("data_offsets");
  return all.substr(8 + n + off[0].get<size_t>(), off[1].get<size_t>() - off[0].get<size_t>());
}

std::string ViewBytes(const TensorView& v) { return std::string(static_cast<const char*>(v.data), v.bytes()); }

float Bf16At(const TensorView& v, int64_t i) {
  uint16_t h;
  std::memcpy(&h, static_cast<const uint8_t*>(v.data) + 2 * i, 2);
  return Bf16ToF32(h);
}

TEST(ModelLoaderTest, DenseFixtureTiedWithShippedLmHead) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-dense") + "/hf";
  std::vector<ProgressEvent> events;
  auto m = LoadModel(dir, LoadOptions{.progress = [&](const ProgressEvent& e) { events.push_back(e); }, .prefault = true});
  ASSERT_TRUE(m.ok()) << m.status();
  const ModelConfig& c = (*m)->config();
  EXPECT_EQ(c.architecture, Architecture::kQwen3);
  EXPECT_EQ(c.vocab_size, 151936);
  EXPECT_EQ(c.hidden_size, 64);
  EXPECT_EQ(c.intermediate_size, 128);
  EXPECT_EQ(c.num_hidden_layers, 2);
  EXPECT_EQ(c.num_attention_heads, 4);
  EXPECT_EQ(c.num_key_value_heads, 2);
  EXPECT_EQ(c.head_dim, 16);
  EXPECT_EQ(c.rope_theta, 1e6);
  EXPECT_EQ(c.rms_norm_eps, 1e-6);
  EXPECT_EQ(c.max_position_embeddings, 40960);
  EXPECT_EQ(c.torch_dtype, "bfloat16");
  EXPECT_TRUE(c.tie_word_embeddings);
  const TensorView& emb = (*m)->Tensor("model.embed_tokens.weight");
  EXPECT_EQ(emb.dtype, DType::kBF16);
  EXPECT_EQ(emb.shape, (std::vector<int64_t>{151936, 64}));
  EXPECT_EQ(ViewBytes(emb), RawTensorBytes(dir + "/model.safetensors", "model.embed_tokens.weight"));
  EXPECT_EQ(ViewBytes((*m)->Tensor("model.layers.1.self_attn.k_norm.weight")),
            RawTensorBytes(dir + "/model.safetensors", "model.layers.1.self_attn.k_norm.weight"));
  // Exact values, read from the file with Python's struct module when this test was written.
  const TensorView& norm = (*m)->Tensor("model.norm.weight");
  EXPECT_EQ(Bf16At(norm, 0), 24.0f);
  EXPECT_EQ(Bf16At(norm, 1), 20.5f);
  EXPECT_EQ(Bf16At(norm, 3), 26.125f);
  const TensorView& wq = (*m)->Tensor("model.layers.0.self_attn.q_proj.weight");
  EXPECT_EQ(wq.shape, (std::vector<int64_t>{64, 64}));
  EXPECT_EQ(Bf16At(wq, 0), 0.0517578125f);
  EXPECT_EQ(Bf16At(wq, 2), 0.08837890625f);
  EXPECT_EQ(Bf16At(emb, 1), -0.007293701171875f);
  // Tied: lm_head is the embedding; the shipped copy is accepted and not reported as extra.
  EXPECT_EQ((*m)->Tensor("lm_head.weight").data, emb.data);
  EXPECT_TRUE((*m)->ignored_tensors().empty());
  EXPECT_TRUE((*m)->realigned_tensors().empty());
  EXPECT_EQ((*m)->parameter_count(), 151936 * 64 + 2 * (64 + 64 * 64 * 2 + 2 * 32 * 64 + 2 * 16 + 64 + 3 * 128 * 64) + 64);
  EXPECT_THAT((*m)->tokenizer_config().chat_template, HasSubstr("<|im_start|>"));
  EXPECT_EQ((*m)->generation_config().top_k, 20);
  EXPECT_EQ((*m)->tokenizer_json_path(), dir + "/tokenizer.json");
  ASSERT_FALSE(events.empty());
  for (size_t i = 1; i < events.size(); ++i) EXPECT_GE(events[i].done, events[i - 1].done);
  EXPECT_TRUE(events.back().finished);
  EXPECT_EQ(events.back().done, events.back().total);
  EXPECT_EQ(events.back().total, fs::file_size(dir + "/model.safetensors"));
}

TEST(ModelLoaderTest, MoeFixtureUntied) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-moe") + "/hf";
  auto m = LoadModel(dir);
  ASSERT_TRUE(m.ok()) << m.status();
  const ModelConfig& c = (*m)->config();
  EXPECT_EQ(c.architecture, Architecture::kQwen3Moe);
  EXPECT_EQ(c.num_experts, 8);
  EXPECT_EQ(c.num_experts_per_tok, 2);
  EXPECT_EQ(c.moe_intermediate_size, 32);
  EXPECT_TRUE(c.norm_topk_prob);
  EXPECT_TRUE(c.IsMoeLayer(0));
  EXPECT_TRUE(c.IsMoeLayer(1));
  EXPECT_FALSE(c.tie_word_embeddings);
  const TensorView& head = (*m)->Tensor("lm_head.weight");
  EXPECT_NE(head.data, (*m)->Tensor("model.embed_tokens.weight").data);
  EXPECT_EQ(ViewBytes(head), RawTensorBytes(dir + "/model.safetensors", "lm_head.weight"));
  EXPECT_EQ(Bf16At(head, 0), -0.0036163330078125f);
  EXPECT_EQ(Bf16At(head, 3), 0.0137939453125f);
  const TensorView& router = (*m)->Tensor("model.layers.1.mlp.gate.weight");
  EXPECT_EQ(router.shape, (std::vector<int64_t>{8, 64}));
  EXPECT_EQ(Bf16At(router, 2), -0.251953125f);
  const TensorView& up = (*m)->Tensor("model.layers.0.mlp.experts.3.up_proj.weight");
  EXPECT_EQ(up.shape, (std::vector<int64_t>{32, 64}));
  EXPECT_EQ(Bf16At(up, 0), 0.173828125f);
  EXPECT_EQ(ViewBytes((*m)->Tensor("model.layers.1.mlp.experts.7.down_proj.weight")),
            RawTensorBytes(dir + "/model.safetensors", "model.layers.1.mlp.experts.7.down_proj.weight"));
  EXPECT_EQ((*m)->Find("model.layers.0.mlp.gate_proj.weight"), nullptr);  // MoE layers have no dense MLP
}

TEST(ModelLoaderTest, ExpectedTensorsMatchTheFixtureHeaders) {
  SWITCHYARD_REQUIRE_SHARED();
  for (const char* name : {"qwen3-tiny-dense", "qwen3-tiny-moe"}) {
    const std::string dir = *testing::FixtureDir(name) + "/hf";
    const std::string all = Slurp(dir + "/model.safetensors");
    json header = json::parse(all.substr(8, HeaderLength(all)));
    header.erase("__metadata__");
    auto c = LoadModelConfig(dir);
    ASSERT_TRUE(c.ok()) << c.status();
    for (const ExpectedTensor& t : ExpectedQwen3Tensors(*c)) {
      ASSERT_TRUE(header.contains(t.name)) << name << " " << t.name;
      EXPECT_EQ(header[t.name]["shape"].get<std::vector<int64_t>>(), t.shape) << t.name;
      header.erase(t.name);
    }
    header.erase("lm_head.weight");  // the dense fixture's redundant tied copy
    EXPECT_TRUE(header.empty()) << name << ": " << header.dump();
  }
}

// A small f32 model directory made by model_writer, to break in tests.
class BrokenModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    tokenizer_dir_ = *tok;
    Write(1);
  }
  void Write(int shards) {
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape("tiny");
    o.shape.vocab = 1000;  // small and quick; the loader does not tie vocab to the tokenizer
    o.seed = 3;
    o.dtype = DType::kF32;
    o.shards = shards;
    o.tokenizer_dir = tokenizer_dir_;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    ASSERT_TRUE(LoadModel(dir_.path()).ok());
  }
  absl::Status Load() { return LoadModel(dir_.path()).status(); }
  json Config() { return json::parse(Slurp(dir_.File("config.json"))); }
  void SetConfig(const json& c) { dir_.Write("config.json", c.dump()); }
  std::string Weights() { return Slurp(dir_.File("model.safetensors")); }
  json Header() {
    const std::string all = Weights();
    return json::parse(all.substr(8, HeaderLength(all)));
  }
  std::string Data() {
    const std::string all = Weights();
    return all.substr(8 + HeaderLength(all));
  }
  // model.safetensors := 8-byte length + header + data, with the length given or the true one.
  void WriteWeights(const std::string& header, const std::string& data, std::optional<uint64_t> length = std::nullopt) {
    dir_.Write("model.safetensors", LengthPrefix(length.value_or(header.size())) + header + data);
  }
  // Rewrites model.safetensors with the header transformed by `edit` and the same data.
  void EditHeader(const std::function<void(json&)>& edit, size_t drop_tail_bytes = 0) {
    json h = Header();
    std::string data = Data();
    edit(h);
    data.resize(data.size() - drop_tail_bytes);
    WriteWeights(h.dump(), data);
  }
  // The status must have `code`, and its message must contain `file` and `text`.
  void ExpectError(absl::StatusCode code, const std::string& file, const std::string& text) {
    absl::Status s = Load();
    EXPECT_EQ(s.code(), code) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(file));
    EXPECT_THAT(std::string(s.message()), HasSubstr(text));
  }
  std::string tokenizer_dir_;
  testing::ScratchDir dir_;
};

constexpr char kWeights[] = "/model.safetensors";  // how an error names the weights file: by its path

TEST_F(BrokenModelTest, ShapeDisagreesWithConfig) {
  json c = Config();
  c["intermediate_size"] = 96;
  SetConfig(c);
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights,
              "model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [128, 64] but config.json implies [96, 64]");
  c = Config();
  c["intermediate_size"] = 128;
  c["num_attention_heads"] = 8;
  c["num_key_value_heads"] = 4;  // head_dim stays 16: q_proj grows to [128, 64]
  SetConfig(c);
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights,
              "tensor 'model.layers.0.self_attn.q_proj.weight' has shape [64, 64] but config.json implies [128, 64]");
}

TEST_F(BrokenModelTest, MissingTensor) {
  EditHeader([](json& h) { h.erase("model.layers.1.self_attn.q_norm.weight"); });
  ExpectError(absl::StatusCode::kInvalidArgument, "config.json",
              "missing tensor 'model.layers.1.self_attn.q_norm.weight': config.json implies it, but model.safetensors does "
              "not hold it");
  // An untied config needs lm_head.weight, which a tied checkpoint lacks.
  Write(1);
  json c = Config();
  c["tie_word_embeddings"] = false;
  SetConfig(c);
  ExpectError(absl::StatusCode::kInvalidArgument, "model.safetensors", "missing tensor 'lm_head.weight'");
}

TEST_F(BrokenModelTest, UnknownDtype) {
  EditHeader([](json& h) { h["model.norm.weight"]["dtype"] = "FP12"; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' has unknown dtype 'FP12'");
}

TEST_F(BrokenModelTest, UnsupportedDtype) {
  EditHeader([](json& h) { h["model.norm.weight"]["dtype"] = "I32"; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights,
              "tensor 'model.norm.weight' has unsupported dtype 'I32' (weights must be BF16, F16 or F32)");
  Write(1);
  // FP8 checkpoints: a known dtype of the format, one byte per element, not one we compute with.
  EditHeader([](json& h) {
    h["model.norm.weight"]["dtype"] = "F8_E4M3";
    h["model.norm.weight"]["data_offsets"][1] = h["model.norm.weight"]["data_offsets"][0].get<uint64_t>() + 64;
  });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' has unsupported dtype 'F8_E4M3'");
}

TEST_F(BrokenModelTest, TruncatedFile) {
  EditHeader([](json&) {}, /*drop_tail_bytes=*/1000);
  ExpectError(absl::StatusCode::kDataLoss, kWeights, "the file is truncated or its header is wrong");
  WriteWeights("", "", 0);  // just the 8-byte length, saying 0: an empty header
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "not valid JSON");
  dir_.Write("model.safetensors", std::string("\x05\0\0", 3));
  ExpectError(absl::StatusCode::kDataLoss, kWeights, "3 bytes is too short for a safetensors file (truncated?)");
}

TEST_F(BrokenModelTest, HeaderLengthPastEndOrAbsurd) {
  const std::string header = Header().dump();
  const std::string data = Data();
  WriteWeights(header, data, header.size() + data.size() + 1);
  ExpectError(absl::StatusCode::kDataLoss, kWeights, "runs past the end of the");
  WriteWeights(header, data, uint64_t{1} << 40);
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "header length 1099511627776 exceeds the 100000000-byte limit");
}

TEST_F(BrokenModelTest, HeaderNotAJsonObject) {
  WriteWeights("[1, 2, 3]", "");
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "expected a JSON object at the top level, got array");
  WriteWeights("{\"a\": ", "");
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "model.safetensors header: not valid JSON");
  WriteWeights("{\"model.norm.weight\xff\": {}}", "");  // a stray byte that is not UTF-8
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "not valid JSON (The input is not valid UTF-8)");
}

TEST_F(BrokenModelTest, EntryMissingFields) {
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    Write(1);
    EditHeader([&](json& h) { h["model.norm.weight"].erase(key); });
    ExpectError(absl::StatusCode::kInvalidArgument, kWeights,
                std::string("tensor 'model.norm.weight'.") + key + ": required key is missing");
  }
}

TEST_F(BrokenModelTest, BadDataOffsets) {
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = {512, 256}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' data_offsets must be [begin, end] with begin <= end");
  Write(1);
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = {-4, 252}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' data_offsets must be two non-negative integers");
  Write(1);
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = {"0", "256"}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "data_offsets must be two non-negative integers");
  Write(1);
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = {0}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "data_offsets must be [begin, end]");
}

TEST_F(BrokenModelTest, OffsetsOutOfRange) {
  EditHeader([](json& h) {
    auto& off = h["model.norm.weight"]["data_offsets"];
    off = {off[0].get<uint64_t>() + (uint64_t{1} << 40), off[1].get<uint64_t>() + (uint64_t{1} << 40)};
  });
  ExpectError(absl::StatusCode::kDataLoss, kWeights, "tensor 'model.norm.weight' ends at byte");
}

TEST_F(BrokenModelTest, ByteSizeDisagreesWithShape) {
  EditHeader([](json& h) { h["model.norm.weight"]["shape"] = {65}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' occupies 256 bytes but F32 [65] needs 260");
  Write(1);
  EditHeader([](json& h) { h["model.norm.weight"]["dtype"] = "BF16"; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "occupies 256 bytes but BF16 [64] needs 128");
}

TEST_F(BrokenModelTest, BadShapes) {
  EditHeader([](json& h) { h["model.norm.weight"]["shape"] = {-64}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "tensor 'model.norm.weight' has a shape entry that is not a non-negative integer");
  Write(1);
  EditHeader([](json& h) { h["model.norm.weight"]["shape"] = {uint64_t{1} << 32, uint64_t{1} << 32, 4}; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "shape [4294967296, 4294967296, 4] is too large");
}

TEST_F(BrokenModelTest, OverlappingTensors) {
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = h["model.layers.0.input_layernorm.weight"]["data_offsets"]; });
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights, "overlap");
}

TEST_F(BrokenModelTest, ConfigRefusals) {
  json c = Config();
  c["architectures"] = {"MistralForCausalLM"};
  c["model_type"] = "mistral";
  SetConfig(c);
  ExpectError(absl::StatusCode::kUnimplemented, "config.json",
              "architecture 'MistralForCausalLM' is not supported (supported: Qwen3ForCausalLM, Qwen3MoeForCausalLM)");
  c = Config();
  c["architectures"] = {"Qwen3ForCausalLM"};
  c["model_type"] = "qwen3";
  c["rope_scaling"] = {{"rope_type", "su"}, {"factor", 2}};
  SetConfig(c);
  ExpectError(absl::StatusCode::kUnimplemented, "config.json", "unknown rope scaling type 'su'");
  c["rope_scaling"] = nullptr;
  c["quantization_config"] = {{"quant_method", "awq"}, {"bits", 4}};
  SetConfig(c);
  ExpectError(absl::StatusCode::kUnimplemented, "config.json", "quantized checkpoints (FP8, AWQ, GPTQ) are not supported");
  c.erase("quantization_config");
  c["num_key_value_heads"] = 3;
  SetConfig(c);
  ExpectError(absl::StatusCode::kInvalidArgument, "config.json", "num_key_value_heads: 3 does not divide num_attention_heads 4");
}

TEST_F(BrokenModelTest, MissingFiles) {
  fs::remove(dir_.File("model.safetensors"));
  ExpectError(absl::StatusCode::kNotFound, dir_.path(), "no model.safetensors or model.safetensors.index.json");
  fs::remove(dir_.File("config.json"));
  ExpectError(absl::StatusCode::kNotFound, "config.json", "config.json: cannot open");
  auto s = LoadModel(dir_.File("nowhere")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("nowhere: not a model directory"));
}

TEST_F(BrokenModelTest, ExtraTensorsAreListedNotFatal) {
  EditHeader([](json& h) { h["model.layers.0.self_attn.rotary_emb.inv_freq"] = {{"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {0, 0}}}; });
  auto m = LoadModel(dir_.path());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->ignored_tensors(), std::vector<std::string>{"model.layers.0.self_attn.rotary_emb.inv_freq"});
}

TEST_F(BrokenModelTest, TiedCopyWithWrongShape) {
  // A tied checkpoint may ship lm_head.weight, but not one of another shape.
  json h = Header();
  std::string data = Data();
  h["lm_head.weight"] = {{"dtype", "F32"}, {"shape", {500, 64}}, {"data_offsets", {data.size(), data.size() + 500 * 64 * 4}}};
  data.append(500 * 64 * 4, '\0');
  WriteWeights(h.dump(), data);
  ExpectError(absl::StatusCode::kInvalidArgument, kWeights,
              "tensor 'lm_head.weight' has shape [500, 64] but config.json implies [1000, 64]");
}

// bf16, f16 and f32 tensors mixed in one file, as some conversions leave norms in f32.
TEST_F(BrokenModelTest, MixedDtypesLoad) {
  const json h0 = Header();
  const std::string d0 = Data();
  const std::map<std::string, DType> convert = {{"model.embed_tokens.weight", DType::kBF16},
                                                {"model.layers.0.self_attn.q_proj.weight", DType::kF16},
                                                {"model.norm.weight", DType::kF16}};
  json h = json::object();
  std::string data;
  for (const auto& [name, entry] : h0.items()) {
    if (name == "__metadata__") continue;
    const size_t begin = entry["data_offsets"][0], end = entry["data_offsets"][1];
    const size_t start = data.size();
    auto it = convert.find(name);
    if (it == convert.end()) {
      data += d0.substr(begin, end - begin);
    } else {
      for (size_t i = begin; i < end; i += 4) {
        float v;
        std::memcpy(&v, d0.data() + i, 4);
        const uint16_t b = it->second == DType::kBF16 ? F32ToBf16(v) : F32ToF16(v);
        data.append(reinterpret_cast<const char*>(&b), 2);
      }
    }
    h[name] = entry;
    h[name]["dtype"] = it == convert.end() ? "F32" : std::string(DTypeName(it->second));
    h[name]["data_offsets"] = {start, data.size()};
  }
  WriteWeights(h.dump(), data);
  auto m = LoadModel(dir_.path());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Tensor("model.embed_tokens.weight").dtype, DType::kBF16);
  EXPECT_EQ((*m)->Tensor("lm_head.weight").dtype, DType::kBF16);  // tied: the embedding
  EXPECT_EQ((*m)->Tensor("model.layers.0.self_attn.q_proj.weight").dtype, DType::kF16);
  EXPECT_EQ((*m)->Tensor("model.layers.0.self_attn.k_proj.weight").dtype, DType::kF32);
  const TensorView& norm = (*m)->Tensor("model.norm.weight");
  ASSERT_EQ(norm.dtype, DType::kF16);
  float f32_first;
  std::memcpy(&f32_first, d0.data() + h0["model.norm.weight"]["data_offsets"][0].get<size_t>(), 4);
  EXPECT_EQ(F16ToF32(static_cast<const uint16_t*>(norm.data)[0]), F16ToF32(F32ToF16(f32_first)));
  EXPECT_EQ((*m)->weight_bytes(), data.size());
}

TEST_F(BrokenModelTest, MisalignedTensorsAreCopiedOut) {
  // A header whose length leaves the data section 2 bytes off 4-byte alignment.
  std::string header = Header().dump();
  while ((8 + header.size()) % 4 != 2) header.push_back(' ');
  WriteWeights(header, Data());
  auto m = LoadModel(dir_.path());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FALSE((*m)->realigned_tensors().empty());
  for (const char* name : {"model.norm.weight", "model.embed_tokens.weight", "model.layers.1.mlp.down_proj.weight"}) {
    const TensorView& t = (*m)->Tensor(name);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data) % 4, 0u) << name;
    EXPECT_EQ(ViewBytes(t), RawTensorBytes(dir_.File("model.safetensors"), name)) << name;
  }
  EXPECT_EQ((*m)->Tensor("lm_head.weight").data, (*m)->Tensor("model.embed_tokens.weight").data);
}

TEST_F(BrokenModelTest, ShardIndexNamingMissingShard) {
  fs::remove(dir_.File("model.safetensors"));
  dir_.Write("model.safetensors.index.json", R"({"weight_map":{"model.norm.weight":"model-00001-of-00002.safetensors"}})");
  ExpectError(absl::StatusCode::kNotFound, "model.safetensors.index.json",
              "names shard 'model-00001-of-00002.safetensors', which is not in");
}

TEST_F(BrokenModelTest, ShardIndexPathTraversal) {
  fs::rename(dir_.File("model.safetensors"), dir_.File("w.safetensors"));
  for (const char* shard : {"../w.safetensors", "/etc/passwd", ".."}) {
    dir_.Write("model.safetensors.index.json", json{{"weight_map", {{"model.norm.weight", shard}}}}.dump());
    ExpectError(absl::StatusCode::kInvalidArgument, "model.safetensors.index.json",
                std::string("'") + shard + "' is not a plain file name in the model directory");
  }
}

TEST_F(BrokenModelTest, ShardIndexDisagreesWithShards) {
  Write(3);
  ASSERT_TRUE(fs::exists(dir_.File("model.safetensors.index.json")));
  json index = json::parse(Slurp(dir_.File("model.safetensors.index.json")));
  const std::string right = index["weight_map"]["model.norm.weight"];
  const std::string wrong = right == "model-00001-of-00003.safetensors" ? "model-00002-of-00003.safetensors"
                                                                        : "model-00001-of-00003.safetensors";
  index["weight_map"]["model.norm.weight"] = wrong;
  dir_.Write("model.safetensors.index.json", index.dump());
  ExpectError(absl::StatusCode::kInvalidArgument, "model.safetensors.index.json",
              "says tensor 'model.norm.weight' is in " + wrong + ", but it is not there");
  // A tensor in two shards.
  Write(3);
  index = json::parse(Slurp(dir_.File("model.safetensors.index.json")));
  const std::string all = Slurp(dir_.File(wrong));
  json h = json::parse(all.substr(8, HeaderLength(all)));
  std::string data = all.substr(8 + HeaderLength(all));
  h["model.norm.weight"] = {{"dtype", "F32"}, {"shape", {64}}, {"data_offsets", {data.size(), data.size() + 256}}};
  data.append(256, '\0');
  dir_.Write(wrong, LengthPrefix(h.dump().size()) + h.dump() + data);
  ExpectError(absl::StatusCode::kInvalidArgument, "model-0000",
              "tensor 'model.norm.weight' appears in both");
  // A shard that is truncated is named as such.
  Write(3);
  const std::string shard_bytes = Slurp(dir_.File(right));
  dir_.Write(right, shard_bytes.substr(0, shard_bytes.size() - 1));
  ExpectError(absl::StatusCode::kDataLoss, right, "the file is truncated or its header is wrong");
}

}  // namespace
}  // namespace switchyard
