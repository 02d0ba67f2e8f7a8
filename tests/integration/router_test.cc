// The router and its workers as processes on loopback: one reasoning worker, two coder
// replicas, one translation worker, and switchyard-router over them. Requests are classified
// and routed to each role, pinned routes win, 32 concurrent streams finish with the tokens the
// engine alone gives, cancellation frees the worker, a worker killed before its first token is
// retried on another replica, one killed after it ends the stream with UNAVAILABLE, a hung
// worker hits the deadline, bad requests get the right codes. A router with a policy file
// answers UNAUTHENTICATED, PERMISSION_DENIED and RESOURCE_EXHAUSTED as the file says, audits
// every decision in a hash chain, and keeps its policy when an edit is bad.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policies/api_key_hash.h"
#include "policies/audit_log.h"
#include "switchyard/v1/router.grpc.pb.h"
#include "switchyard/v1/worker.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct Worker {
  std::string role;
  std::unique_ptr<testing::ChildProcess> proc;
  std::string address;
};

class RouterProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) return;
    dir_ = std::make_unique<testing::ScratchDir>();
    auto model = testing::WriteTinyQwenModel(dir_->File("model"), *tok, /*seed=*/41, /*max_position_embeddings=*/1024);
    ASSERT_TRUE(model.ok()) << model.status();
    for (const char* role : {"reasoning", "coder", "coder", "translation"}) {
      Worker w;
      w.role = role;
      auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", role, "--model", *model,
                                             "--listen", "127.0.0.1:0", "--threads", "1", "--max-batch", "40",
                                             "--kv-cache-tokens", "16384"},
                                            dir_->File(absl::StrCat("worker-", workers_.size(), ".log")));
      ASSERT_TRUE(p.ok()) << p.status();
      w.proc = std::move(*p);
      auto addr = w.proc->WaitForLine("listening ", 30s);
      ASSERT_TRUE(addr.ok()) << addr.status();
      w.address = *addr;
      workers_.push_back(std::move(w));
    }
    for (auto& w : workers_) ASSERT_TRUE(w.proc->WaitForLine("ready ", 60s).ok());
    std::ofstream cfg(dir_->File("router.yaml"));
    cfg << "listen: 127.0.0.1:0\npools:\n"
        << "  reasoning: {endpoints: [" << workers_[0].address << "]}\n"
        << "  coder: {endpoints: [" << workers_[1].address << ", " << workers_[2].address << "]}\n"
        << "  translation: {endpoints: [" << workers_[3].address << "]}\n"
        << "defaults: {max_tokens: 16}\nhealth: {interval_ms: 200, timeout_ms: 500}\n";
    cfg.close();
    auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router.yaml")},
                                          dir_->File("router.log"));
    ASSERT_TRUE(r.ok()) << r.status();
    router_ = std::move(*r);
    auto addr = router_->WaitForLine("listening ", 30s);
    ASSERT_TRUE(addr.ok()) << addr.status();
    router_address_ = *addr;
    ASSERT_TRUE(router_->WaitForLine("ready ", 30s).ok());
  }
  static void TearDownTestSuite() {
    router_.reset();
    workers_.clear();
    dir_.reset();
  }
  void SetUp() override {
    if (!router_) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    stub_ = v1::Router::NewStub(grpc::CreateChannel(router_address_, grpc::InsecureChannelCredentials()));
  }

  struct Result {
    v1::RouteDecision route;
    std::string trace_id;
    std::string text;
    std::vector<int32_t> tokens;
    v1::FinishReason reason = v1::FINISH_REASON_UNSPECIFIED;
    grpc::Status status;
    int events = 0;
  };
  static v1::ChatRequest Chat(const std::string& text, const std::string& route = "auto", uint64_t seed = 7) {
    v1::ChatRequest r;
    v1::ChatMessage* m = r.add_messages();
    m->set_role(v1::ChatMessage::USER);
    m->set_content(text);
    r.set_route(route);
    r.mutable_sampling()->set_seed(seed);
    r.mutable_sampling()->set_temperature(0.7f);
    r.mutable_sampling()->set_max_tokens(12);
    return r;
  }
  Result Send(const v1::ChatRequest& req, std::chrono::milliseconds deadline = 60s) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    auto reader = stub_->Chat(&ctx, req);
    Result r;
    v1::ChatEvent e;
    while (reader->Read(&e)) {
      ++r.events;
      if (e.has_route()) r.route = e.route();
      if (!e.trace_id().empty()) r.trace_id = e.trace_id();
      if (e.has_text_delta()) r.text += e.text_delta();
      if (e.has_reasoning_delta()) r.text += e.reasoning_delta();
      for (int32_t t : e.token_ids()) r.tokens.push_back(t);
      if (e.has_finish()) r.reason = e.finish().reason();
    }
    r.status = reader->Finish();
    return r;
  }
  // Tokens a worker gives for the same request, asked directly (the engine alone).
  std::vector<int32_t> Direct(const Worker& w, const v1::ChatRequest& chat) {
    auto stub = v1::Worker::NewStub(grpc::CreateChannel(w.address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    v1::GenerateRequest req;
    *req.mutable_messages() = chat.messages();
    *req.mutable_sampling() = chat.sampling();
    auto reader = stub->Generate(&ctx, req);
    std::vector<int32_t> tokens;
    v1::GenerateEvent e;
    while (reader->Read(&e)) {
      for (int32_t t : e.token_ids()) tokens.push_back(t);
    }
    EXPECT_TRUE(reader->Finish().ok());
    return tokens;
  }
  v1::ListWorkersResponse Workers() {
    grpc::ClientContext ctx;
    v1::ListWorkersResponse resp;
    EXPECT_TRUE(stub_->ListWorkers(&ctx, v1::ListWorkersRequest(), &resp).ok());
    return resp;
  }

  static inline std::unique_ptr<testing::ScratchDir> dir_;
  static inline std::vector<Worker> workers_;
  static inline std::unique_ptr<testing::ChildProcess> router_;
  static inline std::string router_address_;
  std::unique_ptr<v1::Router::Stub> stub_;
};

TEST_F(RouterProcessTest, ClassifiesAndRoutesToEachRole) {
  const std::map<std::string, std::string> prompts = {
      {"translation", "Translate into German: The meeting has been moved to Thursday afternoon."},
      {"coder", "Write a Python function that parses an ISO 8601 date string and returns a datetime object."},
      {"reasoning", "A train leaves at 3 pm going 60 km/h; another leaves an hour later at 80 km/h. When does the "
                    "second catch up? Explain step by step."}};
  for (const auto& [role, text] : prompts) {
    const Result r = Send(Chat(text));
    ASSERT_TRUE(r.status.ok()) << role << ": " << r.status.error_message();
    EXPECT_EQ(r.route.role(), role);
    EXPECT_EQ(r.route.label(), role);
    EXPECT_FALSE(r.route.pinned());
    EXPECT_GT(r.route.confidence(), 0.5f);
    EXPECT_FALSE(r.route.features().empty());
    EXPECT_EQ(r.trace_id.size(), 32u);
    EXPECT_EQ(r.reason, v1::LENGTH);
    EXPECT_EQ(r.tokens.size(), 12u);
  }
}

TEST_F(RouterProcessTest, PinnedRouteBeatsTheClassifier) {
  const Result r = Send(Chat("Translate into French: good morning", "coder"));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.route.role(), "coder");
  EXPECT_EQ(r.route.label(), "translation");
  EXPECT_TRUE(r.route.pinned());
  EXPECT_TRUE(r.route.replica() == workers_[1].address || r.route.replica() == workers_[2].address);
}

TEST_F(RouterProcessTest, ConcurrentStreamsMatchTheEngineAlone) {
  const int n = 32;
  std::vector<Result> got(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      got[static_cast<size_t>(i)] = Send(Chat(absl::StrCat("Request ", i, ": explain why the sky is blue"), "reasoning",
                                              static_cast<uint64_t>(100 + i)));
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < n; ++i) {
    const Result& r = got[static_cast<size_t>(i)];
    ASSERT_TRUE(r.status.ok()) << i << ": " << r.status.error_message();
    EXPECT_EQ(r.tokens, Direct(workers_[0], Chat(absl::StrCat("Request ", i, ": explain why the sky is blue"), "reasoning",
                                                 static_cast<uint64_t>(100 + i))))
        << "stream " << i;
  }
}

TEST_F(RouterProcessTest, CancellationFreesTheWorkerSlot) {
  auto worker = v1::Worker::NewStub(grpc::CreateChannel(workers_[3].address, grpc::InsecureChannelCredentials()));
  v1::ChatRequest req = Chat("Translate into Spanish: a long story", "translation");
  req.mutable_sampling()->set_max_tokens(900);
  grpc::ClientContext ctx;
  auto reader = stub_->Chat(&ctx, req);
  v1::ChatEvent e;
  ASSERT_TRUE(reader->Read(&e));  // the route
  ASSERT_TRUE(reader->Read(&e));  // the first token
  ctx.TryCancel();
  while (reader->Read(&e)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  bool idle = false;
  for (int i = 0; i < 300 && !idle; ++i) {
    grpc::ClientContext ictx;
    v1::WorkerInfo info;
    ASSERT_TRUE(worker->Info(&ictx, v1::InfoRequest(), &info).ok());
    idle = info.running() == 0 && info.kv_blocks_free() == info.kv_blocks_total();
    if (!idle) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(idle) << "the worker still holds the cancelled sequence";
}

TEST_F(RouterProcessTest, BadRequestsGetTheRightCodes) {
  EXPECT_EQ(Send(Chat("hello", "chef")).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Send(Chat("hello", "chef")).status.error_message(), HasSubstr("route: 'chef'"));
  v1::ChatRequest empty;
  EXPECT_EQ(Send(empty).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ChatRequest bad = Chat("Write a sort function", "coder");
  bad.mutable_sampling()->set_temperature(-1);
  const Result r = Send(bad);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("temperature"));
  grpc::ClientContext ctx;
  v1::ClassifyRequest creq;
  creq.set_text("Translate into Italian: where is the station?");
  v1::ClassifyResponse cresp;
  ASSERT_TRUE(stub_->Classify(&ctx, creq, &cresp).ok());
  EXPECT_EQ(cresp.label(), "translation");
  EXPECT_EQ(cresp.scores().size(), 3u);
}

// The agent loop on real workers: tool_choice forces the first answer to be a call of a router
// tool (constrained decoding in the worker), the router runs it on the attached document,
// streams the result paired with the call, and asks the model again with the result appended.
TEST_F(RouterProcessTest, AgentLoopRunsAForcedRouterToolCall) {
  v1::ChatRequest req = Chat("Where does the supplier deliver?", "reasoning", 11);
  req.set_enable_thinking(false);
  req.mutable_sampling()->set_max_tokens(400);
  req.add_router_tools("search_documents");
  req.mutable_tool_choice()->set_mode(v1::ToolChoice::FUNCTION);
  req.mutable_tool_choice()->set_function_name("search_documents");
  v1::Document* d = req.add_documents();
  d->set_name("contract.txt");
  d->set_text("The supplier delivers the goods to Bonn by 1 March. The buyer pays within 30 days.");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 60s);
  auto reader = stub_->Chat(&ctx, req);
  std::vector<v1::ToolCall> calls;
  std::vector<v1::ToolResult> results;
  std::vector<v1::StepTrace> steps;
  v1::RunTrace trace;
  v1::Finish finish;
  v1::ChatEvent e;
  while (reader->Read(&e)) {
    if (e.has_tool_call()) calls.push_back(e.tool_call());
    if (e.has_tool_result()) results.push_back(e.tool_result());
    if (e.has_step()) steps.push_back(e.step());
    if (e.has_trace()) trace = e.trace();
    if (e.has_finish()) finish = e.finish();
  }
  const grpc::Status s = reader->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(calls.size(), 1u);
  EXPECT_EQ(calls[0].name(), "search_documents");
  EXPECT_TRUE(nlohmann::json::parse(calls[0].arguments_json())["query"].is_string());
  ASSERT_GE(results.size(), 1u);
  EXPECT_EQ(results[0].tool_call_id(), calls[0].id());
  EXPECT_EQ(results[0].step(), 1);
  ASSERT_GE(trace.steps_size(), 2);  // the forced call, then at least one free answer
  EXPECT_EQ(trace.steps(0).finish_reason(), v1::TOOL_CALLS);
  EXPECT_EQ(trace.steps(0).replica(), workers_[0].address);
  EXPECT_GT(trace.steps(1).prompt_tokens(), trace.steps(0).prompt_tokens());  // the result was appended
  EXPECT_EQ(finish.usage().prompt_tokens(), trace.usage().prompt_tokens());
  EXPECT_GT(finish.usage().completion_tokens(), 0);
}

// `switchyard workers` shows every replica of the config with its health and its prefix cache
// (blocks cached of all, hit rate) as the worker itself reports it in Worker.Info.
TEST_F(RouterProcessTest, WorkersCommandListsEveryReplica) {
  std::map<std::string, v1::WorkerInfo> infos;
  for (const Worker& w : workers_) {
    auto stub = v1::Worker::NewStub(grpc::CreateChannel(w.address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->Info(&ctx, v1::InfoRequest(), &infos[w.address]).ok());
  }
  std::this_thread::sleep_for(800ms);  // a health round (every 200 ms) has read the same figures
  auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard", "workers", "--router", router_address_, "--json"},
                                        dir_->File("workers-cmd.log"));
  ASSERT_TRUE(p.ok()) << p.status();
  auto line = (*p)->WaitForLine("[", 20s);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ((*p)->Wait(10s), 0);
  const nlohmann::json list = nlohmann::json::parse("[" + *line);
  ASSERT_EQ(list.size(), workers_.size());
  for (const Worker& w : workers_) {
    const v1::WorkerInfo& info = infos[w.address];
    int found = 0;
    for (const auto& r : list) {
      if (r["endpoint"] != w.address) continue;
      ++found;
      EXPECT_EQ(r["role"], w.role);
      EXPECT_EQ(r["healthy"], true);
      EXPECT_GT(info.kv_blocks_total(), 0);
      EXPECT_EQ(r["kv_blocks_total"], info.kv_blocks_total());
      EXPECT_EQ(r["kv_blocks_free"], info.kv_blocks_free());
      EXPECT_EQ(r["kv_blocks_cached"], info.kv_blocks_cached());
      EXPECT_EQ(r["prefix_cache"], info.prefix_cache());
      EXPECT_EQ(r["prefix_hit_tokens"], info.prefix_hit_tokens());
      EXPECT_EQ(r["prefix_miss_tokens"], info.prefix_miss_tokens());
      const int64_t prompt = info.prefix_hit_tokens() + info.prefix_miss_tokens();
      if (prompt == 0) {
        EXPECT_TRUE(r["prefix_hit_rate"].is_null()) << r.dump();
      } else {
        EXPECT_DOUBLE_EQ(r["prefix_hit_rate"].get<double>(), static_cast<double>(info.prefix_hit_tokens()) / prompt);
      }
    }
    EXPECT_EQ(found, 1) << w.address;
  }
  // The table: one header, then a row per replica; its cache columns say "-" and "off" for a
  // worker without a prefix cache, else cached/total blocks and the hit rate in percent.
  auto table = testing::ChildProcess::Start({testing::BinDir() + "/switchyard", "workers", "--router", router_address_},
                                            dir_->File("workers-table.log"));
  ASSERT_TRUE(table.ok()) << table.status();
  std::vector<std::string> lines;
  for (size_t i = 0; i <= workers_.size(); ++i) {
    auto l = (*table)->WaitForLine("", 20s);
    ASSERT_TRUE(l.ok()) << l.status();
    lines.push_back(*l);
  }
  EXPECT_EQ((*table)->Wait(10s), 0);
  EXPECT_EQ(lines[0], "ROLE         ENDPOINT                 HEALTH    RUNNING  QUEUED   KV FREE     KV CACHED HIT RATE  LAST ERROR");
  for (const Worker& w : workers_) {
    const v1::WorkerInfo& info = infos[w.address];
    std::string cached = "-", rate = "off";
    if (info.prefix_cache()) {
      cached = absl::StrCat(info.kv_blocks_cached(), "/", info.kv_blocks_total());
      const int64_t prompt = info.prefix_hit_tokens() + info.prefix_miss_tokens();
      rate = prompt == 0 ? "-" : absl::StrFormat("%.1f%%", 100.0 * info.prefix_hit_tokens() / prompt);
    }
    const std::string row = absl::StrFormat("%-12s %-24s %-8s %8d %7d %9d %13s %8s  ", w.role, w.address, "ok", 0, 0,
                                            info.kv_blocks_free(), cached, rate);
    EXPECT_EQ(std::count(lines.begin(), lines.end(), row), 1) << row;
  }
  auto down = testing::ChildProcess::Start({testing::BinDir() + "/switchyard", "workers", "--router", "127.0.0.1:1",
                                            "--timeout-s", "2"},
                                           dir_->File("workers-cmd-down.log"));
  ASSERT_TRUE(down.ok());
  EXPECT_EQ((*down)->Wait(10s), 1);
  EXPECT_THAT(testing::Slurp(dir_->File("workers-cmd-down.log")), HasSubstr("is a router running at 127.0.0.1:1?"));
}

// `switchyard chat --interactive` keeps the conversation: the second turn's prompt holds the
// first exchange, so it is longer; /reset starts over (the third prompt is as short as the first).
TEST_F(RouterProcessTest, InteractiveChatKeepsTheConversation) {
  const std::string err = dir_->File("interactive.err");
  const std::string cmd = absl::StrCat("printf 'Translate into Dutch: good morning\\nAnd good night?\\n/reset\\n",
                                       "Translate into Dutch: good morning\\n/exit\\n' | ", testing::BinDir(),
                                       "/switchyard chat --interactive --router ", router_address_,
                                       " --route translation --max-tokens 4 --seed 3 --no-thinking > ",
                                       dir_->File("interactive.out"), " 2> ", err);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << testing::Slurp(err);
  std::vector<int> prompts;
  const std::string log = testing::Slurp(err);
  for (size_t at = 0; (at = log.find("[LENGTH, ", at)) != std::string::npos; at += 9) {
    prompts.push_back(std::atoi(log.c_str() + at + 9));
  }
  ASSERT_EQ(prompts.size(), 3u) << log;
  EXPECT_GT(prompts[1], prompts[0] + 4);  // the first question and its 4-token answer are in it
  EXPECT_EQ(prompts[2], prompts[0]);
}

// Whether the process's log file (its stderr) comes to contain `what` within 10 s.
bool LogSays(const std::string& path, const std::string& what) {
  for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(50ms)) {
    if (testing::Slurp(path).find(what) != std::string::npos) return true;
  }
  return false;
}

// A policy file in the config: keys, a role allowance, a rate limit and an input guardrail, each
// decision on the audit log's hash chain; a bad edit of the file is refused and the old policy
// stays, a good one is picked up without a restart.
TEST_F(RouterProcessTest, PolicyFileGuardsTheRouter) {
  auto policy_text = [&](const std::string& extra_tenant) {
    return absl::StrCat(
        "version: 1\ntenants:\n"
        "  - name: acme\n    api_keys: [{sha256: ", HashApiKey("sk-acme-1"), "}]\n",
        "    limits: {requests_per_minute: 3}\n    allow: {roles: [coder]}\n",
        "  - name: lab\n    api_keys: [{sha256: ", HashApiKey("sk-lab-1"), "}]\n    allow: {roles: [reasoning]}\n",
        extra_tenant,
        "guardrails:\n  input: [{name: email, builtin: email, action: redact}]\n",
        "audit: {path: ", dir_->File("audit.jsonl"), "}\n");
  };
  {
    std::ofstream f(dir_->File("policy.yaml"));
    f << policy_text("");
  }
  {
    std::ofstream cfg(dir_->File("router-policy.yaml"));
    cfg << "listen: 127.0.0.1:0\npools:\n"
        << "  reasoning: {endpoints: [" << workers_[0].address << "]}\n"
        << "  coder: {endpoints: [" << workers_[1].address << "]}\n"
        << "defaults: {max_tokens: 16}\npolicy: policy.yaml\n";
  }
  auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router-policy.yaml")},
                                        dir_->File("router-policy.log"));
  ASSERT_TRUE(r.ok()) << r.status();
  auto addr = (*r)->WaitForLine("ready ", 30s);
  ASSERT_TRUE(addr.ok()) << addr.status();
  auto stub = v1::Router::NewStub(grpc::CreateChannel(*addr, grpc::InsecureChannelCredentials()));
  auto send = [&](const std::string& key, const std::string& text, const std::string& route) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 30s);
    if (!key.empty()) ctx.AddMetadata("authorization", "Bearer " + key);
    auto reader = stub->Chat(&ctx, Chat(text, route));
    v1::ChatEvent e;
    int tokens = 0;
    while (reader->Read(&e)) tokens += e.token_ids_size();
    const grpc::Status status = reader->Finish();
    return std::make_pair(status, tokens);
  };
  auto [missing, t0] = send("", "hello", "coder");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(missing.error_message(), HasSubstr("missing API key"));
  auto [wrong, t1] = send("sk-acme-2", "hello", "coder");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(wrong.error_message(), HasSubstr("invalid API key"));
  EXPECT_THAT(wrong.error_message(), ::testing::Not(HasSubstr("sk-acme-2")));
  auto [role, t2] = send("sk-acme-1", "hello", "reasoning");  // acme's request 1 of 3
  EXPECT_EQ(role.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(role.error_message(), HasSubstr("tenant 'acme' may not use role 'reasoning'"));
  auto [ok1, t3] = send("sk-acme-1", "Write a sort function; mail it to dev@example.com", "coder");  // 2 of 3
  EXPECT_TRUE(ok1.ok()) << ok1.error_message();
  EXPECT_EQ(t3, 12);
  auto [ok2, t4] = send("sk-acme-1", "Write a parser", "coder");  // 3 of 3
  EXPECT_TRUE(ok2.ok()) << ok2.error_message();
  auto [over, t5] = send("sk-acme-1", "Write a lexer", "coder");
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(over.error_message(), HasSubstr("retry after"));
  {
    grpc::ClientContext ctx;
    v1::ClassifyRequest creq;
    creq.set_text("Translate into Italian: where is the station?");
    v1::ClassifyResponse cresp;
    EXPECT_EQ(stub->Classify(&ctx, creq, &cresp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }

  // Every decision above is on the chain, in order.
  auto verified = VerifyAuditLog(dir_->File("audit.jsonl"));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->bad_line, 0) << verified->reason;
  std::vector<std::string> events;
  {
    std::ifstream log(dir_->File("audit.jsonl"));
    for (std::string line; std::getline(log, line);) {
      const nlohmann::json j = nlohmann::json::parse(line);
      std::string e = j.value("event", "");
      if (e == "denial") e += ":" + j.value("code", "");
      if (e == "guardrail") e += ":" + j.value("rule", "");
      if (e == "route") e += ":" + j.value("route", "");
      events.push_back(e);
    }
  }
  EXPECT_THAT(events, ::testing::ElementsAre("denial:UNAUTHENTICATED", "denial:UNAUTHENTICATED", "denial:PERMISSION_DENIED",
                                             "guardrail:email", "route:coder", "route:coder", "denial:RESOURCE_EXHAUSTED",
                                             "denial:UNAUTHENTICATED"));

  // A bad edit is refused (the router logs it) and lab's key keeps working; SIGHUP after a good
  // edit brings in the new tenant.
  {
    std::ofstream f(dir_->File("policy.yaml"));
    f << "version: 1\ntenants: [{name: broken, api_keys: 7}]\n";
  }
  (*r)->Signal(SIGHUP);
  ASSERT_TRUE(LogSays(dir_->File("router-policy.log"), "policy_reload_refused"));
  EXPECT_TRUE(send("sk-lab-1", "Why is the sky blue?", "reasoning").first.ok());
  EXPECT_EQ(send("sk-new-1", "Why is the sky blue?", "reasoning").first.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {
    std::ofstream f(dir_->File("policy.yaml"));
    f << policy_text(absl::StrCat("  - name: new\n    api_keys: [{sha256: ", HashApiKey("sk-new-1"),
                                  "}]\n    allow: {roles: [reasoning]}\n"));
  }
  (*r)->Signal(SIGHUP);
  ASSERT_TRUE(LogSays(dir_->File("router-policy.log"), "policy_reloaded"));
  auto [fresh, t6] = send("sk-new-1", "Why is the sky blue?", "reasoning");
  EXPECT_TRUE(fresh.ok()) << fresh.error_message();
  EXPECT_EQ(t6, 12);

  // Output rules: every character of the answer redacted (and no token ids, which would spell
  // it out), then a rule that blocks any answer.
  auto with_output_rule = [&](const std::string& rule) {
    std::ofstream f(dir_->File("policy.yaml"));
    std::string text = policy_text("");
    text.insert(text.find("audit:"), "  output: [" + rule + "]\n");
    f << text;
  };
  with_output_rule("{name: everything, pattern: '.', action: redact, replacement: '_'}");
  (*r)->Signal(SIGHUP);
  for (auto until = std::chrono::steady_clock::now() + 10s;
       testing::Slurp(dir_->File("router-policy.log")).find("\"generation\":3") == std::string::npos &&
       std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(50ms);
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer sk-lab-1");
    auto reader = stub->Chat(&ctx, Chat("Why is the sky blue?", "reasoning"));
    v1::ChatEvent e;
    std::string text;
    int token_ids = 0;
    while (reader->Read(&e)) {
      text += e.text_delta() + e.reasoning_delta();
      token_ids += e.token_ids_size();
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_EQ(token_ids, 0);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find_first_not_of("_\n"), std::string::npos) << text;
  }
  with_output_rule("{name: nothing_out, pattern: '[\\s\\S]', action: block}");
  (*r)->Signal(SIGHUP);
  for (auto until = std::chrono::steady_clock::now() + 10s;
       testing::Slurp(dir_->File("router-policy.log")).find("\"generation\":4") == std::string::npos &&
       std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(50ms);
  }
  auto [blocked, t7] = send("sk-lab-1", "Why is the sky blue?", "reasoning");
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(blocked.error_message(), HasSubstr("output blocked by guardrail rule 'nothing_out'"));
  EXPECT_EQ(t7, 0);
  auto chain = VerifyAuditLog(dir_->File("audit.jsonl"));
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->bad_line, 0) << chain->reason;
  const std::string audit = testing::Slurp(dir_->File("audit.jsonl"));
  EXPECT_NE(audit.find("\"rule\":\"everything\""), std::string::npos);
  EXPECT_NE(audit.find("output blocked by guardrail rule 'nothing_out'"), std::string::npos);
}

// A pool given as one gRPC target (a DNS name, as a Kubernetes headless service is) is
// balanced and health-checked by gRPC itself.
TEST_F(RouterProcessTest, DnsTargetPool) {
  const std::string port = workers_[0].address.substr(workers_[0].address.rfind(':') + 1);
  std::ofstream cfg(dir_->File("router-dns.yaml"));
  cfg << "listen: 127.0.0.1:0\npools:\n  reasoning: {target: \"dns:///localhost:" << port << "\"}\n"
      << "classifier: {fallback_route: reasoning}\n";
  cfg.close();
  auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir_->File("router-dns.yaml")},
                                        dir_->File("router-dns.log"));
  ASSERT_TRUE(r.ok()) << r.status();
  auto addr = (*r)->WaitForLine("ready ", 30s);
  ASSERT_TRUE(addr.ok()) << addr.status();
  auto stub = v1::Router::NewStub(grpc::CreateChannel(*addr, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  auto reader = stub->Chat(&ctx, Chat("Why do leaves change color in autumn?", "auto"));
  v1::ChatEvent e;
  std::string replica;
  int tokens = 0;
  while (reader->Read(&e)) {
    if (e.has_route()) replica = e.route().replica();
    tokens += e.token_ids_size();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(replica, "dns:///localhost:" + port);
  EXPECT_EQ(tokens, 12);
}

TEST_F(RouterProcessTest, ZaHungWorkerHitsTheDeadline) {
  workers_[0].proc->Signal(SIGSTOP);
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = Send(Chat("Why is the sum of two odd numbers even?", "reasoning"), 1500ms);
  const auto took = std::chrono::steady_clock::now() - t0;
  workers_[0].proc->Signal(SIGCONT);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(took, 5s);
}

TEST_F(RouterProcessTest, ZbWorkerKilledBeforeFirstTokenIsRetriedOnAnotherReplica) {
  // Kill coder replica A; the router learns of it from the failed call (or the next health
  // check) and serves every request from replica B.
  workers_[1].proc->Signal(SIGKILL);
  workers_[1].proc->Wait(5s);
  for (int i = 0; i < 6; ++i) {
    const Result r = Send(Chat("Write a C function that reverses a string in place.", "coder", static_cast<uint64_t>(i)));
    ASSERT_TRUE(r.status.ok()) << "request " << i << ": " << r.status.error_message();
    EXPECT_EQ(r.tokens.size(), 12u);
  }
  bool a_unhealthy = false;
  const v1::ListWorkersResponse listed = Workers();
  for (const auto& rep : listed.replicas()) {
    if (rep.endpoint() == workers_[1].address) a_unhealthy = !rep.healthy();
  }
  EXPECT_TRUE(a_unhealthy);
}

TEST_F(RouterProcessTest, ZcWorkerKilledAfterFirstTokenEndsWithUnavailable) {
  v1::ChatRequest req = Chat("Translate into Dutch: an endless text", "translation");
  req.mutable_sampling()->set_max_tokens(900);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 60s);
  auto reader = stub_->Chat(&ctx, req);
  v1::ChatEvent e;
  ASSERT_TRUE(reader->Read(&e));  // route
  ASSERT_TRUE(reader->Read(&e));  // first token
  workers_[3].proc->Signal(SIGKILL);
  while (reader->Read(&e)) {
  }
  const grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), HasSubstr("failed after the answer had started"));
  EXPECT_THAT(s.error_message(), HasSubstr(workers_[3].address));
}

}  // namespace
}  // namespace switchyard
