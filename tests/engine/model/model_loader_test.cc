// Loading whole model directories: the two fixtures, models written by model_writer in every
// layout, and directories broken in each way a loader must report.
#include "workers/engine/model/model_loader.h"

#include <filesystem>
#include <fstream>
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

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The bytes of tensor `name` read straight from a safetensors file, without our parser.
std::string RawTensorBytes(const std::string& file, const std::string& name) {
  const std::string all = Slurp(file);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(all[static_cast<size_t>(i)]);
  const json header = json::parse(all.substr(8, n));
  const auto& off = header.at(name).at("data_offsets");
  return all.substr(8 + n + off[0].get<size_t>(), off[1].get<size_t>() - off[0].get<size_t>());
}

std::string ViewBytes(const TensorView& v) { return std::string(static_cast<const char*>(v.data), v.bytes()); }

TEST(ModelLoaderTest, DenseFixtureTiedWithShippedLmHead) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-dense") + "/hf";
  std::vector<ProgressEvent> events;
  auto m = LoadModel(dir, LoadOptions{.progress = [&](const ProgressEvent& e) { events.push_back(e); }, .prefault = true});
  ASSERT_TRUE(m.ok()) << m.status();
  const ModelConfig& c = (*m)->config();
  EXPECT_EQ(c.num_hidden_layers, 2);
  EXPECT_TRUE(c.tie_word_embeddings);
  const TensorView& emb = (*m)->Tensor("model.embed_tokens.weight");
  EXPECT_EQ(emb.dtype, DType::kBF16);
  EXPECT_EQ(emb.shape, (std::vector<int64_t>{151936, 64}));
  EXPECT_EQ(ViewBytes(emb), RawTensorBytes(dir + "/model.safetensors", "model.embed_tokens.weight"));
  EXPECT_EQ(ViewBytes((*m)->Tensor("model.layers.1.self_attn.k_norm.weight")),
            RawTensorBytes(dir + "/model.safetensors", "model.layers.1.self_attn.k_norm.weight"));
  // Tied: lm_head is the embedding; the shipped copy is accepted and not reported as extra.
  EXPECT_EQ((*m)->Tensor("lm_head.weight").data, emb.data);
  EXPECT_TRUE((*m)->ignored_tensors().empty());
  EXPECT_EQ((*m)->parameter_count(), 151936 * 64 + 2 * (64 + 64 * 64 * 2 + 2 * 32 * 64 + 2 * 16 + 64 + 3 * 128 * 64) + 64);
  EXPECT_THAT((*m)->tokenizer_config().chat_template, HasSubstr("<|im_start|>"));
  EXPECT_EQ((*m)->generation_config().top_k, 20);
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(events.back().finished);
  EXPECT_EQ(events.back().done, events.back().total);
  EXPECT_EQ(events.back().total, fs::file_size(dir + "/model.safetensors"));
}

TEST(ModelLoaderTest, MoeFixtureUntied) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-moe") + "/hf";
  auto m = LoadModel(dir);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->config().architecture, Architecture::kQwen3Moe);
  const TensorView& head = (*m)->Tensor("lm_head.weight");
  EXPECT_NE(head.data, (*m)->Tensor("model.embed_tokens.weight").data);
  EXPECT_EQ(ViewBytes(head), RawTensorBytes(dir + "/model.safetensors", "lm_head.weight"));
  EXPECT_EQ((*m)->Tensor("model.layers.0.mlp.gate.weight").shape, (std::vector<int64_t>{8, 64}));
  EXPECT_EQ(ViewBytes((*m)->Tensor("model.layers.1.mlp.experts.7.down_proj.weight")),
            RawTensorBytes(dir + "/model.safetensors", "model.layers.1.mlp.experts.7.down_proj.weight"));
}

// A model directory made by model_writer, to break in tests.
class BrokenModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape("tiny");
    o.shape.vocab = 1000;  // small and quick; the loader does not tie vocab to the tokenizer
    o.seed = 3;
    o.dtype = DType::kF32;
    o.tokenizer_dir = *tok;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    ASSERT_TRUE(LoadModel(dir_.path()).ok());
  }
  absl::Status Load() { return LoadModel(dir_.path()).status(); }
  json Config() { return json::parse(Slurp(dir_.File("config.json"))); }
  void SetConfig(const json& c) { dir_.Write("config.json", c.dump()); }
  // Rewrites model.safetensors with the header transformed by `edit` and the same data.
  void EditHeader(const std::function<void(json&)>& edit, int64_t drop_tail_bytes = 0) {
    std::string all = Slurp(dir_.File("model.safetensors"));
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(all[static_cast<size_t>(i)]);
    json h = json::parse(all.substr(8, n));
    edit(h);
    const std::string hs = h.dump();
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(static_cast<uint64_t>(hs.size()) >> (8 * i));
    std::string data = all.substr(8 + n);
    data.resize(data.size() - static_cast<size_t>(drop_tail_bytes));
    dir_.Write("model.safetensors", out + hs + data);
  }
  void ExpectError(absl::StatusCode code, const std::string& text) {
    absl::Status s = Load();
    EXPECT_EQ(s.code(), code) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(text));
  }
  testing::ScratchDir dir_;
};

TEST_F(BrokenModelTest, ShapeDisagreesWithConfig) {
  json c = Config();
  c["intermediate_size"] = 96;
  SetConfig(c);
  ExpectError(absl::StatusCode::kInvalidArgument,
              "model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [128, 64] but config.json implies [96, 64]");
}

TEST_F(BrokenModelTest, MissingTensor) {
  EditHeader([](json& h) { h.erase("model.layers.1.self_attn.q_norm.weight"); });
  ExpectError(absl::StatusCode::kInvalidArgument, "missing tensor 'model.layers.1.self_attn.q_norm.weight'");
}

TEST_F(BrokenModelTest, UnknownDtype) {
  EditHeader([](json& h) { h["model.norm.weight"]["dtype"] = "FP12"; });
  ExpectError(absl::StatusCode::kInvalidArgument, "tensor 'model.norm.weight' has unknown dtype 'FP12'");
}

TEST_F(BrokenModelTest, UnsupportedDtype) {
  EditHeader([](json& h) { h["model.norm.weight"]["dtype"] = "I32"; });
  ExpectError(absl::StatusCode::kInvalidArgument, "tensor 'model.norm.weight' has dtype I32; weights must be BF16, F16 or F32");
}

TEST_F(BrokenModelTest, TruncatedFile) {
  EditHeader([](json&) {}, /*drop_tail_bytes=*/1000);
  ExpectError(absl::StatusCode::kDataLoss, "the file is truncated or its header is wrong");
}

TEST_F(BrokenModelTest, OffsetsOutOfRange) {
  EditHeader([](json& h) {
    auto& off = h["model.norm.weight"]["data_offsets"];
    off = {off[0].get<uint64_t>() + (uint64_t{1} << 40), off[1].get<uint64_t>() + (uint64_t{1} << 40)};
  });
  ExpectError(absl::StatusCode::kDataLoss, "tensor 'model.norm.weight' ends at byte");
}

TEST_F(BrokenModelTest, OverlappingTensors) {
  EditHeader([](json& h) { h["model.norm.weight"]["data_offsets"] = h["model.layers.0.input_layernorm.weight"]["data_offsets"]; });
  ExpectError(absl::StatusCode::kInvalidArgument, "overlap");
}

TEST_F(BrokenModelTest, UnknownArchitectureAndRopeScaling) {
  json c = Config();
  c["architectures"] = {"MistralForCausalLM"};
  c["model_type"] = "mistral";
  SetConfig(c);
  ExpectError(absl::StatusCode::kUnimplemented, "architecture 'MistralForCausalLM' is not supported");
  c = Config();
  c["architectures"] = {"Qwen3ForCausalLM"};
  c["model_type"] = "qwen3";
  c["rope_scaling"] = {{"rope_type", "su"}, {"factor", 2}};
  SetConfig(c);
  ExpectError(absl::StatusCode::kUnimplemented, "unknown rope scaling type 'su'");
}

TEST_F(BrokenModelTest, MissingFiles) {
  fs::remove(dir_.File("model.safetensors"));
  ExpectError(absl::StatusCode::kNotFound, "no model.safetensors or model.safetensors.index.json");
  fs::remove(dir_.File("config.json"));
  ExpectError(absl::StatusCode::kNotFound, "config.json: cannot open");
  EXPECT_EQ(LoadModel(dir_.File("nowhere")).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BrokenModelTest, ExtraTensorsAreListedNotFatal) {
  EditHeader([](json& h) { h["model.layers.0.self_attn.rotary_emb.inv_freq"] = {{"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {0, 0}}}; });
  auto m = LoadModel(dir_.path());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->ignored_tensors(), std::vector<std::string>{"model.layers.0.self_attn.rotary_emb.inv_freq"});
}

TEST_F(BrokenModelTest, ShardIndexNamingMissingShard) {
  fs::remove(dir_.File("model.safetensors"));
  dir_.Write("model.safetensors.index.json", R"({"weight_map":{"model.norm.weight":"model-00001-of-00002.safetensors"}})");
  ExpectError(absl::StatusCode::kNotFound, "names shard 'model-00001-of-00002.safetensors', which is not in");
}

}  // namespace
}  // namespace switchyard
