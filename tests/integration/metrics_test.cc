// Metrics and logs across processes: switchyard-router (gateway and --metrics-listen) over one
// switchyard-worker with --metrics-listen, on a tiny random model. After a chat through the
// gateway, both /metrics show it counted with the right labels, and the router's chat_done
// line and the worker's request_done line carry the same trace id.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string head;  // status line and headers, lower-cased
  std::string body;
};

// One HTTP/1.1 exchange with Connection: close (the servers answer with Content-Length).
Reply Http(const std::string& address, const std::string& method, const std::string& path, const std::string& body = "") {
  Reply r;
  const size_t colon = address.rfind(':');
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(address.substr(colon + 1), &port)) << address;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    ::close(fd);
    ADD_FAILURE() << "connect " << address;
    return r;
  }
  const std::string request =
      absl::StrCat(method, " ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n",
                   body.empty() ? "" : absl::StrCat("Content-Type: application/json\r\nContent-Length: ", body.size(), "\r\n"),
                   "\r\n", body);
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  std::string raw;
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char buf[16384];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.size() < 12) return r;
  (void)absl::SimpleAtoi(raw.substr(9, 3), &r.status);
  r.head = absl::AsciiStrToLower(raw.substr(0, end));
  r.body = raw.substr(end + 4);
  return r;
}

// The value of `header` (lower-case) in a reply's head.
std::string Header(const Reply& r, const std::string& header) {
  const size_t at = r.head.find("\r\n" + header + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + header.size() + 3;
  return std::string(absl::StripAsciiWhitespace(r.head.substr(start, r.head.find("\r\n", start) - start)));
}

// Polls `get` until `pred` holds on it (other processes finish their bookkeeping after the
// answer is out), for up to 10 s; returns the last value.
std::string Eventually(const std::function<std::string()>& get, const std::function<bool(const std::string&)>& pred) {
  std::string v;
  const auto until = std::chrono::steady_clock::now() + 10s;
  do {
    v = get();
    if (pred(v)) break;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < until);
  return v;
}

// The whole log so far ("" before the process has written it).
std::string ReadLog(const std::string& path) { return ReadFile(path).value_or(""); }

// The JSON log line with this event and trace id, or null.
Json FindLogLine(const std::string& log, const std::string& event, const std::string& trace_id) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_object() && j.value("event", "") == event && j.value("trace_id", "") == trace_id) return j;
  }
  return nullptr;
}

class MetricsProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) return;
    dir_ = std::make_unique<testing::ScratchDir>();
    auto model = testing::WriteTinyQwenModel(dir_->File("model"), *tok, /*seed=*/43, /*max_position_embeddings=*/1024);
    ASSERT_TRUE(model.ok()) << model.status();
    auto w = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model", *model,
                                           "--listen", "127.0.0.1:0", "--threads", "1", "--kv-cache-tokens", "4096",
                                           "--metrics-listen", "127.0.0.1:0"},
                                          dir_->File("worker.log"));
    ASSERT_TRUE(w.ok()) << w.status();
    worker_ = std::move(*w);
    auto addr = worker_->WaitForLine("listening ", 30s);
    ASSERT_TRUE(addr.ok()) << addr.status();
    worker_address_ = *addr;
    auto metrics = worker_->WaitForLine("metrics listening ", 30s);
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    worker_metrics_ = *metrics;
    ASSERT_TRUE(worker_->WaitForLine("ready ", 60s).ok());
    {
      std::ofstream cfg(dir_->File("router.yaml"));
      cfg << "listen: 127.0.0.1:0\npools:\n  coder: {endpoints: [" << worker_address_ << "]}\n"
          << "classifier: {fallback_route: coder}\n"
          << "defaults: {max_tokens: 16}\nhealth: {interval_ms: 200, timeout_ms: 500}\n"
          << "http: {listen: 127.0.0.1:0}\n";
    }
    auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router.yaml"),
                                           "--metrics-listen", "127.0.0.1:0"},
                                          dir_->File("router.log"));
    ASSERT_TRUE(r.ok()) << r.status();
    router_ = std::move(*r);
    auto grpc_addr = router_->WaitForLine("listening ", 30s);
    ASSERT_TRUE(grpc_addr.ok()) << grpc_addr.status();
    router_address_ = *grpc_addr;
    auto http = router_->WaitForLine("http listening ", 30s);
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *http;
    auto router_metrics = router_->WaitForLine("metrics listening ", 30s);
    ASSERT_TRUE(router_metrics.ok()) << router_metrics.status();
    router_metrics_ = *router_metrics;
    ASSERT_TRUE(router_->WaitForLine("ready ", 30s).ok());
  }
  static void TearDownTestSuite() {
    router_.reset();
    worker_.reset();
    dir_.reset();
  }
  void SetUp() override {
    if (!router_) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  }

  static std::string RouterMetrics() { return Http(http_, "GET", "/metrics").body; }
  static std::string WorkerMetrics() { return Http(worker_metrics_, "GET", "/metrics").body; }

  static inline std::unique_ptr<testing::ScratchDir> dir_;
  static inline std::unique_ptr<testing::ChildProcess> worker_, router_;
  static inline std::string worker_address_, worker_metrics_, router_address_, http_, router_metrics_;
};

// One chat through the gateway: counted on both sides, logged on both sides under one trace id.
// (The only test that chats, so the counts are exact.)
TEST_F(MetricsProcessTest, OneChatIsCountedAndLoggedOnBothSides) {
  const Reply chat = Http(http_, "POST", "/v1/chat/completions",
                          R"({"model": "coder", "messages": [{"role": "user", "content": "Write a Python function."}],)"
                          R"( "max_tokens": 8, "seed": 5})");
  ASSERT_EQ(chat.status, 200) << chat.head << chat.body;
  const std::string trace_id = Header(chat, "x-switchyard-trace-id");
  ASSERT_EQ(trace_id.size(), 32u) << chat.head;
  const int prompt_tokens = Json::parse(chat.body)["usage"]["prompt_tokens"];
  ASSERT_GT(prompt_tokens, 0);

  const std::string router = Eventually(RouterMetrics, [](const std::string& m) {
    return m.find(R"(switchyard_router_requests_total{route="coder",role="coder",status="OK"} 1)") != std::string::npos;
  });
  EXPECT_THAT(router, HasSubstr("# TYPE switchyard_router_requests_total counter\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_requests_total{route=\"coder\",role=\"coder\",status=\"OK\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("# TYPE switchyard_router_time_to_first_token_seconds histogram\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_time_to_first_token_seconds_count{role=\"coder\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_time_to_first_token_seconds_bucket{role=\"coder\",le=\"+Inf\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_request_duration_seconds_count{role=\"coder\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_tokens_total{role=\"coder\",direction=\"out\"} 8\n"));
  EXPECT_THAT(router, HasSubstr(absl::StrCat("switchyard_router_tokens_total{role=\"coder\",direction=\"in\"} ",
                                             prompt_tokens, "\n")));
  EXPECT_THAT(router, HasSubstr("switchyard_router_agent_steps_total{role=\"coder\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("pinned=\"true\"} 1\n"));  // the classifier's label, pinned by the client
  EXPECT_THAT(router, HasSubstr(absl::StrCat("switchyard_worker_up{role=\"coder\",endpoint=\"", worker_address_, "\"} 1\n")));
  EXPECT_THAT(router, HasSubstr(absl::StrCat("switchyard_worker_queued{role=\"coder\",endpoint=\"", worker_address_, "\"} 0\n")));
  // The replica's prefix cache, as its worker reports it (values depend on the worker's cache).
  EXPECT_THAT(router, HasSubstr("# TYPE switchyard_worker_kv_blocks_cached gauge\n"));
  EXPECT_THAT(router, HasSubstr(absl::StrCat("switchyard_worker_kv_blocks_cached{role=\"coder\",endpoint=\"", worker_address_, "\"} ")));
  EXPECT_THAT(router, HasSubstr("# TYPE switchyard_worker_prefix_hit_ratio gauge\n"));
  EXPECT_THAT(router, HasSubstr(absl::StrCat("switchyard_worker_prefix_hit_ratio{role=\"coder\",endpoint=\"", worker_address_, "\"} ")));
  EXPECT_THAT(router, HasSubstr("switchyard_gateway_requests_total{path=\"/v1/chat/completions\",status=\"200\"} 1\n"));
  // --metrics-listen serves the same registry.
  const Reply alone = Http(router_metrics_, "GET", "/metrics");
  EXPECT_EQ(alone.status, 200);
  EXPECT_EQ(Header(alone, "content-type"), "text/plain; version=0.0.4");
  EXPECT_THAT(alone.body, HasSubstr("switchyard_router_requests_total{route=\"coder\",role=\"coder\",status=\"OK\"} 1\n"));

  // The call's end is counted as its stream finishes; the engine lets go of the sequence at its
  // next step, a moment later: wait for both, or the running gauge may still show it.
  const std::string worker = Eventually(WorkerMetrics, [](const std::string& m) {
    return m.find("switchyard_worker_requests_total{status=\"OK\"} 1\n") != std::string::npos &&
           m.find("switchyard_worker_running_sequences 0\n") != std::string::npos;
  });
  EXPECT_THAT(worker, HasSubstr("# TYPE switchyard_worker_requests_total counter\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_requests_total{status=\"OK\"} 1\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_time_to_first_token_seconds_count 1\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_request_duration_seconds_count 1\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_tokens_total{direction=\"out\"} 8\n"));
  EXPECT_THAT(worker, HasSubstr(absl::StrCat("switchyard_worker_tokens_total{direction=\"in\"} ", prompt_tokens, "\n")));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_running_sequences 0\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_queued_sequences 0\n"));
  EXPECT_THAT(worker, HasSubstr("switchyard_worker_kv_blocks_total 256\n"));  // 4096 tokens / 16 per block

  // One request, one trace id, a line on each side.
  Json done;
  Eventually([&] { return ReadLog(dir_->File("worker.log")); },
             [&](const std::string& log) { return !(done = FindLogLine(log, "request_done", trace_id)).is_null(); });
  ASSERT_FALSE(done.is_null()) << ReadLog(dir_->File("worker.log"));
  EXPECT_EQ(done["service"], "worker");
  EXPECT_EQ(done["status"], "OK");
  EXPECT_EQ(done["role"], "coder");
  EXPECT_EQ(done["prompt_tokens"], prompt_tokens);
  EXPECT_EQ(done["completion_tokens"], 8);
  EXPECT_TRUE(done["ttft_ms"].is_number_integer());
  EXPECT_TRUE(done["duration_ms"].is_number_integer());
  const Json chat_done = FindLogLine(ReadLog(dir_->File("router.log")), "chat_done", trace_id);
  ASSERT_FALSE(chat_done.is_null()) << ReadLog(dir_->File("router.log"));
  EXPECT_EQ(chat_done["service"], "router");
  EXPECT_EQ(chat_done["status"], "OK");
  EXPECT_EQ(chat_done["role"], "coder");
  EXPECT_EQ(chat_done["replica"], worker_address_);
  EXPECT_EQ(chat_done["steps"], 1);
  EXPECT_EQ(chat_done["completion_tokens"], 8);
  EXPECT_TRUE(chat_done["duration_ms"].is_number_integer());
}

// A run refused before routing is counted with role "none", and a route the router does not
// know is "invalid" rather than a label value of the client's choosing.
TEST_F(MetricsProcessTest, RefusedRunIsCountedWithBoundedLabels) {
  auto stub = v1::Router::NewStub(grpc::CreateChannel(router_address_, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::ChatRequest req;
  req.set_route("no-such-route-xyz");
  v1::ChatMessage* m = req.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("hello");
  auto reader = stub->Chat(&ctx, req);
  v1::ChatEvent e;
  while (reader->Read(&e)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::string router = Eventually(RouterMetrics, [](const std::string& m) {
    return m.find("status=\"INVALID_ARGUMENT\"} 1") != std::string::npos;
  });
  EXPECT_THAT(router,
              HasSubstr("switchyard_router_requests_total{route=\"invalid\",role=\"none\",status=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_THAT(router, Not(HasSubstr("no-such-route-xyz")));
}

// Router tools run through CallTool are counted by tool and result; run_code's sandbox run by
// language and outcome (whatever this machine's kernel allows the sandbox: ok, or error).
TEST_F(MetricsProcessTest, ToolCallsAndSandboxRunsAreCounted) {
  auto stub = v1::Router::NewStub(grpc::CreateChannel(router_address_, grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext ctx;
    v1::CallToolRequest req;
    req.set_name("search_documents");
    req.set_arguments_json(R"({"query": "metrics"})");
    v1::Document* d = req.add_documents();
    d->set_name("a.txt");
    d->set_text("Prometheus metrics and logs.");
    v1::ToolResult out;
    ASSERT_TRUE(stub->CallTool(&ctx, req, &out).ok());
    EXPECT_TRUE(out.ok()) << out.error();
  }
  {
    grpc::ClientContext ctx;
    v1::CallToolRequest req;
    req.set_name("run_code");
    req.set_arguments_json(R"js({"language": "python", "code": "print(1)"})js");
    v1::ToolResult out;
    ASSERT_TRUE(stub->CallTool(&ctx, req, &out).ok());
  }
  const std::string router = RouterMetrics();
  EXPECT_THAT(router, HasSubstr("switchyard_router_tool_calls_total{tool=\"search_documents\",status=\"ok\"} 1\n"));
  EXPECT_THAT(router, HasSubstr("switchyard_router_tool_calls_total{tool=\"run_code\",status=\""));
  EXPECT_THAT(router, HasSubstr("# TYPE switchyard_sandbox_runs_total counter\n"));
  EXPECT_THAT(router, ::testing::ContainsRegex(
                          R"re(switchyard_sandbox_runs_total\{language="python",outcome="(ok|error)"\} 1)re"));
}

// Only GET /metrics is served on the worker's metrics port.
TEST_F(MetricsProcessTest, WorkerMetricsPortServesOnlyMetrics) {
  const Reply ok = Http(worker_metrics_, "GET", "/metrics");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(Header(ok, "content-type"), "text/plain; version=0.0.4");
  EXPECT_EQ(Http(worker_metrics_, "GET", "/nope").status, 404);
  EXPECT_EQ(Http(worker_metrics_, "POST", "/metrics", "{}").status, 405);
}

}  // namespace
}  // namespace switchyard
