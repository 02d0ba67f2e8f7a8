// run_code: really runs Python and bash in the sandbox and reports exit code, output bytes,
// timeouts and truncation; the request's deadline shortens the sandbox timeout.
#include "tools/run_code_tool.h"

#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tools/tool_registry.h"

namespace switchyard::tools {
namespace {

class RunCodeToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Register(*MakeRunCodeTool()).ok());
    context_.sandbox_limits.timeout = std::chrono::milliseconds(10000);
    context_.sandbox_limits.memory_bytes = 128LL << 20;
  }
  // The tool's content parsed back, after checking the call succeeded.
  nlohmann::json Run(const nlohmann::json& args) {
    ToolResult r = registry_.Execute("run_code", args.dump(), context_);
    EXPECT_EQ(r.kind, ToolResultKind::kOutput) << r.error;
    nlohmann::json content = nlohmann::json::parse(r.content, nullptr, false);
    EXPECT_FALSE(content.is_discarded()) << r.content;
    if (r.ok) {
      EXPECT_EQ(r.structured["exit_code"], content["exit_code"]);
      EXPECT_TRUE(r.structured.contains("protections"));
    }
    return content;
  }
  ToolRegistry registry_;
  ToolContext context_;
};

TEST_F(RunCodeToolTest, RunsPython) {
  nlohmann::json c = Run({{"language", "python"}, {"code", "import sys\nprint(6*7)\nsys.stderr.write('warn')\nsys.exit(3)\n"}});
  EXPECT_EQ(c["exit_code"], 3);
  EXPECT_EQ(c["stdout"], "42\n");
  EXPECT_EQ(c["stderr"], "warn");
  EXPECT_EQ(c["timed_out"], false);
  EXPECT_EQ(c["killed"], false);
  EXPECT_EQ(c["truncated"], false);
  EXPECT_EQ(c["stdout_truncated"], false);
  EXPECT_EQ(c["stderr_truncated"], false);
  EXPECT_TRUE(c["wall_ms"].is_number_integer());
  EXPECT_EQ(c.size(), 9u);
}

TEST_F(RunCodeToolTest, RunsBash) {
  nlohmann::json c = Run({{"language", "bash"}, {"code", "printf 'a\\tb'; echo oops >&2; exit 0"}});
  EXPECT_EQ(c["exit_code"], 0);
  EXPECT_EQ(c["stdout"], "a\tb");
  EXPECT_EQ(c["stderr"], "oops\n");
}

TEST_F(RunCodeToolTest, TimeoutKillsTheProgram) {
  context_.sandbox_limits.timeout = std::chrono::milliseconds(500);
  nlohmann::json c = Run({{"language", "python"}, {"code", "import time\ntime.sleep(30)\n"}});
  EXPECT_EQ(c["timed_out"], true);
  EXPECT_EQ(c["killed"], true);
  EXPECT_LT(c["wall_ms"].get<int64_t>(), 5000);
}

TEST_F(RunCodeToolTest, TheRequestDeadlineShortensTheTimeout) {
  context_.deadline = absl::Now() + absl::Milliseconds(700);  // the sandbox limit stays 10 s
  nlohmann::json c = Run({{"language", "bash"}, {"code", "sleep 30"}});
  EXPECT_EQ(c["timed_out"], true);
  EXPECT_LT(c["wall_ms"].get<int64_t>(), 5000);
}

TEST_F(RunCodeToolTest, OutputOverTheCapIsTruncated) {
  context_.sandbox_limits.max_stdout_bytes = 100;
  nlohmann::json c = Run({{"language", "python"}, {"code", "print('x' * 1000)"}});
  EXPECT_EQ(c["stdout"], std::string(100, 'x'));
  EXPECT_EQ(c["truncated"], true);
  EXPECT_EQ(c["stdout_truncated"], true);
  EXPECT_EQ(c["stderr_truncated"], false);
}

TEST_F(RunCodeToolTest, NonUtf8OutputStaysReadable) {
  nlohmann::json c = Run({{"language", "bash"}, {"code", "printf 'a\\377b'"}});
  EXPECT_EQ(c["stdout"], "a\xEF\xBF\xBD" "b");  // U+FFFD for the stray byte
}

TEST_F(RunCodeToolTest, BadArgumentsAndExpiredDeadline) {
  EXPECT_EQ(registry_.Execute("run_code", R"({"language":"ruby","code":"p 1"})", context_).content,
            "invalid arguments for tool \"run_code\": /language: not one of the enum values [\"python\",\"bash\"]");
  EXPECT_EQ(registry_.Execute("run_code", nlohmann::json{{"language", "bash"}, {"code", std::string(100001, 'x')}}.dump(),
                              context_)
                .content,
            "invalid arguments for tool \"run_code\": /code: expected at most 100000 characters, got 100001");
  context_.deadline = absl::Now() - absl::Milliseconds(1);
  EXPECT_EQ(registry_.Execute("run_code", R"({"language":"bash","code":"echo hi"})", context_).content,
            "tool \"run_code\" failed: the request's deadline has passed");
}

}  // namespace
}  // namespace switchyard::tools
