// switchyard's random-model writer: layouts, determinism, and that what it writes loads.
#include "workers/engine/model/model_writer.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_loader.h"

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

class ModelWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    tokenizer_dir_ = *tok;
  }
  ModelWriteOptions Options(const std::string& dir, const char* shape, DType dtype = DType::kBF16) {
    ModelWriteOptions o;
    o.out_dir = dir;
    o.shape = *NamedModelShape(shape);
    o.shape.vocab = 2048;  // keep test models small
    o.seed = 7;
    o.dtype = dtype;
    o.tokenizer_dir = tokenizer_dir_;
    return o;
  }
  std::string tokenizer_dir_;
  testing::ScratchDir scratch_;
};

TEST_F(ModelWriterTest, TinyLoadsWithExpectedStatistics) {
  ModelWriteOptions o = Options(scratch_.File("a"), "tiny", DType::kF32);
  ASSERT_TRUE(WriteRandomModel(o).ok());
  auto m = LoadModel(o.out_dir);
  ASSERT_TRUE(m.ok()) << m.status();
  auto stats = [&](const char* name) {
    const TensorView& t = (*m)->Tensor(name);
    const float* v = static_cast<const float*>(t.data);
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < t.numel(); ++i) {
      sum += v[i];
      sq += static_cast<double>(v[i]) * v[i];
    }
    const double mean = sum / static_cast<double>(t.numel());
    return std::pair<double, double>{mean, std::sqrt(sq / static_cast<double>(t.numel()) - mean * mean)};
  };
  auto [em, es] = stats("model.embed_tokens.weight");
  EXPECT_NEAR(em, 0.0, 0.001);
  EXPECT_NEAR(es, 0.02, 0.001);
  auto [qm, qs] = stats("model.layers.0.mlp.down_proj.weight");  // fan-in 128
  EXPECT_NEAR(qs, 1.0 / std::sqrt(128.0), 0.005);
  auto [nm, ns] = stats("model.layers.1.input_layernorm.weight");
  EXPECT_NEAR(nm, 1.0, 0.05);
  auto [fm, fs_] = stats("model.norm.weight");
  EXPECT_NEAR(fm, 4.0 / (8.0 * 0.02), 3.0);  // 25: logits of std ~4
}

TEST_F(ModelWriterTest, DeterministicPerSeedAndThreadCount) {
  ModelWriteOptions a = Options(scratch_.File("a"), "tiny");
  a.threads = 1;
  ModelWriteOptions b = Options(scratch_.File("b"), "tiny");
  b.threads = 3;
  ModelWriteOptions c = Options(scratch_.File("c"), "tiny");
  c.seed = 8;
  for (auto* o : {&a, &b, &c}) ASSERT_TRUE(WriteRandomModel(*o).ok());
  EXPECT_EQ(Slurp(a.out_dir + "/model.safetensors"), Slurp(b.out_dir + "/model.safetensors"));
  EXPECT_NE(Slurp(a.out_dir + "/model.safetensors"), Slurp(c.out_dir + "/model.safetensors"));
  EXPECT_EQ(Slurp(a.out_dir + "/config.json"), Slurp(c.out_dir + "/config.json"));
  EXPECT_EQ(Slurp(a.out_dir + "/tokenizer.json"), Slurp(tokenizer_dir_ + "/tokenizer.json"));
}

TEST_F(ModelWriterTest, ShardsHoldTheSameTensorsAsOneFile) {
  ModelWriteOptions one = Options(scratch_.File("one"), "tiny-moe", DType::kF32);
  ModelWriteOptions three = Options(scratch_.File("three"), "tiny-moe", DType::kF32);
  three.shards = 3;
  ASSERT_TRUE(WriteRandomModel(one).ok());
  ASSERT_TRUE(WriteRandomModel(three).ok());
  EXPECT_FALSE(fs::exists(three.out_dir + "/model.safetensors"));
  const json index = json::parse(Slurp(three.out_dir + "/model.safetensors.index.json"));
  std::set<std::string> files;
  for (const auto& [k, v] : index["weight_map"].items()) files.insert(v.get<std::string>());
  EXPECT_EQ(files, (std::set<std::string>{"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                                          "model-00003-of-00003.safetensors"}));
  auto m1 = LoadModel(one.out_dir);
  auto m3 = LoadModel(three.out_dir);
  ASSERT_TRUE(m1.ok()) << m1.status();
  ASSERT_TRUE(m3.ok()) << m3.status();
  EXPECT_EQ((*m3)->weight_files().size(), 3u);
  EXPECT_EQ((*m3)->config().architecture, Architecture::kQwen3Moe);
  EXPECT_EQ(index["metadata"]["total_size"].get<uint64_t>(), (*m3)->weight_bytes());
  for (const char* name : {"model.embed_tokens.weight", "lm_head.weight", "model.layers.1.mlp.experts.5.up_proj.weight",
                           "model.norm.weight"}) {
    const TensorView& x = (*m1)->Tensor(name);
    const TensorView& y = (*m3)->Tensor(name);
    ASSERT_EQ(x.bytes(), y.bytes());
    EXPECT_EQ(std::memcmp(x.data, y.data, x.bytes()), 0) << name;
  }
}

TEST_F(ModelWriterTest, CustomShapeAndTiedCopy) {
  ModelWriteOptions o = Options(scratch_.File("c"), "tiny");
  o.shape.layers = 3;
  o.shape.heads = 6;
  o.shape.kv_heads = 3;
  o.shape.head_dim = 8;
  o.shape.tied_lm_head_copy = true;
  ASSERT_TRUE(WriteRandomModel(o).ok());
  auto m = LoadModel(o.out_dir);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Tensor("model.layers.2.self_attn.q_proj.weight").shape, (std::vector<int64_t>{48, 64}));
  EXPECT_EQ((*m)->Tensor("lm_head.weight").data, (*m)->Tensor("model.embed_tokens.weight").data);
  o.shape.kv_heads = 4;
  EXPECT_EQ(WriteRandomModel(o).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ModelWriterTest, ConfigMatchesTheFixtureKeys) {
  SWITCHYARD_REQUIRE_SHARED();
  for (const auto& [shape, fixture] : {std::pair<const char*, const char*>{"tiny", "qwen3-tiny-dense"}, {"tiny-moe", "qwen3-tiny-moe"}}) {
    ModelWriteOptions o = Options(scratch_.File(shape), shape);
    o.shape.vocab = 151936;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    const json ours = json::parse(Slurp(o.out_dir + "/config.json"));
    const json theirs = json::parse(Slurp(*testing::FixtureDir(fixture) + "/hf/config.json"));
    std::vector<std::string> a, b;
    for (const auto& [k, v] : ours.items()) a.push_back(k);
    for (const auto& [k, v] : theirs.items()) b.push_back(k);
    EXPECT_EQ(a, b) << shape;
    for (const char* k : {"hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
                          "tie_word_embeddings", "vocab_size", "rope_theta"}) {
      EXPECT_EQ(ours[k], theirs[k]) << shape << " " << k;
    }
    EXPECT_EQ(json::parse(Slurp(o.out_dir + "/generation_config.json")),
              json::parse(Slurp(*testing::FixtureDir(fixture) + "/hf/generation_config.json")));
  }
}

TEST_F(ModelWriterTest, RefusesMissingTokenizer) {
  ModelWriteOptions o = Options(scratch_.File("t"), "tiny");
  o.tokenizer_dir = scratch_.File("nowhere");
  absl::Status s = WriteRandomModel(o);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("pass --tokenizer DIR"));
}

// The command-line tool: flags, errors and exit codes.
TEST_F(ModelWriterTest, MkmodelCommand) {
  const std::string bin = testing::BinDir() + "/switchyard-mkmodel";
  auto run = [&](const std::string& args) {
    const std::string cmd = absl::StrCat(bin, " ", args, " > ", scratch_.File("out.txt"), " 2>&1");
    const int rc = std::system(cmd.c_str());
    return std::pair<int, std::string>{WEXITSTATUS(rc), Slurp(scratch_.File("out.txt"))};
  };
  auto [rc1, out1] = run("--shape tiny");
  EXPECT_EQ(rc1, 2);
  EXPECT_THAT(out1, HasSubstr("--out is required"));
  auto [rc2, out2] = run("--out x --shape huge");
  EXPECT_EQ(rc2, 2);
  EXPECT_THAT(out2, HasSubstr("unknown model shape 'huge'"));
  auto [rc3, out3] = run("--out x --shape tiny --dtype f8");
  EXPECT_EQ(rc3, 2);
  EXPECT_THAT(out3, HasSubstr("--dtype: 'f8'"));
  auto [rc4, out4] = run("--out x --shape tiny --bogus 1");
  EXPECT_EQ(rc4, 2);
  EXPECT_THAT(out4, HasSubstr("unknown flag --bogus"));
  auto [rc5, out5] = run(absl::StrCat("--out ", scratch_.File("cli"), " --shape tiny-moe --dtype f32 --shards 2 --seed 5 --tokenizer ",
                                      tokenizer_dir_));
  ASSERT_EQ(rc5, 0) << out5;
  EXPECT_THAT(out5, HasSubstr("Qwen3MoeForCausalLM, 2 layers, hidden 64"));
  EXPECT_THAT(out5, HasSubstr("in 2 file(s)"));
  auto m = LoadModel(scratch_.File("cli"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Tensor("model.norm.weight").dtype, DType::kF32);
}

}  // namespace
}  // namespace switchyard
