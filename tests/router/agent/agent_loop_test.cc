// The router's agent loop (router/agent/agent_run.h, relayed by router/service/chat_reactor.cc)
// end to end over gRPC: a real RouterService on loopback, and scripted Worker services that
// answer as a model would (text, tool calls, usage) so that each behaviour is exact: tool
// results paired with their call ids, parallel calls, client tools handed back, each limit,
// delegation to another role's pool, argument errors returned to the model, policy and audit,
// cancellation, Router.CallTool.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policies/api_key_hash.h"
#include "policies/audit_log.h"
#include "policies/policy_store.h"
#include "common/metrics/registry.h"
#include "router/agent/prefix_keys.h"
#include "router/classify/classifier.h"
#include "router/classify/shipped_model.h"
#include "router/pools/worker_pools.h"
#include "router/service/policy_gate.h"
#include "router/service/router_metrics.h"
#include "router/service/router_service.h"
#include "switchyard/v1/router.grpc.pb.h"
#include "switchyard/v1/worker.grpc.pb.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

using Writer = grpc::ServerWriter<v1::GenerateEvent>;

// A worker whose answers come from a script: the test decides what "the model" says.
class ScriptedWorker final : public v1::Worker::Service {
 public:
  using Script = std::function<grpc::Status(const v1::GenerateRequest&, grpc::ServerContext*, Writer*)>;
  explicit ScriptedWorker(std::string role) : role_(std::move(role)) {}

  void set_script(Script s) {
    absl::MutexLock lock(&mu_);
    script_ = std::move(s);
  }
  std::vector<v1::GenerateRequest> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

  grpc::Status Generate(grpc::ServerContext* ctx, const v1::GenerateRequest* request, Writer* writer) override {
    Script script;
    {
      absl::MutexLock lock(&mu_);
      requests_.push_back(*request);
      script = script_;
    }
    return script(*request, ctx, writer);
  }
  grpc::Status Info(grpc::ServerContext*, const v1::InfoRequest*, v1::WorkerInfo* info) override {
    absl::MutexLock lock(&mu_);
    *info = info_;
    info->set_role(role_);
    return grpc::Status::OK;
  }
  // What Info answers besides the role.
  void set_info(v1::WorkerInfo info) {
    absl::MutexLock lock(&mu_);
    info_ = std::move(info);
  }

 private:
  std::string role_;
  mutable absl::Mutex mu_;
  Script script_ ABSL_GUARDED_BY(mu_);
  v1::WorkerInfo info_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::GenerateRequest> requests_ ABSL_GUARDED_BY(mu_);
};

void Text(Writer* w, const std::string& s) {
  v1::GenerateEvent e;
  e.set_text_delta(s);
  w->Write(e);
}
void Call(Writer* w, const std::string& id, const std::string& name, const nlohmann::json& args) {
  v1::GenerateEvent e;
  e.mutable_tool_call()->set_id(id);
  e.mutable_tool_call()->set_name(name);
  e.mutable_tool_call()->set_arguments_json(args.dump());
  w->Write(e);
}
grpc::Status Done(Writer* w, v1::FinishReason reason, int prompt, int completion) {
  v1::GenerateEvent e;
  e.mutable_finish()->set_reason(reason);
  e.mutable_finish()->mutable_usage()->set_prompt_tokens(prompt);
  e.mutable_finish()->mutable_usage()->set_completion_tokens(completion);
  w->Write(e);
  return grpc::Status::OK;
}
const v1::ChatMessage& Last(const v1::GenerateRequest& r) { return r.messages(r.messages_size() - 1); }

// A worker's prefix cache as far as the router can see it: the prefix keys of the requests it
// served (most recent first). Take() answers how many leading messages of a request it held,
// then holds all of them; a Finish reports the cached tokens (10 a message) and the held keys.
class ScriptedCache {
 public:
  int Take(const v1::GenerateRequest& r) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    int held = 0;
    for (int i = 0; i < r.prefix_keys_size(); ++i) {
      if (std::find(held_.begin(), held_.end(), r.prefix_keys(i)) != held_.end()) held = i + 1;
    }
    for (const std::string& k : r.prefix_keys()) {
      if (std::find(held_.begin(), held_.end(), k) == held_.end()) held_.insert(held_.begin(), k);
    }
    return held;
  }
  grpc::Status Done(Writer* w, v1::FinishReason reason, int prompt, int completion, int held_messages)
      ABSL_LOCKS_EXCLUDED(mu_) {
    v1::GenerateEvent e;
    e.mutable_finish()->set_reason(reason);
    e.mutable_finish()->mutable_usage()->set_prompt_tokens(prompt);
    e.mutable_finish()->mutable_usage()->set_completion_tokens(completion);
    e.mutable_finish()->mutable_usage()->set_cached_prompt_tokens(10 * held_messages);
    {
      absl::MutexLock lock(&mu_);
      for (const std::string& k : held_) e.mutable_finish()->add_held_prefix_keys(k);
    }
    w->Write(e);
    return grpc::Status::OK;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> held_ ABSL_GUARDED_BY(mu_);
};

struct RunResult {
  std::vector<v1::ChatEvent> events;
  grpc::Status status;
  std::string text;
  std::vector<v1::ToolResult> results;  // in the order they streamed: parallel calls finish in any order
  std::vector<v1::StepTrace> steps;
  v1::RunTrace trace;
  v1::Finish finish;
  std::string kinds;  // one letter per event: R route, T text, C call, X result, S step, Z trace, F finish

  // The result of call `id` (an empty result, and a failure, when there is none).
  v1::ToolResult Result(const std::string& id) const {
    for (const v1::ToolResult& t : results) {
      if (t.tool_call_id() == id) return t;
    }
    ADD_FAILURE() << "no tool result for call " << id;
    return {};
  }
};

class AgentLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    for (const char* role : {"reasoning", "coder", "translation"}) {
      auto w = std::make_unique<ScriptedWorker>(role);
      grpc::ServerBuilder b;
      int port = 0;
      b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
      b.RegisterService(w.get());
      servers_.push_back(b.BuildAndStart());
      ASSERT_NE(port, 0);
      config_.pools[role].endpoints = {absl::StrCat("127.0.0.1:", port)};
      workers_.push_back(std::move(w));
    }
    config_.health_interval_ms = 100000;  // checked once below; the tests do not kill workers
    config_.max_tokens = 64;
    auto classifier = classify::Classifier::Load(classify::ShippedModelPath());
    ASSERT_TRUE(classifier.ok()) << classifier.status();
    classifier_ = std::make_unique<classify::Classifier>(*std::move(classifier));
  }
  void TearDown() override {
    if (router_) router_->Shutdown(std::chrono::system_clock::now() + 1s);
    for (auto& s : servers_) s->Shutdown(std::chrono::system_clock::now() + 1s);
  }

  // Starts the router (after the test has adjusted config_ and, optionally, the gate).
  void StartRouter(PolicyGate* gate = nullptr) {
    pools_ = WorkerPools::Create(config_);
    pools_->CheckAll();
    service_ = std::make_unique<RouterService>(config_, *classifier_, *pools_, gate);
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(service_.get());
    router_ = b.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::Router::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  ScriptedWorker& reasoning() { return *workers_[0]; }
  ScriptedWorker& coder() { return *workers_[1]; }

  static v1::ChatRequest Ask(const std::string& text, std::vector<std::string> router_tools) {
    v1::ChatRequest r;
    v1::ChatMessage* m = r.add_messages();
    m->set_role(v1::ChatMessage::USER);
    m->set_content(text);
    r.set_route("reasoning");
    for (auto& t : router_tools) r.add_router_tools(t);
    v1::Document* d = r.add_documents();
    d->set_name("contract.txt");
    d->set_text("The supplier delivers the goods by 1 March. The buyer pays within 30 days of delivery.");
    return r;
  }

  RunResult Send(const v1::ChatRequest& req, const std::string& key = "", std::chrono::milliseconds deadline = 20s) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    if (!key.empty()) ctx.AddMetadata("authorization", "Bearer " + key);
    auto reader = stub_->Chat(&ctx, req);
    RunResult r;
    v1::ChatEvent e;
    while (reader->Read(&e)) {
      r.events.push_back(e);
      switch (e.event_case()) {
        case v1::ChatEvent::kRoute: r.kinds += 'R'; break;
        case v1::ChatEvent::kTextDelta:
          if (r.kinds.empty() || r.kinds.back() != 'T') r.kinds += 'T';
          r.text += e.text_delta();
          break;
        case v1::ChatEvent::kToolCall: r.kinds += 'C'; break;
        case v1::ChatEvent::kToolResult:
          r.kinds += 'X';
          r.results.push_back(e.tool_result());
          break;
        case v1::ChatEvent::kStep:
          r.kinds += 'S';
          r.steps.push_back(e.step());
          break;
        case v1::ChatEvent::kTrace:
          r.kinds += 'Z';
          r.trace = e.trace();
          break;
        case v1::ChatEvent::kFinish:
          r.kinds += 'F';
          r.finish = e.finish();
          break;
        default: r.kinds += '?';
      }
    }
    r.status = reader->Finish();
    return r;
  }

  RouterConfig config_;
  std::vector<std::unique_ptr<ScriptedWorker>> workers_;
  std::vector<std::unique_ptr<grpc::Server>> servers_;
  std::unique_ptr<classify::Classifier> classifier_;
  std::unique_ptr<WorkerPools> pools_;
  std::unique_ptr<RouterService> service_;
  std::unique_ptr<grpc::Server> router_;
  std::unique_ptr<v1::Router::Stub> stub_;
};

// Asks for the payment term by search_documents, then answers from the tool's result.
grpc::Status SearchThenAnswer(const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
  if (Last(r).role() == v1::ChatMessage::USER) {
    Text(w, "Let me look.");
    Call(w, "call_a", "search_documents", {{"query", "pays within days"}, {"top_k", 1}});
    return Done(w, v1::TOOL_CALLS, 40, 12);
  }
  const auto results = nlohmann::json::parse(Last(r).content())["results"];
  Text(w, absl::StrCat("Found in ", results[0]["document"].get<std::string>(), "."));
  return Done(w, v1::STOP, 90, 6);
}

TEST_F(AgentLoopTest, RunsARouterToolAndContinuesWithItsResult) {
  reasoning().set_script(SearchThenAnswer);
  StartRouter();
  const RunResult r = Send(Ask("When must the buyer pay?", {"search_documents"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.kinds, "RTCXSTSZF");
  EXPECT_EQ(r.text, "Let me look.Found in contract.txt.");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].tool_call_id(), "call_a");
  EXPECT_EQ(r.results[0].name(), "search_documents");
  EXPECT_TRUE(r.results[0].ok());
  EXPECT_EQ(r.results[0].step(), 1);
  EXPECT_THAT(r.results[0].content(), HasSubstr("The buyer pays within 30 days of delivery."));
  EXPECT_THAT(r.results[0].structured_json(), HasSubstr("\"document\":\"contract.txt\""));

  // The second model call saw the whole turn: its call and the result, paired by id.
  const auto reqs = reasoning().requests();
  ASSERT_EQ(reqs.size(), 2u);
  ASSERT_EQ(reqs[1].messages_size(), 3);
  const v1::ChatMessage& a = reqs[1].messages(1);
  EXPECT_EQ(a.role(), v1::ChatMessage::ASSISTANT);
  EXPECT_EQ(a.content(), "Let me look.");
  ASSERT_EQ(a.tool_calls_size(), 1);
  EXPECT_EQ(a.tool_calls(0).id(), "call_a");
  const v1::ChatMessage& t = reqs[1].messages(2);
  EXPECT_EQ(t.role(), v1::ChatMessage::TOOL);
  EXPECT_EQ(t.tool_call_id(), "call_a");
  EXPECT_EQ(t.name(), "search_documents");
  EXPECT_EQ(t.content(), r.results[0].content());
  // The model was shown the router tool with its schema.
  ASSERT_EQ(reqs[0].tools_size(), 1);
  EXPECT_EQ(reqs[0].tools(0).name(), "search_documents");
  EXPECT_THAT(reqs[0].tools(0).parameters_json_schema(), HasSubstr("\"query\""));

  // Trace: two steps with their tokens; usage summed over the run.
  ASSERT_EQ(r.trace.steps_size(), 2);
  EXPECT_EQ(r.trace.steps(0).step(), 1);
  EXPECT_EQ(r.trace.steps(0).role(), "reasoning");
  EXPECT_EQ(r.trace.steps(0).replica(), config_.pools["reasoning"].endpoints[0]);
  EXPECT_EQ(r.trace.steps(0).prompt_tokens(), 40);
  EXPECT_EQ(r.trace.steps(0).completion_tokens(), 12);
  EXPECT_EQ(r.trace.steps(0).finish_reason(), v1::TOOL_CALLS);
  ASSERT_EQ(r.trace.steps(0).tool_calls_size(), 1);
  ASSERT_EQ(r.trace.steps(0).tool_results_size(), 1);
  EXPECT_EQ(r.trace.steps(1).finish_reason(), v1::STOP);
  EXPECT_EQ(r.trace.end_reason(), "stop");
  EXPECT_EQ(r.trace.usage().prompt_tokens(), 130);
  EXPECT_EQ(r.trace.usage().completion_tokens(), 18);
  EXPECT_EQ(r.finish.reason(), v1::STOP);
  EXPECT_EQ(r.finish.usage().prompt_tokens(), 130);
}

TEST_F(AgentLoopTest, RunCodeRunsInTheSandboxWithTheRunsLimits) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "run_code", {{"language", "python"}, {"code", "print(6 * 7)"}});
      return Done(w, v1::TOOL_CALLS, 5, 5);
    }
    Text(w, "done");
    return Done(w, v1::STOP, 5, 1);
  });
  StartRouter();
  const RunResult r = Send(Ask("Compute 6*7.", {"run_code"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_TRUE(r.results[0].ok()) << r.results[0].error();
  const nlohmann::json out = nlohmann::json::parse(r.results[0].structured_json());
  EXPECT_EQ(out["exit_code"], 0);
  EXPECT_EQ(out["stdout"], "42\n");
  EXPECT_EQ(out["timed_out"], false);
}

TEST_F(AgentLoopTest, ParallelCallsAreAllAnsweredInCallOrder) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "search_documents", {{"query", "supplier"}});
      Call(w, "c2", "search_documents", {{"query", "buyer"}});
      Call(w, "c3", "search_documents", {{"query", "nothing matches this"}, {"top_k", 99}});
      return Done(w, v1::TOOL_CALLS, 10, 10);
    }
    Text(w, "done");
    return Done(w, v1::STOP, 10, 1);
  });
  StartRouter();
  const RunResult r = Send(Ask("Summarise the obligations.", {"search_documents"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.kinds.substr(0, 4), "RCCC");
  ASSERT_EQ(r.results.size(), 3u);
  const auto reqs = reasoning().requests();
  ASSERT_EQ(reqs.size(), 2u);
  ASSERT_EQ(reqs[1].messages_size(), 5);  // user, assistant (3 calls), 3 tool results
  EXPECT_EQ(reqs[1].messages(2).tool_call_id(), "c1");
  EXPECT_EQ(reqs[1].messages(3).tool_call_id(), "c2");
  EXPECT_EQ(reqs[1].messages(4).tool_call_id(), "c3");
  EXPECT_THAT(reqs[1].messages(2).content(), HasSubstr("supplier delivers"));
  // A tool error (top_k out of range) goes back to the model, and the run goes on.
  EXPECT_THAT(reqs[1].messages(4).content(), HasSubstr("top_k must be from 1 to 20"));
  EXPECT_EQ(r.finish.reason(), v1::STOP);
}

TEST_F(AgentLoopTest, ArgumentsThatBreakTheSchemaGoBackToTheModel) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "search_documents", {{"query", 7}});
      Call(w, "c2", "read_file", {{"path", "/etc/shadow"}});
      return Done(w, v1::TOOL_CALLS, 10, 10);
    }
    Text(w, "ok");
    return Done(w, v1::STOP, 10, 1);
  });
  StartRouter();
  const RunResult r = Send(Ask("Find it.", {"search_documents"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_FALSE(r.Result("c1").ok());
  EXPECT_THAT(r.Result("c1").error(), HasSubstr("query"));
  EXPECT_FALSE(r.Result("c2").ok());
  EXPECT_THAT(r.Result("c2").error(), HasSubstr("read_file"));
  EXPECT_EQ(reasoning().requests().size(), 2u);
  EXPECT_EQ(r.trace.end_reason(), "stop");
}

TEST_F(AgentLoopTest, ClientToolCallsAreHandedBack) {
  reasoning().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Call(w, "c1", "search_documents", {{"query", "delivery"}});
    Call(w, "c2", "get_weather", {{"city", "Bonn"}});
    return Done(w, v1::TOOL_CALLS, 10, 10);
  });
  StartRouter();
  v1::ChatRequest req = Ask("Weather at the delivery place?", {"search_documents"});
  v1::Tool* t = req.add_tools();
  t->set_name("get_weather");
  t->set_parameters_json_schema(R"({"type":"object","properties":{"city":{"type":"string"}}})");
  const RunResult r = Send(req);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.kinds, "RCCXSZF");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].tool_call_id(), "c1");
  EXPECT_EQ(r.finish.reason(), v1::TOOL_CALLS);
  EXPECT_EQ(r.trace.end_reason(), "client_tool_calls");
  EXPECT_EQ(reasoning().requests().size(), 1u);
  ASSERT_EQ(reasoning().requests()[0].tools_size(), 2);  // the client's first, then the router's
  EXPECT_EQ(reasoning().requests()[0].tools(0).name(), "get_weather");
}

// Calls search_documents forever, each time with new arguments.
grpc::Status SearchForever(const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
  Call(w, absl::StrCat("c", r.messages_size()), "search_documents", {{"query", absl::StrCat("term ", r.messages_size())}});
  return Done(w, v1::TOOL_CALLS, 100, 10);
}

TEST_F(AgentLoopTest, MaxStepsEndsTheRun) {
  reasoning().set_script(SearchForever);
  StartRouter();
  v1::ChatRequest req = Ask("Go.", {"search_documents"});
  req.mutable_limits()->set_max_steps(3);
  const RunResult r = Send(req);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.reason(), v1::RUN_LIMIT);
  EXPECT_EQ(r.finish.detail(), "max_steps: 3 model calls made and the model still calls tools");
  EXPECT_EQ(r.trace.end_reason(), "max_steps");
  EXPECT_EQ(reasoning().requests().size(), 3u);
  EXPECT_EQ(r.results.size(), 2u);  // the third step's call is not run
  EXPECT_EQ(r.trace.steps_size(), 3);
}

TEST_F(AgentLoopTest, TheTokenBudgetEndsTheRun) {
  reasoning().set_script(SearchForever);
  StartRouter();
  v1::ChatRequest req = Ask("Go.", {"search_documents"});
  req.mutable_limits()->set_max_tokens(250);
  const RunResult r = Send(req);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.reason(), v1::RUN_LIMIT);
  EXPECT_EQ(r.finish.detail(), "max_tokens: 330 tokens used of 250");
  EXPECT_EQ(reasoning().requests().size(), 3u);
}

TEST_F(AgentLoopTest, IdenticalCallsAreALoop) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    // The same call, with keys in a different order each time: still the same call.
    const nlohmann::json args = nlohmann::json::parse(r.messages_size() % 2 ? R"({"query":"x","top_k":2})"
                                                                            : R"({"top_k":2,"query":"x"})");
    Call(w, absl::StrCat("c", r.messages_size()), "search_documents", args);
    return Done(w, v1::TOOL_CALLS, 1, 1);
  });
  StartRouter();
  v1::ChatRequest req = Ask("Go.", {"search_documents"});
  req.mutable_limits()->set_max_identical_calls(2);
  const RunResult r = Send(req);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.reason(), v1::RUN_LIMIT);
  EXPECT_EQ(r.finish.detail(), "loop: search_documents called 3 times with the same arguments (limit 2)");
  EXPECT_EQ(r.trace.end_reason(), "loop");
  EXPECT_EQ(r.results.size(), 2u);
}

TEST_F(AgentLoopTest, WallTimeEndsTheRun) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext* ctx, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "search_documents", {{"query", "goods"}});
      return Done(w, v1::TOOL_CALLS, 1, 1);
    }
    for (int i = 0; i < 100 && !ctx->IsCancelled(); ++i) std::this_thread::sleep_for(50ms);  // a slow model
    Text(w, "late");
    return Done(w, v1::STOP, 1, 1);
  });
  StartRouter();
  v1::ChatRequest req = Ask("Go.", {"search_documents"});
  req.mutable_limits()->set_max_seconds(1);
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult r = Send(req);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.reason(), v1::RUN_LIMIT);
  EXPECT_EQ(r.finish.detail(), "max_seconds: the run took 1 s, its limit");
  EXPECT_EQ(r.trace.end_reason(), "max_seconds");
}

TEST_F(AgentLoopTest, DelegationRunsOnTheOtherRolesPool) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "ask_coder", {{"task", "Write hello world in Python."}, {"context", "Python 3"}});
      return Done(w, v1::TOOL_CALLS, 30, 8);
    }
    Text(w, absl::StrCat("The coder said: ", Last(r).content()));
    return Done(w, v1::STOP, 60, 9);
  });
  coder().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    v1::GenerateEvent e;
    e.set_reasoning_delta("easy");
    w->Write(e);
    Text(w, "print('hello')");
    return Done(w, v1::STOP, 20, 5);
  });
  StartRouter();
  const RunResult r = Send(Ask("Get me hello world.", {"ask_coder"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.text, "The coder said: print('hello')");
  const auto asked = coder().requests();
  ASSERT_EQ(asked.size(), 1u);
  ASSERT_EQ(asked[0].messages_size(), 1);
  EXPECT_EQ(asked[0].messages(0).content(), "Write hello world in Python.\n\nContext:\nPython 3");
  EXPECT_EQ(asked[0].tools_size(), 0);
  // Three numbered steps: reasoning, the coder's delegation (delegated_by the call), reasoning.
  ASSERT_EQ(r.trace.steps_size(), 3);
  EXPECT_EQ(r.trace.steps(0).role(), "reasoning");
  EXPECT_EQ(r.trace.steps(1).role(), "coder");
  EXPECT_EQ(r.trace.steps(1).step(), 2);
  EXPECT_EQ(r.trace.steps(1).delegated_by(), "c1");
  EXPECT_EQ(r.trace.steps(1).replica(), config_.pools["coder"].endpoints[0]);
  EXPECT_EQ(r.trace.steps(1).prompt_tokens(), 20);
  EXPECT_EQ(r.trace.steps(2).step(), 3);
  EXPECT_EQ(r.finish.usage().prompt_tokens(), 110);
  EXPECT_EQ(r.finish.usage().completion_tokens(), 22);
  // The delegation's step streams as it ends, before the tool result it produced.
  EXPECT_EQ(r.kinds, "RCSXSTSZF");
}

TEST_F(AgentLoopTest, CancellingTheRunCancelsTheDelegation) {
  std::atomic<bool> coder_saw_cancel{false};
  reasoning().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Call(w, "c1", "ask_coder", {{"task", "Something slow."}});
    return Done(w, v1::TOOL_CALLS, 1, 1);
  });
  coder().set_script([&](const v1::GenerateRequest&, grpc::ServerContext* ctx, Writer*) {
    for (int i = 0; i < 200 && !ctx->IsCancelled(); ++i) std::this_thread::sleep_for(25ms);
    coder_saw_cancel = ctx->IsCancelled();
    return grpc::Status::CANCELLED;
  });
  StartRouter();
  grpc::ClientContext ctx;
  auto reader = stub_->Chat(&ctx, Ask("Go.", {"ask_coder"}));
  v1::ChatEvent e;
  while (reader->Read(&e) && !e.has_tool_call()) {
  }
  std::this_thread::sleep_for(200ms);  // the delegation is under way
  ctx.TryCancel();
  while (reader->Read(&e)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  for (int i = 0; i < 100 && !coder_saw_cancel; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(coder_saw_cancel);
}

TEST_F(AgentLoopTest, RequestErrorsNameTheField) {
  StartRouter();
  RunResult r = Send(Ask("x", {"rm_rf"}));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("router_tools[0]: no built-in tool named \"rm_rf\""));

  v1::ChatRequest clash = Ask("x", {"search_documents"});
  clash.add_tools()->set_name("search_documents");
  r = Send(clash);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("is also declared in tools"));

  v1::ChatRequest format = Ask("x", {"search_documents"});
  format.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
  r = Send(format);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("response_format: cannot be combined with router_tools"));

  v1::ChatRequest over = Ask("x", {"search_documents"});
  over.mutable_limits()->set_max_steps(50);
  r = Send(over);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("limits.max_steps: 50 is over the router's limit of 8"));

  v1::ChatRequest zero = Ask("x", {});
  zero.mutable_limits()->set_max_seconds(0);
  r = Send(zero);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("limits.max_seconds: 0 (must be at least 1)"));

  v1::ChatRequest unnamed = Ask("x", {"search_documents"});
  unnamed.mutable_documents(0)->clear_name();
  r = Send(unnamed);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(r.status.error_message(), HasSubstr("documents[0].name: empty"));
}

TEST_F(AgentLoopTest, WithoutRouterToolsCallsAreTheClients) {
  reasoning().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Text(w, "hi");
    Call(w, "c1", "search_documents", {{"query", "x"}});
    return Done(w, v1::TOOL_CALLS, 3, 4);
  });
  StartRouter();
  const RunResult r = Send(Ask("x", {}));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.kinds, "RTCSZF");
  EXPECT_TRUE(r.results.empty());
  EXPECT_EQ(r.finish.reason(), v1::TOOL_CALLS);
  EXPECT_EQ(r.trace.end_reason(), "client_tool_calls");
}

// ---- the prefix cache: salts, keys, held keys, cached tokens ----

// An open router: one salt for every call (delegations too), whatever the request says; each
// call carries its conversation's prefix keys; the keys an answer's Finish lists are the
// replica's held keys in the pools, and go no further.
TEST_F(AgentLoopTest, AnOpenRouterSaltsEveryCallAlikeAndKeepsTheHeldKeys) {
  auto cache = std::make_shared<ScriptedCache>();
  reasoning().set_script([cache](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    const int held = cache->Take(r);
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "ask_coder", {{"task", "Write hello world."}});
      return cache->Done(w, v1::TOOL_CALLS, 30, 8, held);
    }
    Text(w, "done");
    return cache->Done(w, v1::STOP, 60, 9, held);
  });
  coder().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Text(w, "print('hello')");
    return Done(w, v1::STOP, 20, 5);
  });
  StartRouter();
  const Replica* replica = nullptr;
  for (const Replica* rep : pools_->replicas()) {
    if (rep->role() == "reasoning") replica = rep;
  }
  ASSERT_NE(replica, nullptr);
  RunResult r = Send(Ask("Get me hello world.", {"ask_coder"}));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 10);  // step 2 found step 1's user message
  EXPECT_EQ(r.trace.usage().cached_prompt_tokens(), 10);
  EXPECT_EQ(r.finish.held_prefix_keys_size(), 0);  // the router's finish never lists keys
  // The replica holds what the last Finish listed: step 2's whole conversation.
  ASSERT_EQ(reasoning().requests().size(), 2u);
  const v1::GenerateRequest step2 = reasoning().requests()[1];
  ASSERT_EQ(step2.messages_size(), 3);
  EXPECT_EQ(replica->held_prefix_keys().LongestHeldPrefix(step2.prefix_keys()), 3u);
  EXPECT_EQ(replica->held_prefix_keys().size(), 3u);
  // Another request, nothing alike: other text, no tools, the thinking switch, and a field this
  // router does not know (where a client might try to put a salt of its choosing).
  v1::ChatRequest other = Ask("Something else entirely.", {});
  other.set_enable_thinking(false);
  other.GetReflection()->MutableUnknownFields(&other)->AddLengthDelimited(1000, std::string(32, 'x'));
  coder().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) { return Done(w, v1::STOP, 1, 1); });
  reasoning().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) { return Done(w, v1::STOP, 1, 1); });
  r = Send(other);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();

  std::vector<v1::GenerateRequest> calls = reasoning().requests();
  for (const v1::GenerateRequest& c : coder().requests()) calls.push_back(c);
  ASSERT_GE(calls.size(), 4u);  // two steps and a delegation, then the other request
  const std::string salt = service_->cache_salts().For("");
  EXPECT_EQ(salt.size(), 32u);
  for (const v1::GenerateRequest& c : calls) {
    EXPECT_EQ(c.cache_salt(), salt);
    EXPECT_EQ(c.prefix_keys_size(), c.messages_size());
    EXPECT_THAT(c.prefix_keys(), ElementsAreArray(PrefixKeys(c)));
  }
  // Each Finish replaces the list: the last one listed none.
  EXPECT_EQ(replica->held_prefix_keys().LongestHeldPrefix(step2.prefix_keys()), 0u);
}

// What the workers say of their prefix caches reaches ListWorkers and the /metrics gauges.
TEST_F(AgentLoopTest, ListWorkersAndTheGaugesShowEachReplicasPrefixCache) {
  v1::WorkerInfo info;
  info.set_kv_blocks_total(512);
  info.set_kv_blocks_free(300);
  info.set_kv_blocks_cached(40);
  info.set_prefix_cache(true);
  info.set_prefix_hit_tokens(300);
  info.set_prefix_miss_tokens(100);
  reasoning().set_info(info);
  StartRouter();
  grpc::ClientContext ctx;
  v1::ListWorkersResponse list;
  ASSERT_TRUE(stub_->ListWorkers(&ctx, v1::ListWorkersRequest(), &list).ok());
  ASSERT_EQ(list.replicas_size(), 3);
  for (const v1::Replica& rep : list.replicas()) {
    SCOPED_TRACE(rep.role());
    const bool cached = rep.role() == "reasoning";
    EXPECT_TRUE(rep.healthy());
    EXPECT_EQ(rep.kv_blocks_total(), cached ? 512 : 0);
    EXPECT_EQ(rep.kv_blocks_free(), cached ? 300 : 0);
    EXPECT_EQ(rep.kv_blocks_cached(), cached ? 40 : 0);
    EXPECT_EQ(rep.prefix_cache(), cached);
    EXPECT_EQ(rep.prefix_hit_tokens(), cached ? 300 : 0);
    EXPECT_EQ(rep.prefix_miss_tokens(), cached ? 100 : 0);
  }
  metrics::Registry registry;
  RouterMetrics gauges(registry);
  gauges.WatchPools(*pools_);
  const std::string text = registry.Render();
  const std::string reasoning_at = config_.pools["reasoning"].endpoints[0];
  const std::string coder_at = config_.pools["coder"].endpoints[0];
  EXPECT_THAT(text, HasSubstr(absl::StrCat("switchyard_worker_kv_blocks_cached{role=\"reasoning\",endpoint=\"", reasoning_at,
                                           "\"} 40\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("switchyard_worker_prefix_hit_ratio{role=\"reasoning\",endpoint=\"", reasoning_at,
                                           "\"} 0.75\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("switchyard_worker_prefix_hit_ratio{role=\"coder\",endpoint=\"", coder_at,
                                           "\"} 0\n")));
}

class AgentPolicyTest : public AgentLoopTest {
 protected:
  void StartWithPolicy() {
    dir_.Write("policy.yaml", absl::StrCat(R"(version: 1
tenants:
  - name: acme
    api_keys: [{sha256: )",
                                           HashApiKey("sk-acme-1"), "}, {sha256: ", HashApiKey("sk-acme-2"), R"(}]
    allow:
      roles: [reasoning]
      tools: [search_documents, ask_coder]
    max_steps: 4
  - name: globex
    api_keys: [{sha256: )",
                                           HashApiKey("sk-globex-1"), R"(}]
    allow:
      roles: [reasoning, coder]
      tools: [search_documents, ask_coder]
guardrails:
  output:
    - {name: secret, pattern: 'sk-[a-z]{8}', action: block}
audit:
  path: )",
                                           dir_.File("audit.jsonl"), "\n"));
    auto store = PolicyStore::Open(dir_.File("policy.yaml"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto audit = AuditLog::Open(dir_.File("audit.jsonl"));
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    gate_ = std::make_unique<PolicyGate>(store_.get(), audit_.get());
    StartRouter(gate_.get());
  }
  std::vector<nlohmann::json> AuditEvents() {
    std::ifstream in(dir_.File("audit.jsonl"));
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  testing::ScratchDir dir_;
  std::unique_ptr<PolicyStore> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<PolicyGate> gate_;
};

TEST_F(AgentPolicyTest, ToolsAreDeniedByDefaultAndEveryCallIsAudited) {
  reasoning().set_script([](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    if (Last(r).role() == v1::ChatMessage::USER) {
      Call(w, "c1", "search_documents", {{"query", "buyer"}});
      Call(w, "c2", "ask_coder", {{"task", "x"}});
      return Done(w, v1::TOOL_CALLS, 5, 5);
    }
    Text(w, "fine");
    return Done(w, v1::STOP, 5, 1);
  });
  StartWithPolicy();
  // run_code is not allowed to acme: the request is refused before any model runs.
  RunResult r = Send(Ask("x", {"search_documents", "run_code"}), "sk-acme-1");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(r.status.error_message(), HasSubstr("tenant 'acme' may not use tool 'run_code'"));
  EXPECT_TRUE(reasoning().requests().empty());
  // A tenant cap on steps beats the router's.
  v1::ChatRequest over = Ask("x", {"search_documents"});
  over.mutable_limits()->set_max_steps(5);
  r = Send(over, "sk-acme-1");
  EXPECT_THAT(r.status.error_message(), HasSubstr("limits.max_steps: 5 is over the tenant's limit of 4"));

  // ask_coder is allowed as a tool, but the coder role is not: the delegation fails, the
  // model reads why, and the run goes on.
  r = Send(Ask("x", {"search_documents", "ask_coder"}), "sk-acme-1");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.results.size(), 2u);
  // The two calls run in parallel: their results are read by call id, not by arrival.
  EXPECT_TRUE(r.Result("c1").ok());
  EXPECT_FALSE(r.Result("c2").ok());
  EXPECT_THAT(r.Result("c2").error(), HasSubstr("tenant 'acme' may not use role 'coder'"));
  EXPECT_TRUE(coder().requests().empty());

  const std::vector<nlohmann::json> events = AuditEvents();
  std::vector<std::string> kinds;
  const nlohmann::json* search = nullptr;
  const nlohmann::json* ask = nullptr;
  for (const auto& e : events) {
    const std::string tool = e.contains("tool") ? e["tool"].get<std::string>() : "";
    kinds.push_back(tool.empty() ? e["event"].get<std::string>() : absl::StrCat(e["event"].get<std::string>(), ":", tool));
    if (tool == "search_documents") search = &e;
    if (tool == "ask_coder") ask = &e;
  }
  // The two calls run in parallel: the delegation's denial and the search may come in either order.
  ASSERT_EQ(kinds.size(), 7u);
  EXPECT_THAT(std::vector<std::string>(kinds.begin(), kinds.begin() + 4), ElementsAre("route", "denial", "route", "route"));
  EXPECT_THAT(std::vector<std::string>(kinds.begin() + 4, kinds.end()),
              ::testing::UnorderedElementsAre("denial", "tool_call:search_documents", "tool_call:ask_coder"));
  ASSERT_NE(search, nullptr);
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ((*search)["code"], "OK");
  EXPECT_EQ((*search)["step"], 1);
  EXPECT_EQ((*ask)["code"], "UNKNOWN");
  EXPECT_EQ((*search)["tenant"], "acme");
  EXPECT_EQ((*search)["trace_id"], r.events[0].trace_id());
}

TEST_F(AgentPolicyTest, OutputGuardrailsCoverToolArguments) {
  reasoning().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Call(w, "c1", "search_documents", {{"query", "the key sk-abcdefgh please"}});
    return Done(w, v1::TOOL_CALLS, 5, 5);
  });
  StartWithPolicy();
  const RunResult r = Send(Ask("x", {"search_documents"}), "sk-acme-1");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(r.status.error_message(), HasSubstr("output blocked by guardrail rule 'secret'"));
  EXPECT_TRUE(r.results.empty());
  EXPECT_EQ(r.kinds.find('C'), std::string::npos);  // the call never reached the client
}

TEST_F(AgentLoopTest, CallToolRunsOneToolOutsideAConversation) {
  StartRouter();
  v1::CallToolRequest req;
  req.set_name("search_documents");
  req.set_arguments_json(R"({"query":"goods","top_k":1})");
  v1::Document* d = req.add_documents();
  d->set_name("a.txt");
  d->set_text("The supplier delivers the goods by 1 March.");
  grpc::ClientContext ctx;
  v1::ToolResult result;
  ASSERT_TRUE(stub_->CallTool(&ctx, req, &result).ok());
  EXPECT_TRUE(result.ok());
  EXPECT_THAT(result.content(), HasSubstr("\"document\":\"a.txt\""));

  req.set_arguments_json(R"({"query":""})");
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->CallTool(&ctx2, req, &result).ok());
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error(), HasSubstr("query"));

  req.set_name("format_disk");
  grpc::ClientContext ctx3;
  const grpc::Status s = stub_->CallTool(&ctx3, req, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("name: no built-in tool named \"format_disk\""));
}

// Two tenants ask the same thing. Every call a tenant's run makes (its steps, its delegation)
// carries the tenant's salt, whichever of its keys it used and whatever the request says; the
// other tenant's calls carry another. A worker cache keyed by the prefix keys (as the engine's
// is by salted block hashes) finds a tenant's own earlier prefixes and none of the other's.
TEST_F(AgentPolicyTest, TenantsNeverShareASaltOrACachedPrefix) {
  auto cache = std::make_shared<ScriptedCache>();
  reasoning().set_script([cache](const v1::GenerateRequest& r, grpc::ServerContext*, Writer* w) {
    const int held = cache->Take(r);
    if (r.tools_size() > 0 && Last(r).role() == v1::ChatMessage::USER) {
      Text(w, "Let me look.");
      Call(w, "c1", "search_documents", {{"query", "buyer pays"}});
      if (r.tools_size() == 2) Call(w, "c2", "ask_coder", {{"task", "Write a date parser."}});
      return cache->Done(w, v1::TOOL_CALLS, 40, 12, held);
    }
    Text(w, "Within 30 days.");
    return cache->Done(w, v1::STOP, 90, 6, held);
  });
  coder().set_script([](const v1::GenerateRequest&, grpc::ServerContext*, Writer* w) {
    Text(w, "def parse(s): ...");
    return Done(w, v1::STOP, 20, 5);
  });
  StartWithPolicy();
  const std::string acme_salt = service_->cache_salts().For("acme");
  const std::string globex_salt = service_->cache_salts().For("globex");
  ASSERT_NE(acme_salt, globex_salt);
  const std::string question = "When must the buyer pay?";

  RunResult r = Send(Ask(question, {}), "sk-acme-1");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 0);
  // Again, with the tenant's other key, trying to pass the other tenant's salt in a field the
  // router does not know: the tenant's own salt, and its first question is found.
  v1::ChatRequest again = Ask(question, {});
  again.GetReflection()->MutableUnknownFields(&again)->AddLengthDelimited(1000, globex_salt);
  r = Send(again, "sk-acme-2");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 10);
  // The very same request from the other tenant: nothing is found.
  r = Send(Ask(question, {}), "sk-globex-1");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 0);
  EXPECT_EQ(r.trace.usage().cached_prompt_tokens(), 0);

  // Runs with tools: each step 2 finds its own step 1, and the delegation carries the salt.
  r = Send(Ask(question, {"search_documents"}), "sk-acme-1");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 10);
  r = Send(Ask(question, {"search_documents", "ask_coder"}), "sk-globex-1");
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.finish.usage().cached_prompt_tokens(), 10);

  const std::vector<v1::GenerateRequest> calls = reasoning().requests();
  ASSERT_EQ(calls.size(), 7u);
  const std::vector<bool> acme = {true, true, false, true, true, false, false};
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].cache_salt(), acme[i] ? acme_salt : globex_salt) << "call " << i;
    EXPECT_THAT(calls[i].prefix_keys(), ElementsAreArray(PrefixKeys(calls[i]))) << "call " << i;
  }
  // Same message, other tenant: another key.
  EXPECT_EQ(calls[0].prefix_keys(0), calls[1].prefix_keys(0));
  EXPECT_NE(calls[0].prefix_keys(0), calls[2].prefix_keys(0));
  ASSERT_EQ(coder().requests().size(), 1u);
  EXPECT_EQ(coder().requests()[0].cache_salt(), globex_salt);
  EXPECT_EQ(coder().requests()[0].prefix_keys_size(), 1);
}

}  // namespace
}  // namespace switchyard
