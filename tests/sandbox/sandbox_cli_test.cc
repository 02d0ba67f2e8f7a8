// `switchyard sandbox run` end to end: the real binary, one JSON object on stdout, exit codes.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

struct Output {
  int exit_code;
  std::string out;
};

Output RunCli(const std::string& args) {
  const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard sandbox ", args, " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  Output o{-1, ""};
  if (!p) return o;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

TEST(SandboxCliTest, PrintsOneJsonObject) {
  testing::ScratchDir dir;
  dir.Write("hello.py", "import sys\nprint('hello')\nsys.exit(4)\n");
  Output o = RunCli(absl::StrCat("run --timeout 5 --memory-mb 128 ", dir.File("hello.py")));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["exit_code"], 4);
  EXPECT_EQ(j["stdout"], "hello\n");
  EXPECT_EQ(j["stderr"], "");
  EXPECT_EQ(j["timed_out"], false);
  EXPECT_EQ(j["killed"], false);
  EXPECT_TRUE(j["kill_reason"].is_null());
  EXPECT_EQ(j["truncated"], false);
  EXPECT_TRUE(j["wall_ms"].is_number_integer());
}

TEST(SandboxCliTest, TimeoutIsReportedInTheJson) {
  testing::ScratchDir dir;
  dir.Write("loop", "while :; do :; done\n");
  Output o = RunCli(absl::StrCat("run --lang bash --timeout 0.5 ", dir.File("loop")));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["timed_out"], true);
  EXPECT_EQ(j["killed"], true);
  EXPECT_EQ(j["kill_reason"], "timeout");
  EXPECT_LT(j["wall_ms"].get<int>(), 1000);
}

TEST(SandboxCliTest, BadUsageExitsTwo) {
  testing::ScratchDir dir;
  dir.Write("x.txt", "echo\n");
  EXPECT_EQ(RunCli("run").exit_code, 2);
  EXPECT_EQ(RunCli(absl::StrCat("run ", dir.File("x.txt"))).exit_code, 2);  // language unknown
  EXPECT_EQ(RunCli(absl::StrCat("run --lang ruby ", dir.File("x.txt"))).exit_code, 2);
  EXPECT_EQ(RunCli(absl::StrCat("run --timeout -1 --lang bash ", dir.File("x.txt"))).exit_code, 2);
  EXPECT_EQ(RunCli("run /nonexistent.py").exit_code, 2);
  EXPECT_EQ(RunCli("frobnicate").exit_code, 2);
}

}  // namespace
}  // namespace switchyard
