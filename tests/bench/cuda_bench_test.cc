// switchyard-cuda-bench as a user runs it, built against the CUDA emulator
// (switchyard-cuda-bench-emu) on tiny shapes: well-formed JSON lines with the documented fields
// and positive figures, every kernel's output checked before it is timed (both the GEMV and
// the split-bf16 cuBLAS path, attention with and without split-K), the whole model from the
// dense fixture and from random weights of a config, clear usage errors; and the real build
// (switchyard-cuda-bench), where it exists, either measuring a GPU or exiting 1 with the CUDA
// runtime's reason, never crashing. Times under the emulator are meaningless and not checked
// beyond being positive.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

// A dense Qwen3 config small enough for the emulator: 4 query heads over 2 kv heads of 16.
constexpr char kTinyConfig[] = R"({
  "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 64, "intermediate_size": 128,
  "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
  "vocab_size": 1000, "max_position_embeddings": 4096, "rms_norm_eps": 1e-06, "rope_theta": 1000000,
  "tie_word_embeddings": true, "torch_dtype": "bfloat16", "hidden_act": "silu"
})";

struct Output {
  bool exited = false;  // false: killed by a signal
  int code = -1;
  std::vector<json> lines;
  std::string out, err;
};

std::string Slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Output RunBinary(const std::string& binary, const std::string& args) {
  testing::ScratchDir dir;
  const std::string cmd =
      absl::StrCat(testing::BinDir(), "/", binary, " ", args, " > ", dir.File("out"), " 2> ", dir.File("err"));
  const int rc = std::system(cmd.c_str());
  Output o;
  o.exited = WIFEXITED(rc);
  o.code = o.exited ? WEXITSTATUS(rc) : -1;
  o.out = Slurp(dir.File("out"));
  o.err = Slurp(dir.File("err"));
  for (absl::string_view line : absl::StrSplit(o.out, '\n', absl::SkipEmpty())) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not a JSON line: " << line;
    if (!j.is_discarded()) o.lines.push_back(std::move(j));
  }
  return o;
}

Output RunEmu(const std::string& args) { return RunBinary("switchyard-cuda-bench-emu", args); }

std::vector<json> OfKind(const Output& o, const std::string& kind) {
  std::vector<json> out;
  for (const json& j : o.lines) {
    if (j.value("kind", "") == kind) out.push_back(j);
  }
  return out;
}

// Fields every line has; `positive` must be numbers > 0.
void ExpectLine(const json& j, const std::vector<std::string>& positive) {
  EXPECT_EQ(j.value("tool", ""), "switchyard-cuda-bench-emu") << j.dump();
  ASSERT_TRUE(j.contains("emulated")) << j.dump();
  EXPECT_TRUE(j["emulated"].get<bool>()) << j.dump();
  for (const std::string& f : positive) {
    ASSERT_TRUE(j.contains(f) && j[f].is_number()) << "no number '" << f << "' in " << j.dump();
    EXPECT_GT(j[f].get<double>(), 0) << f << " in " << j.dump();
  }
}

class CudaBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_dir_ = scratch_.path() + "/Tiny";
    std::filesystem::create_directories(config_dir_);
    std::ofstream(config_dir_ + "/config.json") << kTinyConfig;
  }
  testing::ScratchDir scratch_;
  std::string config_dir_;
};

TEST_F(CudaBenchTest, EveryKernelOfADecodeStepIsCheckedThenTimed) {
  // Batch 1 takes the GEMV, batch 9 the split-bf16 GemmEx pair (above gemv-max-tokens 8); at
  // batch 1 the 2 kv heads give too few blocks for the emulator's one SM, so the 600-position
  // context is split (split-K), the 5-position one is not.
  const Output o = RunEmu(absl::StrCat("--config ", config_dir_,
                                       " --bench kernels --batches 1,9 --contexts 5,600 --reps 2 --warmup 1"
                                       " --flush-mib 1 --copy-mib 1 --peak-gbs 100"));
  ASSERT_EQ(o.code, 0) << o.err;
  ASSERT_GE(o.lines.size(), 2u) << o.out;
  const json& dev = o.lines[0];
  EXPECT_EQ(dev.value("kind", ""), "device");
  ExpectLine(dev, {"copy_gbs", "copy_bytes", "spec_gbs", "sm_count"});
  EXPECT_THAT(dev.value("note", ""), HasSubstr("meaningless"));

  const std::vector<json> kernels = OfKind(o, "kernel");
  std::set<std::string> names1, names9;
  bool split_k = false;
  for (const json& k : kernels) {
    ExpectLine(k, {"bytes", "median_us", "min_us", "gbs", "frac_copy_bw", "frac_spec_bw", "reps"});
    EXPECT_EQ(k.value("model", ""), "Tiny");
    EXPECT_FALSE(k.value("bytes_formula", "").empty()) << k.dump();
    ASSERT_TRUE(k.contains("shape") && k["shape"].is_object()) << k.dump();
    ASSERT_TRUE(k.contains("check")) << k.dump();
    EXPECT_TRUE(k["check"].value("ok", false)) << k.dump();
    EXPECT_GT(k["check"].value("checked", 0), 0) << k.dump();
    EXPECT_LE(k["check"].value("worst_err_over_tol", 2.0), 1.0) << k.dump();
    EXPECT_FALSE(k["check"].value("reference", "").empty()) << k.dump();
    (k["batch"].get<int>() == 1 ? names1 : names9).insert(k["name"].get<std::string>());
    if (k["name"] == "attention_decode" && k["shape"]["splits"].get<int>() > 1) split_k = true;
    if (k["name"] == "gemv" || k["name"] == "gemm_bf16x2") {
      EXPECT_GT(k.value("gflops", 0.0), 0) << k.dump();
    }
  }
  const std::set<std::string> common = {"embedding",        "rms_norm",     "head_norm_rope", "kv_write",
                                        "attention_decode", "add_rms_norm", "silu_mul",       "argmax"};
  for (const std::string& n : common) {
    EXPECT_TRUE(names1.count(n)) << n << " missing at batch 1";
    EXPECT_TRUE(names9.count(n)) << n << " missing at batch 9";
  }
  EXPECT_TRUE(names1.count("gemv"));
  EXPECT_FALSE(names1.count("gemm_bf16x2"));
  EXPECT_TRUE(names9.count("gemm_bf16x2"));
  EXPECT_TRUE(names9.count("split_bf16"));
  EXPECT_FALSE(names9.count("gemv"));
  EXPECT_TRUE(split_k) << "no attention line used split-K";
  // Every projection shape: q (64x64), k/v (32x64), o, gate/up (128x64), down (64x128), lm_head.
  std::set<std::string> projs;
  for (const json& k : kernels) {
    if (k["name"] == "gemv") projs.insert(k["shape"]["proj"].get<std::string>());
  }
  EXPECT_EQ(projs,
            (std::set<std::string>{"q_proj,o_proj", "k_proj,v_proj", "gate_proj,up_proj", "down_proj", "lm_head"}));
}

TEST_F(CudaBenchTest, WholeModelFromRandomWeightsOfAConfig) {
  const std::string weights = scratch_.path() + "/weights";
  std::filesystem::create_directories(weights);
  const Output o = RunEmu(absl::StrCat("--config ", config_dir_, " --bench model --scratch ", weights,
                                       " --batches 1,3 --gemv-max-tokens 2 --prompt 12 --context 5 --steps 2 --warmup 1"
                                       " --prefill-reps 1 --copy-mib 1 --flush-mib 0 --peak-gbs 100"));
  ASSERT_EQ(o.code, 0) << o.err;
  const std::vector<json> model = OfKind(o, "model"), prefill = OfKind(o, "prefill"), decode = OfKind(o, "decode");
  ASSERT_EQ(model.size(), 1u) << o.out;
  ExpectLine(model[0], {"parameters", "weight_bytes", "kv_blocks"});
  EXPECT_THAT(model[0].value("source", ""), HasSubstr("random bf16 weights"));
  ASSERT_EQ(prefill.size(), 1u) << o.out;
  ExpectLine(prefill[0], {"median_ms", "tok_s", "flops", "tflops"});
  EXPECT_EQ(prefill[0]["prompt"], 12);
  ASSERT_EQ(decode.size(), 2u) << o.out;
  for (const json& d : decode) {
    ExpectLine(d, {"median_ms", "tok_s_total", "tok_s_per_seq", "predicted_bytes", "predicted_ms_at_copy_bw",
                   "roofline_fraction_copy", "roofline_fraction_spec", "graphs_captured", "graph_replays"});
    EXPECT_TRUE(d.value("logits_finite", false));
  }
  EXPECT_EQ(decode[0]["path"], "gemv");
  EXPECT_EQ(decode[1]["path"], "gemm_bf16x2");
  // The temporary weights are gone.
  EXPECT_TRUE(std::filesystem::is_empty(weights)) << "random weights left in " << weights;
}

TEST_F(CudaBenchTest, WholeModelFromTheDenseFixture) {
  SWITCHYARD_REQUIRE_SHARED();
  auto fixture = testing::FixtureDir("qwen3-tiny-dense");
  if (!fixture) GTEST_SKIP() << "../shared/fixtures/qwen3-tiny-dense is absent";
  const Output o = RunEmu(absl::StrCat("--model ", *fixture,
                                       "/hf --bench model --batches 1 --prompt 6 --context 3"
                                       " --steps 2 --warmup 1 --prefill-reps 1 --copy-mib 1 --flush-mib 0"));
  ASSERT_EQ(o.code, 0) << o.err;
  const std::vector<json> model = OfKind(o, "model"), decode = OfKind(o, "decode");
  ASSERT_EQ(model.size(), 1u) << o.out;
  EXPECT_EQ(model[0].value("source", ""), "checkpoint");
  EXPECT_EQ(model[0]["vocab"], 151936);
  ASSERT_EQ(decode.size(), 1u) << o.out;
  ExpectLine(decode[0], {"median_ms", "tok_s_total", "roofline_fraction_copy"});
  EXPECT_FALSE(decode[0].contains("roofline_fraction_spec")) << "no --peak-gbs, no spec fraction";
}

// A MoE config: random weights with the experts, decode through the device-routed expert
// kernels (graphs); the per-kernel bench refuses it, pointing at --bench model.
TEST_F(CudaBenchTest, WholeMoeModelFromRandomWeightsOfItsConfig) {
  SWITCHYARD_REQUIRE_SHARED();
  auto fixture = testing::FixtureDir("qwen3-tiny-moe");
  if (!fixture) GTEST_SKIP() << "../shared/fixtures/qwen3-tiny-moe is absent";
  const std::string weights = scratch_.path() + "/moe";
  std::filesystem::create_directories(weights);
  const Output o = RunEmu(absl::StrCat("--config ", *fixture, "/hf/config.json --bench model --scratch ", weights,
                                       " --batches 1 --prompt 6 --context 3 --steps 2 --warmup 1 --prefill-reps 1"
                                       " --copy-mib 1 --flush-mib 0"));
  ASSERT_EQ(o.code, 0) << o.err;
  const std::vector<json> model = OfKind(o, "model"), decode = OfKind(o, "decode");
  ASSERT_EQ(model.size(), 1u) << o.out;
  EXPECT_EQ(model[0].value("architecture", ""), "Qwen3MoeForCausalLM");
  ASSERT_EQ(decode.size(), 1u) << o.out;
  EXPECT_TRUE(decode[0].value("logits_finite", false));
  EXPECT_GT(decode[0].value("graph_replays", 0), 0);
  const Output k = RunEmu(absl::StrCat("--config ", *fixture, "/hf/config.json --bench kernels --batches 1"));
  EXPECT_NE(k.code, 0);
  EXPECT_THAT(k.err, HasSubstr("--bench model"));
}

TEST_F(CudaBenchTest, BadFlagsAreUsageErrors) {
  for (const char* args : {"--bench nonsense", "--batches 0", "--reps x", "--no-such-flag 1"}) {
    const Output o = RunEmu(args);
    EXPECT_EQ(o.code, 2) << args;
    EXPECT_THAT(o.err, HasSubstr("usage:")) << args;
    EXPECT_TRUE(o.lines.empty()) << args;
  }
  const Output missing = RunEmu("--config /nonexistent/dir --bench kernels");
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/dir/config.json"));
}

// The nvcc build, where SWITCHYARD_CUDA built it: on a GPU it measures (and checks) the tiny
// kernels; without one it exits 1 naming the CUDA runtime's reason, and prints no JSON.
TEST_F(CudaBenchTest, RealBuildMeasuresOrSaysWhyNot) {
  if (!std::filesystem::exists(testing::BinDir() + "/switchyard-cuda-bench")) {
    GTEST_SKIP() << "switchyard-cuda-bench is not built (SWITCHYARD_CUDA is off)";
  }
  const Output o =
      RunBinary("switchyard-cuda-bench",
                absl::StrCat("--config ", config_dir_, " --bench kernels --batches 1,9 --contexts 5,600 --reps 3"));
  ASSERT_TRUE(o.exited) << "killed by a signal: " << o.err;
  if (o.code == 0) {
    ASSERT_FALSE(o.lines.empty());
    EXPECT_FALSE(o.lines[0]["emulated"].get<bool>());
    for (const json& k : OfKind(o, "kernel")) EXPECT_TRUE(k["check"].value("ok", false)) << k.dump();
    return;
  }
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_THAT(o.err, HasSubstr("no CUDA device"));
  EXPECT_TRUE(o.lines.empty()) << o.out;
}

}  // namespace
}  // namespace switchyard
