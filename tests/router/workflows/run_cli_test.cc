// `switchyard run` end to end: the real binary, its exit codes, its messages, its JSON.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

struct Output {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Output RunCli(const std::string& args) {
  testing::ScratchDir dir;
  const std::string err_file = dir.File("stderr");
  const std::string cmd = absl::StrCat("env -u SWITCHYARD_API_KEY ", testing::BinDir(), "/switchyard run ", args, " 2>", err_file);
  FILE* p = popen(cmd.c_str(), "r");
  Output o;
  if (!p) return o;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.err = testing::Slurp(err_file);
  return o;
}

std::string Example(const std::string& name) {
  return absl::StrCat(testing::SourceDir(), "/examples/workflows/", name, ".yaml");
}

TEST(RunCliTest, ABadFileIsExitTwoWithFileLineAndKey) {
  testing::ScratchDir dir;
  dir.Write("bad.yaml", "steps:\n  - id: a\n    role: codr\n    prompt: hi\n");
  Output o = RunCli(dir.File("bad.yaml"));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, absl::StrCat("switchyard run: ", dir.File("bad.yaml"),
                                ":3: steps[0].role: unknown role \"codr\" (expected one of: reasoning, coder, translation, auto)\n"));
}

TEST(RunCliTest, MissingFileAndUsageErrorsAreExitTwo) {
  Output missing = RunCli("/nonexistent/flow.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "switchyard run: /nonexistent/flow.yaml: cannot open: No such file or directory\n");
  Output none = RunCli("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(absl::StartsWith(none.err, "switchyard run: missing FILE.yaml\n\nusage: switchyard run")) << none.err;
  Output bad_input = RunCli(absl::StrCat(Example("codegen"), " --input nope"));
  EXPECT_EQ(bad_input.exit_code, 2);
  EXPECT_TRUE(absl::StartsWith(bad_input.err, "switchyard run: --input takes KEY=VALUE (or KEY=@file), got \"nope\"\n"));
  Output unknown = RunCli(absl::StrCat(Example("codegen"), " --input spek=x --check"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, absl::StrCat("switchyard run: ", Example("codegen"), ": unknown input \"spek\" (inputs: spec, tests, rounds)\n"));
}

TEST(RunCliTest, CheckLoadsTheExamplesAndRunsNothing) {
  Output o = RunCli(absl::StrCat(Example("codegen"), " --check --input rounds=2 --input=spec=x"));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["workflow"], "codegen");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["steps"], nlohmann::json::parse(R"(["write", "test", "fix", "patch", "retest"])"));
  EXPECT_EQ(j["outputs"], nlohmann::json::parse(R"(["code", "passed", "fix_rounds"])"));
  for (const char* name : {"legal_analysis", "research_agent"}) {
    EXPECT_EQ(RunCli(absl::StrCat(Example(name), " --check")).exit_code, 0) << name;
  }
}

TEST(RunCliTest, NoRouterIsAFailedStepNamingTheAddress) {
  testing::ScratchDir dir;
  dir.Write("one.yaml", "name: one\nsteps:\n  - {id: ask, role: coder, prompt: hi}\n");
  Output o = RunCli(absl::StrCat(dir.File("one.yaml"), " --router 127.0.0.1:1 --timeout-s 10 --api-key sk-x"));
  EXPECT_EQ(o.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["workflow"], "one");
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["failed_step"], "ask");
  const std::string error = j["error"];
  EXPECT_TRUE(absl::StartsWith(error, "step \"ask\": coder: UNAVAILABLE: ")) << error;
  EXPECT_TRUE(absl::EndsWith(error, "(is a router running at 127.0.0.1:1?)")) << error;
  EXPECT_TRUE(absl::StrContains(o.err, "workflow=one event=started step=ask kind=model role=coder\n")) << o.err;
  EXPECT_TRUE(absl::StrContains(o.err, "workflow=one event=finished step=ask kind=model role=coder ok=false attempts=1")) << o.err;
  EXPECT_TRUE(absl::StrContains(o.err, "switchyard run: one: step \"ask\": coder: UNAVAILABLE")) << o.err;
}

TEST(RunCliTest, HelpIsExitZero) {
  Output o = RunCli("--help");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(absl::StartsWith(o.out, "usage: switchyard run FILE.yaml")) << o.out;
}

}  // namespace
}  // namespace switchyard
