// `switchyard up` and `switchyard chat` as a user runs them: the cluster comes up on tiny
// models, each role answers its kind of request with the route shown, and SIGTERM stops
// every process it started.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

using testing::Slurp;

// Processes whose command line mentions `needle`.
int CountProcesses(const std::string& needle) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string cmd = Slurp(e.path().string() + "/cmdline");
    if (cmd.find(needle) != std::string::npos && cmd.find("up_test") == std::string::npos) ++n;
  }
  return n;
}

// One HTTP/1.1 GET on a fresh connection; the whole response (or "" when it fails).
std::string HttpGet(const std::string& host_port, const std::string& path) {
  const size_t colon = host_port.rfind(':');
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1))));
  ::inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &a.sin_addr);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

TEST(UpTest, ClusterServesEachRoleAndStopsCleanly) {
  if (!testing::QwenTokenizerDir()) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  testing::ScratchDir dir;
  const std::string models = dir.File("models");
  auto up = testing::ChildProcess::Start({testing::BinDir() + "/switchyard", "up", "--grpc-port", "0", "--http-port", "0",
                                          "--models", models},
                                         dir.File("up.err"));
  ASSERT_TRUE(up.ok()) << up.status();
  auto http = (*up)->WaitForLine("http http://", 180s);
  ASSERT_TRUE(http.ok()) << http.status() << "\n" << Slurp(dir.File("up.err"));
  auto router = (*up)->WaitForLine("ready grpc=", 60s);
  ASSERT_TRUE(router.ok()) << router.status() << "\n" << Slurp(dir.File("up.err"));
  // The gateway is up with the cluster: healthy once every pool is.
  EXPECT_THAT(HttpGet(*http, "/healthz"), ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(HttpGet(*http, "/v1/models"), HasSubstr("\"id\":\"translation\""));
  EXPECT_EQ(CountProcesses(models), 5);  // `switchyard up`, three workers and the router
  const std::pair<const char*, const char*> requests[] = {
      {"translation", "Translate into French: the library opens at nine."},
      {"coder", "Write a C++ function that sorts a vector of strings by length."},
      {"reasoning", "If 3 pencils cost 45 cents, how much do 7 pencils cost? Explain step by step."}};
  for (const auto& [role, text] : requests) {
    const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard chat --router ", *router, " --max-tokens 8 \"", text,
                                         "\" > ", dir.File("out"), " 2> ", dir.File("err"));
    ASSERT_EQ(std::system(cmd.c_str()), 0) << Slurp(dir.File("err"));
    EXPECT_THAT(Slurp(dir.File("err")), HasSubstr(absl::StrCat("[route ", role, " via 127.0.0.1:")));
    EXPECT_THAT(Slurp(dir.File("err")), HasSubstr("[LENGTH,"));
  }
  // The three example workflows run end to end against the cluster (router tools, constrained
  // JSON, the sandbox). On random weights the code-generation loop cannot make its tests pass:
  // it must end after its bounded rounds, naming the step.
  const std::pair<const char*, int> workflows[] = {{"legal_analysis", 0}, {"research_agent", 0}, {"codegen", 1}};
  for (const auto& [name, want] : workflows) {
    const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard run ", testing::SourceDir(), "/examples/workflows/",
                                         name, ".yaml --quiet --router ", *router, " > ", dir.File("wf.json"), " 2> ",
                                         dir.File("wf.err"));
    const int rc = std::system(cmd.c_str());
    EXPECT_EQ(WEXITSTATUS(rc), want) << name << ": " << Slurp(dir.File("wf.err"));
    const std::string report = Slurp(dir.File("wf.json"));  // pretty-printed JSON
    const std::string head = report.substr(0, 300);
    EXPECT_THAT(report, HasSubstr(absl::StrCat("\"workflow\": \"", name, "\""))) << head;
    if (want == 1) {
      EXPECT_THAT(report, HasSubstr("\"failed_step\": \"fix\"")) << head;
      EXPECT_THAT(report, HasSubstr("tests still failing after 3 rounds")) << head;
    } else {
      EXPECT_THAT(report, HasSubstr("\"ok\": true")) << head;
    }
  }
  (*up)->Signal(SIGTERM);
  EXPECT_EQ((*up)->Wait(30s), 0);
  for (int i = 0; i < 50 && CountProcesses(models) > 0; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(CountProcesses(models), 0) << "processes left behind";
  // A second start reuses the models made the first time.
  EXPECT_TRUE(std::filesystem::exists(models + "/translation/config.json"));
}

TEST(UpTest, ChatReportsAnUnreachableRouter) {
  testing::ScratchDir dir;
  const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard chat --router 127.0.0.1:1 --timeout-s 2 hello > ",
                                       dir.File("out"), " 2> ", dir.File("err"));
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  EXPECT_THAT(Slurp(dir.File("err")), HasSubstr("is a router running at 127.0.0.1:1?"));
  const int bad = std::system(absl::StrCat(testing::BinDir(), "/switchyard chat > /dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(bad), 2);
}

}  // namespace
}  // namespace switchyard
