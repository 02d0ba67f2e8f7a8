// The OpenAI-compatible HTTP gateway as a process: switchyard-router with `http:` in its
// config over one worker per role on a tiny random model, driven by raw HTTP over sockets (what
// curl would send, and what no client library would: bad JSON, cut-short bodies, huge bodies,
// a client that stalls mid-headers while another is served) and by the official `openai` npm
// client (tests/integration/openai_client/check.mjs). A second router with a policy file and
// --http-listen answers 401, 403 and 429 with Retry-After as OpenAI clients expect.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policies/api_key_hash.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;
using namespace std::chrono_literals;

// A TCP connection to the gateway, written and read by hand.
class Conn {
 public:
  explicit Conn(const std::string& address) {
    const size_t colon = address.rfind(':');
    int port = 0;
    EXPECT_TRUE(absl::SimpleAtoi(address.substr(colon + 1), &port));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  }
  ~Conn() { ::close(fd_); }
  bool Send(const std::string& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  // Everything until the server closes, or until `timeout`.
  std::string ReadAll(std::chrono::milliseconds timeout = 30s) {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[16384];
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // de-chunked
  std::string raw;
};

Reply ParseReply(const std::string& raw) {
  Reply r;
  r.raw = raw;
  const size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  std::vector<std::string> lines = absl::StrSplit(raw.substr(0, head_end), "\r\n");
  if (lines.empty() || lines[0].size() < 12) return r;
  (void)absl::SimpleAtoi(lines[0].substr(9, 3), &r.status);
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    r.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  std::string rest = raw.substr(head_end + 4);
  if (r.headers["transfer-encoding"] != "chunked") {
    r.body = rest;
    return r;
  }
  size_t at = 0;
  for (;;) {
    const size_t eol = rest.find("\r\n", at);
    if (eol == std::string::npos) break;
    size_t n = 0;
    if (!absl::SimpleHexAtoi(rest.substr(at, eol - at), &n) || n == 0) break;
    r.body += rest.substr(eol + 2, n);
    at = eol + 2 + n + 2;
  }
  return r;
}

std::string Post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
  return absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: ",
                      body.size(), "\r\nConnection: close\r\n", extra_headers, "\r\n", body);
}

class GatewayProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) return;
    dir_ = std::make_unique<testing::ScratchDir>();
    auto model = testing::WriteTinyQwenModel(dir_->File("model"), *tok, /*seed=*/43, /*max_position_embeddings=*/1024);
    ASSERT_TRUE(model.ok()) << model.status();
    for (const char* role : {"reasoning", "coder", "translation"}) {
      auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", role, "--model", *model,
                                             "--listen", "127.0.0.1:0", "--threads", "1", "--max-batch", "16",
                                             "--kv-cache-tokens", "8192"},
                                            dir_->File(absl::StrCat("worker-", role, ".log")));
      ASSERT_TRUE(p.ok()) << p.status();
      auto addr = (*p)->WaitForLine("listening ", 30s);
      ASSERT_TRUE(addr.ok()) << addr.status();
      worker_addresses_[role] = *addr;
      workers_.push_back(std::move(*p));
    }
    for (auto& w : workers_) ASSERT_TRUE(w->WaitForLine("ready ", 60s).ok());
    {
      std::ofstream cfg(dir_->File("router.yaml"));
      cfg << "listen: 127.0.0.1:0\npools:\n";
      for (const auto& [role, addr] : worker_addresses_) cfg << "  " << role << ": {endpoints: [" << addr << "]}\n";
      cfg << "defaults: {max_tokens: 16}\nhealth: {interval_ms: 200, timeout_ms: 500}\n"
          << "http: {listen: 127.0.0.1:0, max_body_bytes: 65536, read_timeout_ms: 1000, model_aliases: {gpt-4o: reasoning}}\n";
    }
    auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router.yaml")},
                                          dir_->File("router.log"));
    ASSERT_TRUE(r.ok()) << r.status();
    router_ = std::move(*r);
    ASSERT_TRUE(router_->WaitForLine("listening ", 30s).ok());
    auto http = router_->WaitForLine("http listening ", 30s);
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = *http;
    ASSERT_TRUE(router_->WaitForLine("ready ", 30s).ok());
  }
  static void TearDownTestSuite() {
    router_.reset();
    workers_.clear();
    dir_.reset();
  }
  void SetUp() override {
    if (!router_) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  }

  static Reply Exchange(const std::string& request, const std::string& address = http_) {
    Conn c(address);
    EXPECT_TRUE(c.Send(request));
    return ParseReply(c.ReadAll());
  }
  static Json ErrorOf(const Reply& r) {
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_TRUE(j.contains("error")) << r.raw;
    return j.contains("error") ? j["error"] : Json::object();
  }
  static std::string ChatBody(const std::string& model, const std::string& extra = "") {
    return absl::StrCat(R"({"model": ")", model,
                        R"(", "messages": [{"role": "user", "content": "Write a Python function that adds two numbers."}],)",
                        R"( "max_tokens": 8, "seed": 5)", extra, "}");
  }

  static inline std::unique_ptr<testing::ScratchDir> dir_;
  static inline std::map<std::string, std::string> worker_addresses_;
  static inline std::vector<std::unique_ptr<testing::ChildProcess>> workers_;
  static inline std::unique_ptr<testing::ChildProcess> router_;
  static inline std::string http_;
};

TEST_F(GatewayProcessTest, ChatCompletion) {
  const Reply r = Exchange(Post("/v1/chat/completions", ChatBody("coder")));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_THAT(r.headers.at("x-switchyard-route"), StartsWith("role=coder; replica=" + worker_addresses_.at("coder")));
  EXPECT_EQ(r.headers.at("x-switchyard-trace-id").size(), 32u);
  const Json j = Json::parse(r.body);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["model"], "coder");
  EXPECT_EQ(j["id"], "chatcmpl-" + r.headers.at("x-switchyard-trace-id"));
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(j["usage"]["completion_tokens"], 8);
  EXPECT_GT(j["usage"]["prompt_tokens"].get<int>(), 5);
  EXPECT_EQ(j["switchyard"]["route"]["role"], "coder");
  EXPECT_EQ(j["switchyard"]["route"]["pinned"], true);
  EXPECT_EQ(j["switchyard"]["trace"]["end_reason"], "length");
  // An alias from the config.
  const Reply alias = Exchange(Post("/v1/chat/completions", ChatBody("gpt-4o")));
  ASSERT_EQ(alias.status, 200) << alias.raw;
  EXPECT_THAT(alias.headers.at("x-switchyard-route"), StartsWith("role=reasoning;"));
}

TEST_F(GatewayProcessTest, StreamEndsWithDone) {
  const Reply r = Exchange(
      Post("/v1/chat/completions", ChatBody("auto", R"(, "stream": true, "stream_options": {"include_usage": true})")));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.headers.at("content-type"), "text/event-stream");
  EXPECT_EQ(r.headers.at("transfer-encoding"), "chunked");
  EXPECT_THAT(r.headers.at("x-switchyard-route"), StartsWith("role=coder;"));  // classified
  std::vector<std::string> events;
  for (absl::string_view e : absl::StrSplit(r.body, "\n\n", absl::SkipEmpty())) events.emplace_back(e);
  ASSERT_GE(events.size(), 4u) << r.body;
  EXPECT_EQ(events.back(), "data: [DONE]");
  std::string finish;
  int usage = -1;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    ASSERT_THAT(events[i], StartsWith("data: {"));
    const Json chunk = Json::parse(events[i].substr(6));
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (i == 0) {
      EXPECT_EQ(chunk["switchyard"]["route"]["role"], "coder");
    }
    if (!chunk["choices"].empty() && chunk["choices"][0]["finish_reason"].is_string()) {
      finish = chunk["choices"][0]["finish_reason"];
    }
    if (chunk.contains("usage")) usage = chunk["usage"]["completion_tokens"];
  }
  EXPECT_EQ(finish, "length");
  EXPECT_EQ(usage, 8);
}

TEST_F(GatewayProcessTest, NotJsonIs400) {
  const Reply r = Exchange(Post("/v1/chat/completions", "this is not json"));
  ASSERT_EQ(r.status, 400) << r.raw;
  const Json e = ErrorOf(r);
  EXPECT_EQ(e["type"], "invalid_request_error");
  EXPECT_THAT(e["message"].get<std::string>(), StartsWith("the body is not valid JSON: parse error at line 1, column 2"));
  EXPECT_TRUE(e["param"].is_null());
  // A body whose JSON is cut short is the same error, naming where it ends.
  const Reply cut = Exchange(Post("/v1/chat/completions", R"({"model": "auto", "messages": [{"role": "us)"));
  ASSERT_EQ(cut.status, 400) << cut.raw;
  EXPECT_THAT(ErrorOf(cut)["message"].get<std::string>(), HasSubstr("the body is not valid JSON"));
}

TEST_F(GatewayProcessTest, BadFieldIs400NamingIt) {
  const Reply r = Exchange(Post("/v1/chat/completions", R"({"model": "auto", "messages": [{"role": "user", "content": "hi"},
      {"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{"}}]}]})"));
  ASSERT_EQ(r.status, 400) << r.raw;
  const Json e = ErrorOf(r);
  EXPECT_EQ(e["param"], "messages[1].tool_calls[0].function.arguments");
  EXPECT_THAT(e["message"].get<std::string>(), StartsWith("messages[1].tool_calls[0].function.arguments: not a JSON object"));
  // The worker's own refusal comes back as 400 too: a forced call cannot also be JSON.
  const Reply w = Exchange(Post("/v1/chat/completions", ChatBody("coder", R"(, "tools": [{"type": "function",
      "function": {"name": "f"}}], "tool_choice": "required", "response_format": {"type": "json_object"})")));
  EXPECT_EQ(w.status, 400) << w.raw;
  EXPECT_THAT(ErrorOf(w)["message"].get<std::string>(), HasSubstr("tool_choice"));
}

TEST_F(GatewayProcessTest, UnknownModelIs404) {
  const Reply r = Exchange(Post("/v1/chat/completions", ChatBody("gpt-99")));
  ASSERT_EQ(r.status, 404) << r.raw;
  const Json e = ErrorOf(r);
  EXPECT_EQ(e["code"], "model_not_found");
  EXPECT_EQ(e["param"], "model");
  EXPECT_EQ(Exchange("GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 404);
  Reply m = Exchange("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.headers["allow"], "POST");
}

TEST_F(GatewayProcessTest, TruncatedBodyIs400) {
  Conn c(http_);
  const std::string body = ChatBody("auto");
  ASSERT_TRUE(c.Send(Post("/v1/chat/completions", body).substr(0, Post("/v1/chat/completions", body).size() - 20)));
  c.ShutdownWrite();  // the client is done sending: the body is 20 bytes short
  const Reply r = ParseReply(c.ReadAll(5s));
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_THAT(ErrorOf(r)["message"].get<std::string>(), HasSubstr("cut short"));
  EXPECT_TRUE(c.closed());
}

TEST_F(GatewayProcessTest, HugeBodiesAre413) {
  // Announced: refused on the headers, before any of the body is sent.
  Conn announced(http_);
  ASSERT_TRUE(announced.Send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  const Reply a = ParseReply(announced.ReadAll(5s));
  ASSERT_EQ(a.status, 413) << a.raw;
  EXPECT_EQ(ErrorOf(a)["code"], "request_too_large");
  // Sent whole: the answer still reaches the client (no reset while it is still sending).
  const std::string big = ChatBody("auto", absl::StrCat(R"(, "user": ")", std::string(200000, 'x'), R"(")"));
  Conn sent(http_);
  std::thread sender([&] { sent.Send(Post("/v1/chat/completions", big)); });
  const Reply s = ParseReply(sent.ReadAll(10s));
  sender.join();
  EXPECT_EQ(s.status, 413) << s.raw.substr(0, 200);
  // Chunked, with no length announced: counted as it comes.
  Conn chunked(http_);
  std::string req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) req += absl::StrCat("1000\r\n", std::string(0x1000, ' '), "\r\n");
  std::thread chunk_sender([&] { chunked.Send(req + "0\r\n\r\n"); });
  const Reply ch = ParseReply(chunked.ReadAll(10s));
  chunk_sender.join();
  EXPECT_EQ(ch.status, 413) << ch.raw.substr(0, 200);
}

TEST_F(GatewayProcessTest, MalformedHttpIs400) {
  const Reply r = Exchange("BLAH\r\n\r\n");
  EXPECT_EQ(r.status, 400) << r.raw;
  const Reply v = Exchange("GET /healthz HTTP/9.9\r\n\r\n");
  EXPECT_EQ(v.status, 400) << v.raw;
}

// A client that sends half its headers and stalls is cut off after read_timeout_ms (1 s here)
// with 408, while a request beside it is served as usual.
TEST_F(GatewayProcessTest, SlowClientGets408WithoutHarmingOthers) {
  Conn slow(http_);
  ASSERT_TRUE(slow.Send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-"));
  const auto start = std::chrono::steady_clock::now();
  const Reply ok = Exchange(Post("/v1/chat/completions", ChatBody("translation")));
  EXPECT_EQ(ok.status, 200) << ok.raw;
  const Reply r = ParseReply(slow.ReadAll(10s));
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 408) << r.raw;
  EXPECT_EQ(ErrorOf(r)["code"], "timeout");
  EXPECT_TRUE(slow.closed());
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 5s);
  // An idle keep-alive connection is closed without a word.
  Conn idle(http_);
  EXPECT_EQ(idle.ReadAll(5s), "");
  EXPECT_TRUE(idle.closed());
}

TEST_F(GatewayProcessTest, KeepAliveServesManyRequests) {
  Conn c(http_);
  const std::string get = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(c.Send(get + get + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string all = c.ReadAll(10s);
  size_t n = 0;
  for (size_t at = all.find("HTTP/1.1 200 OK"); at != std::string::npos; at = all.find("HTTP/1.1 200 OK", at + 1)) ++n;
  EXPECT_EQ(n, 3u) << all;
  EXPECT_TRUE(c.closed());
}

TEST_F(GatewayProcessTest, ModelsHealthAndMetrics) {
  const Reply models = Exchange("GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(models.status, 200) << models.raw;
  const Json list = Json::parse(models.body);
  EXPECT_EQ(list["object"], "list");
  std::vector<std::string> ids;
  for (const Json& m : list["data"]) {
    ids.push_back(m["id"]);
    EXPECT_EQ(m["owned_by"], "switchyard");
    EXPECT_EQ(m["object"], "model");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"auto", "reasoning", "coder", "translation", "gpt-4o"}));
  EXPECT_EQ(Exchange("GET /v1/models/gpt-4o HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200);
  EXPECT_EQ(Exchange("GET /v1/models/gpt-5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 404);

  const Reply health = Exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(health.status, 200) << health.raw;
  EXPECT_EQ(Json::parse(health.body)["status"], "ok");

  ASSERT_EQ(Exchange(Post("/v1/chat/completions", ChatBody("gpt-99"))).status, 404);
  const Reply metrics = Exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(metrics.status, 200) << metrics.raw;
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE switchyard_gateway_requests_total counter"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(switchyard_gateway_requests_total{path="/v1/chat/completions",status="404"} )"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(switchyard_gateway_requests_total{path="/healthz",status="200"} )"));
  EXPECT_THAT(metrics.body, HasSubstr("switchyard_gateway_requests_in_flight 1\n"));  // this very request
}

// A policy file: keys, roles and rate limits answer as OpenAI's API does.
TEST_F(GatewayProcessTest, PolicyAnswers401And403And429) {
  {
    std::ofstream f(dir_->File("policy.yaml"));
    f << "version: 1\ntenants:\n  - name: acme\n    api_keys: [{sha256: " << HashApiKey("sk-acme-1") << "}]\n"
      << "    limits: {requests_per_minute: 2}\n    allow: {roles: [coder]}\n";
  }
  {
    std::ofstream cfg(dir_->File("router-policy.yaml"));
    cfg << "listen: 127.0.0.1:0\npools:\n";
    for (const auto& [role, addr] : worker_addresses_) cfg << "  " << role << ": {endpoints: [" << addr << "]}\n";
    cfg << "defaults: {max_tokens: 16}\npolicy: policy.yaml\n";
  }
  auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router-policy.yaml"),
                                         "--http-listen", "127.0.0.1:0"},
                                        dir_->File("router-policy.log"));
  ASSERT_TRUE(r.ok()) << r.status();
  auto http = (*r)->WaitForLine("http listening ", 30s);
  ASSERT_TRUE(http.ok()) << http.status();
  ASSERT_TRUE((*r)->WaitForLine("ready ", 30s).ok());
  const std::string key = "Authorization: Bearer sk-acme-1\r\n";

  const Reply none = Exchange(Post("/v1/chat/completions", ChatBody("coder")), *http);
  EXPECT_EQ(none.status, 401) << none.raw;
  EXPECT_EQ(ErrorOf(none)["code"], "invalid_api_key");
  EXPECT_EQ(Exchange(Post("/v1/chat/completions", ChatBody("coder"), "Authorization: Bearer sk-wrong\r\n"), *http).status, 401);
  const Reply denied = Exchange(Post("/v1/chat/completions", ChatBody("reasoning"), key), *http);
  EXPECT_EQ(denied.status, 403) << denied.raw;
  const Reply ok = Exchange(Post("/v1/chat/completions", ChatBody("coder", R"(, "stream": true)"), key), *http);
  EXPECT_EQ(ok.status, 200) << ok.raw;
  Reply limited;
  for (int i = 0; i < 3 && limited.status != 429; ++i) {
    limited = Exchange(Post("/v1/chat/completions", ChatBody("coder", R"(, "stream": true)"), key), *http);
  }
  ASSERT_EQ(limited.status, 429) << limited.raw;
  EXPECT_EQ(ErrorOf(limited)["type"], "rate_limit_error");
  int retry_after = 0;
  EXPECT_TRUE(absl::SimpleAtoi(limited.headers["retry-after"], &retry_after)) << limited.raw;
  EXPECT_GE(retry_after, 1);
}

// A long prompt, unique to `tag` (so that no other test's request left it in a worker's cache).
std::string LongPromptBody(const std::string& tag, const std::string& extra = "") {
  std::string text = absl::StrCat("Contract ", tag, ". Summarise the obligations of each party.");
  for (int i = 0; i < 24; ++i) {
    absl::StrAppend(&text, " Clause ", i, ": the supplier delivers the goods to the buyer's warehouse by the first of",
                    " the month, and the buyer pays within thirty days of delivery.");
  }
  return absl::StrCat(R"({"model": "coder", "messages": [{"role": "user", "content": ")", text,
                      R"("}], "max_tokens": 4, "seed": 5)", extra, "}");
}

// usage.prompt_tokens_details.cached_tokens from the body, or -1 (and a failure) when absent.
int CachedTokens(const Json& usage) {
  if (!usage.contains("prompt_tokens_details") || !usage["prompt_tokens_details"].contains("cached_tokens") ||
      !usage["prompt_tokens_details"]["cached_tokens"].is_number_integer()) {
    ADD_FAILURE() << "no usage.prompt_tokens_details.cached_tokens in " << usage.dump();
    return -1;
  }
  return usage["prompt_tokens_details"]["cached_tokens"].get<int>();
}

// The prompt tokens the worker's Finish said came from its prefix cache: the run's one step's
// usage, in the trace (proto3 JSON leaves a zero out).
int WorkerCachedTokens(const Json& body) {
  const Json& usage = body["switchyard"]["trace"]["usage"];
  return usage.contains("cached_prompt_tokens") ? usage["cached_prompt_tokens"].get<int>() : 0;
}

// The same long prompt twice, then streamed: every answer carries cached_tokens (0 while the
// workers have no prefix cache), never more than the prompt, and as the worker reported it.
TEST_F(GatewayProcessTest, CachedTokensAreReportedForTheSamePromptTwice) {
  Json bodies[2];
  for (Json& body : bodies) {
    const Reply r = Exchange(Post("/v1/chat/completions", LongPromptBody("twice")));
    ASSERT_EQ(r.status, 200) << r.raw;
    body = Json::parse(r.body);
    EXPECT_GT(body["usage"]["prompt_tokens"].get<int>(), 300);
    const int cached = CachedTokens(body["usage"]);
    EXPECT_GE(cached, 0);
    EXPECT_LE(cached, body["usage"]["prompt_tokens"].get<int>());
  }
  EXPECT_EQ(bodies[0]["usage"]["prompt_tokens"], bodies[1]["usage"]["prompt_tokens"]);
  EXPECT_EQ(CachedTokens(bodies[1]["usage"]), WorkerCachedTokens(bodies[1]));
  const Reply s = Exchange(Post("/v1/chat/completions",
                                LongPromptBody("twice", R"(, "stream": true, "stream_options": {"include_usage": true})")));
  ASSERT_EQ(s.status, 200) << s.raw;
  Json usage;
  for (absl::string_view e : absl::StrSplit(s.body, "\n\n", absl::SkipEmpty())) {
    if (e == "data: [DONE]") continue;
    const Json chunk = Json::parse(e.substr(6));
    if (chunk.contains("usage")) usage = chunk["usage"];
  }
  ASSERT_TRUE(usage.is_object()) << s.body;
  const int cached = CachedTokens(usage);
  EXPECT_GE(cached, 0);
  EXPECT_LE(cached, usage["prompt_tokens"].get<int>());
}

// Two tenants behind one router send the same long prompt: the second tenant finds nothing of
// the first's in the workers' prefix caches (each is salted by its tenant), however often the
// first sent it.
TEST_F(GatewayProcessTest, TenantsShareNoCachedPrefix) {
  {
    std::ofstream f(dir_->File("tenants.yaml"));
    f << "version: 1\ntenants:\n";
    for (const char* t : {"acme", "globex"}) {
      f << "  - name: " << t << "\n    api_keys: [{sha256: " << HashApiKey(absl::StrCat("sk-", t, "-1")) << "}]\n"
        << "    allow: {roles: [coder]}\n";
    }
  }
  {
    std::ofstream cfg(dir_->File("router-tenants.yaml"));
    cfg << "listen: 127.0.0.1:0\npools:\n";
    for (const auto& [role, addr] : worker_addresses_) cfg << "  " << role << ": {endpoints: [" << addr << "]}\n";
    cfg << "defaults: {max_tokens: 16}\npolicy: tenants.yaml\nprefix_cache: {salt_secret: 'a fleet-wide secret'}\n";
  }
  auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router-tenants.yaml"),
                                         "--http-listen", "127.0.0.1:0"},
                                        dir_->File("router-tenants.log"));
  ASSERT_TRUE(r.ok()) << r.status();
  auto http = (*r)->WaitForLine("http listening ", 30s);
  ASSERT_TRUE(http.ok()) << http.status();
  ASSERT_TRUE((*r)->WaitForLine("ready ", 30s).ok());
  for (int i = 0; i < 2; ++i) {
    const Reply acme = Exchange(Post("/v1/chat/completions", LongPromptBody("tenants"), "Authorization: Bearer sk-acme-1\r\n"), *http);
    ASSERT_EQ(acme.status, 200) << acme.raw;
    const Json body = Json::parse(acme.body);
    EXPECT_EQ(CachedTokens(body["usage"]), WorkerCachedTokens(body));
  }
  const Reply globex = Exchange(Post("/v1/chat/completions", LongPromptBody("tenants"), "Authorization: Bearer sk-globex-1\r\n"), *http);
  ASSERT_EQ(globex.status, 200) << globex.raw;
  const Json body = Json::parse(globex.body);
  EXPECT_EQ(CachedTokens(body["usage"]), 0);
  EXPECT_EQ(WorkerCachedTokens(body), 0);
  EXPECT_THAT(testing::Slurp(dir_->File("router-tenants.log")), HasSubstr(R"("cache_salt_secret":"configured")"));
}

// The official `openai` npm client (installed by scripts/setup.sh into scripts/npm).
TEST_F(GatewayProcessTest, OfficialOpenAiClient) {
  const std::string npm = testing::SourceDir() + "/scripts/npm";
  if (!std::filesystem::exists(npm + "/node_modules/openai/package.json")) {
    GTEST_SKIP() << "scripts/npm/node_modules/openai is missing: run scripts/setup.sh";
  }
  const std::string script = testing::SourceDir() + "/tests/integration/openai_client/check.mjs";
  const std::string cmd = absl::StrCat("node '", script, "' 'http://", http_, "/v1' '", npm, "' 2>&1");
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  const int status = ::pclose(p);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) GTEST_SKIP() << "node is not installed";
  EXPECT_EQ(status, 0) << out;
  for (const char* check : {"ok plain", "ok stream", "ok tool round trip", "ok json_schema", "ok unknown model"}) {
    EXPECT_THAT(out, HasSubstr(check));
  }
  std::printf("%s", out.c_str());
}

}  // namespace
}  // namespace switchyard
