// switchyard's random-model writer: layouts, determinism, and that what it writes loads.
#include "workers/engine/model/model_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
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

using testing::Slurp;

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

// The same shape as a fixture gives the very same config files, byte for byte.
TEST_F(ModelWriterTest, ConfigFilesAreByteIdenticalToTheFixtures) {
  SWITCHYARD_REQUIRE_SHARED();
  for (const auto& [shape, fixture] : {std::pair<const char*, const char*>{"tiny", "qwen3-tiny-dense"}, {"tiny-moe", "qwen3-tiny-moe"}}) {
    ModelWriteOptions o = Options(scratch_.File(shape), shape);
    o.shape.vocab = 151936;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    EXPECT_EQ(Slurp(o.out_dir + "/config.json"), Slurp(*testing::FixtureDir(fixture) + "/hf/config.json")) << shape;
    EXPECT_EQ(Slurp(o.out_dir + "/generation_config.json"),
              Slurp(*testing::FixtureDir(fixture) + "/hf/generation_config.json")) << shape;
  }
}

// bf16 files hold the f32 values of the same seed rounded to nearest even.
TEST_F(ModelWriterTest, Bf16IsTheF32ValuesRounded) {
  ModelWriteOptions f = Options(scratch_.File("f"), "tiny-moe", DType::kF32);
  ModelWriteOptions b = Options(scratch_.File("b"), "tiny-moe", DType::kBF16);
  b.shards = 3;
  std::vector<ProgressEvent> events;
  b.progress = [&](const ProgressEvent& e) { events.push_back(e); };
  ASSERT_TRUE(WriteRandomModel(f).ok());
  ASSERT_TRUE(WriteRandomModel(b).ok());
  auto mf = LoadModel(f.out_dir);
  auto mb = LoadModel(b.out_dir);
  ASSERT_TRUE(mf.ok()) << mf.status();
  ASSERT_TRUE(mb.ok()) << mb.status();
  EXPECT_EQ((*mb)->weight_files().size(), 3u);
  EXPECT_EQ((*mb)->weight_bytes() * 2, (*mf)->weight_bytes());
  EXPECT_EQ((*mb)->parameter_count(), (*mf)->parameter_count());
  for (const char* name : {"model.embed_tokens.weight", "lm_head.weight", "model.layers.0.mlp.gate.weight",
                           "model.layers.1.mlp.experts.6.down_proj.weight", "model.norm.weight",
                           "model.layers.0.self_attn.k_norm.weight"}) {
    const TensorView& x = (*mf)->Tensor(name);
    const TensorView& y = (*mb)->Tensor(name);
    ASSERT_EQ(y.dtype, DType::kBF16);
    ASSERT_EQ(x.numel(), y.numel());
    const float* xf = static_cast<const float*>(x.data);
    const uint16_t* yb = static_cast<const uint16_t*>(y.data);
    int64_t bad = 0;
    for (int64_t i = 0; i < x.numel(); ++i) bad += F32ToBf16(xf[i]) != yb[i];
    EXPECT_EQ(bad, 0) << name;
  }
  ASSERT_FALSE(events.empty());
  for (size_t i = 1; i < events.size(); ++i) EXPECT_GE(events[i].done, events[i - 1].done);
  EXPECT_TRUE(events.back().finished);
  EXPECT_EQ(events.back().done, (*mb)->weight_bytes());
  EXPECT_EQ(events.back().total, (*mb)->weight_bytes());
}

TEST_F(ModelWriterTest, RefusesBadOptions) {
  ModelWriteOptions o = Options(scratch_.File("bad"), "tiny-moe");
  o.shape.top_k = 9;
  EXPECT_THAT(std::string(WriteRandomModel(o).message()), HasSubstr("top-k must be in [1, experts]"));
  o = Options(scratch_.File("bad"), "tiny");
  o.shape.head_dim = 15;
  EXPECT_THAT(std::string(WriteRandomModel(o).message()), HasSubstr("head-dim must be even"));
  o = Options(scratch_.File("bad"), "tiny");
  o.shards = 0;
  EXPECT_EQ(WriteRandomModel(o).code(), absl::StatusCode::kInvalidArgument);
  o = Options(scratch_.File("bad"), "tiny");
  o.shape.tied = false;
  o.shape.tied_lm_head_copy = true;
  EXPECT_THAT(std::string(WriteRandomModel(o).message()), HasSubstr("tied-lm-head-copy needs a tied model"));
  EXPECT_THAT(std::string(NamedModelShape("qwen3-8b").status().message()),
              HasSubstr("unknown model shape 'qwen3-8b' (tiny, tiny-moe, qwen3-0.6b, qwen3-1.7b)"));
  auto big = NamedModelShape("qwen3-0.6b");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->hidden, 1024);
  EXPECT_EQ(big->ffn, 3072);
  EXPECT_TRUE(big->tied);
}

// Rewriting a directory that held a sharded model leaves only the new single file.
TEST_F(ModelWriterTest, RewritingReplacesOldWeightFiles) {
  ModelWriteOptions o = Options(scratch_.File("re"), "tiny");
  o.shards = 3;
  ASSERT_TRUE(WriteRandomModel(o).ok());
  o.shards = 1;
  ASSERT_TRUE(WriteRandomModel(o).ok());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(o.out_dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"config.json", "generation_config.json", "merges.txt", "model.safetensors",
                                             "tokenizer.json", "tokenizer_config.json", "vocab.json"}));
  EXPECT_TRUE(LoadModel(o.out_dir).ok());
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
  auto [rc6, out6] = run("--out x --shape tiny --tied --untied");
  EXPECT_EQ(rc6, 2);
  EXPECT_THAT(out6, HasSubstr("--tied and --untied contradict each other"));
  auto [rc7, out7] = run("--help");
  EXPECT_EQ(rc7, 0);
  EXPECT_THAT(out7, HasSubstr("usage: switchyard-mkmodel"));
  auto [rc8, out8] = run(absl::StrCat("--out ", scratch_.File("nt"), " --shape tiny --tokenizer ", scratch_.File("none")));
  EXPECT_EQ(rc8, 1);
  EXPECT_THAT(out8, HasSubstr("pass --tokenizer DIR"));
  EXPECT_THAT(out8, HasSubstr("scripts/setup.sh"));
  auto [rc9, out9] = run("--out x --shape tiny --hidden many");
  EXPECT_EQ(rc9, 2);
  EXPECT_THAT(out9, HasSubstr("--hidden"));
  auto [rc5, out5] = run(absl::StrCat("--out ", scratch_.File("cli"), " --shape tiny-moe --dtype f32 --shards 2 --seed 5 --tokenizer ",
                                      tokenizer_dir_));
  ASSERT_EQ(rc5, 0) << out5;
  EXPECT_THAT(out5, HasSubstr("Qwen3MoeForCausalLM, 2 layers, hidden 64"));
  EXPECT_THAT(out5, HasSubstr("in 2 file(s)"));
  auto m = LoadModel(scratch_.File("cli"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Tensor("model.norm.weight").dtype, DType::kF32);
  EXPECT_EQ((*m)->weight_files().size(), 2u);
  // Overrides reach config.json; the tokenizer may come from $SWITCHYARD_TOKENIZER_DIR.
  const std::string env = absl::StrCat("SWITCHYARD_TOKENIZER_DIR=", tokenizer_dir_, " ");
  const std::string cmd = absl::StrCat(env, bin, " --out ", scratch_.File("ov"), " --shape tiny --layers 3 --heads 8 --kv-heads 2",
                                       " --head-dim 8 --ffn 96 --untied > ", scratch_.File("out.txt"), " 2>&1");
  ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0) << Slurp(scratch_.File("out.txt"));
  auto ov = LoadModel(scratch_.File("ov"));
  ASSERT_TRUE(ov.ok()) << ov.status();
  EXPECT_EQ((*ov)->config().num_hidden_layers, 3);
  EXPECT_EQ((*ov)->config().intermediate_size, 96);
  EXPECT_FALSE((*ov)->config().tie_word_embeddings);
  EXPECT_EQ((*ov)->Tensor("model.layers.2.self_attn.o_proj.weight").shape, (std::vector<int64_t>{64, 64}));
  EXPECT_EQ((*ov)->Tensor("model.layers.2.self_attn.k_proj.weight").shape, (std::vector<int64_t>{16, 64}));
  EXPECT_EQ((*ov)->Tensor("model.embed_tokens.weight").dtype, DType::kBF16);  // the default dtype
}

}  // namespace
}  // namespace switchyard
