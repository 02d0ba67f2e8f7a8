// `--device cpu|cuda` of switchyard-worker and switchyard-generate, as a user meets it: without a
// usable GPU (this project's machines) --device cuda exits 1 at once, before binding a port or
// loading a model, naming the cause (a build without CUDA, or the CUDA runtime's own words) and
// --device cpu; a bad value and CPU-only flags with cuda are usage errors (exit 2) naming the
// flag; the binaries need none of the CUDA Toolkit's shared libraries, and the worker still
// serves on --device cpu. With a GPU present, --device cuda gives the fixture's greedy tokens.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"
#include "tests/workers/engine/runtime/fixture_reference.h"
#include "workers/engine/backend/cuda/cuda_device.h"

namespace switchyard {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

struct Output {
  int code;
  std::string out, err;
};

Output RunTool(const std::string& binary, const std::string& args) {
  testing::ScratchDir dir;
  const std::string cmd = absl::StrCat(testing::BinDir(), "/", binary, " ", args, " > ", dir.File("out"), " 2> ",
                                       dir.File("err"), " < /dev/null");
  const int rc = std::system(cmd.c_str());
  return Output{WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + WTERMSIG(rc), testing::Slurp(dir.File("out")),
                testing::Slurp(dir.File("err"))};
}

// What the binaries say is wrong with CUDA here: the build (the same SWITCHYARD_CUDA as this
// test's engine library) or the runtime's answer, whose exact words depend on the driver.
std::string Cause() {
  return CudaCompiledIn() ? "no usable CUDA device (" : "this binary was built without CUDA";
}

class DeviceFlagTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (CudaDevices().ok()) GTEST_SKIP() << "a CUDA device is present: --device cuda works here (GpuDeviceTest)";
  }
};

TEST_F(DeviceFlagTest, WorkerOnCudaWithoutADeviceExitsWithTheCause) {
  // The model does not exist: the device is checked before anything is loaded or bound.
  const Output o = RunTool("switchyard-worker", "--role coder --model /nonexistent --listen 127.0.0.1:0 --device cuda");
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_THAT(o.err, AllOf(HasSubstr("\"event\":\"device_unavailable\""), HasSubstr("--device cuda: " + Cause()),
                           HasSubstr("; use --device cpu")));
  EXPECT_THAT(o.out, Not(HasSubstr("listening")));
  if (!CudaCompiledIn()) {
    EXPECT_THAT(o.err, HasSubstr("rebuild with cmake -DSWITCHYARD_CUDA=ON"));
  }
}

TEST_F(DeviceFlagTest, GenerateOnCudaWithoutADeviceExitsWithTheCause) {
  const Output o = RunTool("switchyard-generate", "--model /nonexistent --prompt hello --device cuda");
  EXPECT_EQ(o.code, 1) << o.err;
  EXPECT_THAT(o.err, AllOf(HasSubstr("switchyard-generate: --device cuda: " + Cause()), HasSubstr("; use --device cpu\n")));
  EXPECT_EQ(o.out, "");
}

TEST(DeviceFlagUsageTest, BadDeviceIsAUsageErrorNamingTheFlag) {
  for (const char* binary : {"switchyard-worker", "switchyard-generate"}) {
    const std::string args = std::string(binary) == "switchyard-worker"
                                 ? "--role coder --model /nonexistent --listen 127.0.0.1:0 --device tpu"
                                 : "--model /nonexistent --prompt hello --device tpu";
    const Output o = RunTool(binary, args);
    EXPECT_EQ(o.code, 2) << binary << ": " << o.err;
    EXPECT_THAT(o.err, HasSubstr(absl::StrCat(binary, ": --device: 'tpu' is not a device (use cpu or cuda)"))) << binary;
    EXPECT_THAT(o.err, HasSubstr("[--device cpu|cuda]")) << binary << ": the usage follows";
  }
}

TEST(DeviceFlagUsageTest, CpuOnlyFlagsAreRefusedWithCuda) {
  const std::string worker = "--role coder --model /nonexistent --listen 127.0.0.1:0 --device cuda ";
  Output o = RunTool("switchyard-worker", worker + "--threads 2");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("switchyard-worker: --threads applies to --device cpu only"));
  o = RunTool("switchyard-worker", worker + "--activations bf16");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("switchyard-worker: --activations bf16 applies to --device cpu only"));
  o = RunTool("switchyard-generate", "--model /nonexistent --prompt hello --device cuda --threads 2");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("switchyard-generate: --threads applies to --device cpu only"));
}

// libcublas.so and libcudart.so come with the CUDA Toolkit, not the driver: a binary that needs
// them at load time would not start at all, --device cpu included, on a machine without it.
TEST(DeviceFlagUsageTest, BinariesNeedNoCudaToolkitLibraries) {
  for (const char* binary : {"switchyard-worker", "switchyard-generate"}) {
    const std::string cmd = absl::StrCat("ldd ", testing::BinDir(), "/", binary, " 2>&1");
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ASSERT_EQ(pclose(p), 0) << out;
    EXPECT_THAT(out, AllOf(Not(HasSubstr("libcublas")), Not(HasSubstr("libcudart")), Not(HasSubstr("not found"))))
        << binary << ":\n" << out;
  }
}

// --device cpu, said out loud, on a machine with or without the toolkit: the worker serves.
TEST(DeviceFlagUsageTest, WorkerServesOnDeviceCpu) {
  auto tok = testing::QwenTokenizerDir();
  if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  testing::ScratchDir dir;
  auto model = testing::WriteTinyQwenModel(dir.File("model"), *tok, /*seed=*/5, /*max_position_embeddings=*/256);
  ASSERT_TRUE(model.ok()) << model.status();
  auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model", *model,
                                         "--listen", "127.0.0.1:0", "--device", "cpu", "--threads", "2"},
                                        dir.File("worker.log"));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE((*p)->WaitForLine("ready ", 60s).ok()) << testing::Slurp(dir.File("worker.log"));
  EXPECT_THAT(testing::Slurp(dir.File("worker.log")), HasSubstr("\"device\":\"cpu\""));
  (*p)->Signal(SIGTERM);
  EXPECT_EQ((*p)->Wait(15s), 0);
}

// Where a GPU is present (not on the project's machines): the same greedy tokens as llama.cpp.
TEST(GpuDeviceTest, GenerateOnCudaGivesTheFixturesGreedyTokens) {
  if (!CudaDevices().ok()) GTEST_SKIP() << "no CUDA device: " << CudaDevices().status();
  SWITCHYARD_REQUIRE_SHARED();
  auto dir = testing::FixtureDir("qwen3-tiny-dense");
  if (!dir) GTEST_SKIP() << "../shared/fixtures/qwen3-tiny-dense is absent";
  const auto refs = testing::ReadReference(*dir + "/ref.json");
  const auto& ref = refs[0];
  testing::ScratchDir scratch;
  scratch.Write("prompt", ref.text);
  const Output o = RunTool("switchyard-generate", absl::StrCat("--model ", *dir, "/hf --prompt \"$(cat ", scratch.File("prompt"),
                                                           ")\" --temperature 0 --max-tokens 16 --json --device cuda"));
  ASSERT_EQ(o.code, 0) << o.err;
  const nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["prompt_tokens"].get<std::vector<int32_t>>(), ref.tokens_hf);
  std::vector<int32_t> want;
  for (const auto& s : ref.greedy) want.push_back(s.token);
  EXPECT_EQ(j["tokens"].get<std::vector<int32_t>>(), want);
}

}  // namespace
}  // namespace switchyard
