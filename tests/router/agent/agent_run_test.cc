// The agent run as a state machine, without gRPC: scripted worker streams (the real
// WorkerClient over an in-memory transport), the real tool pool and built-in tools, a policy
// and a client stream that record what they are asked, and a clock moved by hand. Each test
// pins one behaviour exactly: the events and their order, the conversation each step sends,
// the retry rule, tools paired by call id, client tools handed back, each limit, the trace,
// the audit before the stream, guardrail blocks, cancellation mid-step and mid-tools, and
// reading no further ahead of the client than kReadAhead events.
#include "router/agent/agent_run.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policies/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "router/agent/prefix_keys.h"
#include "router/agent/tool_pool.h"
#include "router/agent/worker_client.h"
#include "tests/router/agent/agent_fakes.h"

namespace switchyard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::CallEvent;
using testing::FakePolicy;
using testing::FakeStream;
using testing::FinishEvent;
using testing::TextEvent;

class AgentRunTest : public ::testing::Test {
 protected:
  AgentRunTest() : client_(transport_), sink_(&journal_), tool_pool_(2) {
    for (const char* ep : {"r1:1", "r2:1", "r3:1"}) transport_.AddReplica("reasoning", ep);
    transport_.AddReplica("coder", "c1:1");
    policy_ = std::make_unique<FakePolicy>(&journal_);
  }

  RunPlan Plan(const std::string& text, std::vector<std::string> router_tools = {}) {
    RunPlan p;
    p.trace_id = "trace-1";
    p.route.set_role("reasoning");
    p.route.set_label("reasoning");
    p.route.set_confidence(0.75f);
    v1::ChatMessage* m = p.request.add_messages();
    m->set_role(v1::ChatMessage::USER);
    m->set_content(text);
    p.request.mutable_sampling()->set_max_tokens(64);
    p.request.set_request_id("trace-1");
    p.router_tools = std::move(router_tools);
    v1::Document* d = p.documents.Add();
    d->set_name("contract.txt");
    d->set_text("The supplier delivers the goods by 1 March. The buyer pays within 30 days of delivery.");
    p.start = clock_.Now();
    p.deadline = p.start + absl::Seconds(300);
    p.deadline_is_run_limit = true;
    p.limits.max_seconds = 300;
    p.delegation_max_tokens = 32;
    return p;
  }

  std::shared_ptr<AgentRun> Start(RunPlan plan) {
    absl::StatusOr<std::shared_ptr<AgentRun>> run =
        AgentRun::Create(std::move(plan), RunDeps{&client_, &tool_pool_, &metrics_, &clock_}, std::move(policy_), &sink_);
    if (!run.ok()) {
      ADD_FAILURE() << run.status();
      return nullptr;
    }
    sink_.Attach(*run);
    (*run)->Start();
    return *run;
  }
  std::shared_ptr<FakeStream> Stream(size_t i) { return transport_.WaitForStream(i); }
  v1::RunTrace Trace() const { return sink_.Last(v1::ChatEvent::kTrace).trace(); }
  v1::Finish Finish() const { return sink_.Last(v1::ChatEvent::kFinish).finish(); }
  std::vector<v1::ToolResult> Results() const {
    std::vector<v1::ToolResult> out;
    for (const v1::ChatEvent& e : sink_.events()) {
      if (e.has_tool_result()) out.push_back(e.tool_result());
    }
    return out;
  }

  testing::FakeTransport transport_;
  WorkerClient client_;
  testing::Journal journal_;
  testing::FakeSink sink_;
  testing::RecordingMetrics metrics_;
  // Moved by hand, from now: the tools themselves check the run's deadline against real time.
  ManualClock clock_{absl::Now()};
  std::unique_ptr<FakePolicy> policy_;  // the next run's; adjust before Start
  ToolPool tool_pool_;                  // last: joined first
};

TEST_F(AgentRunTest, RelaysOneAnswerRouteFirst) {
  auto run = Start(Plan("Hello?"));
  std::shared_ptr<FakeStream> s = Stream(0);
  EXPECT_EQ(s->endpoint(), "r1:1");
  EXPECT_EQ(s->request().messages(0).content(), "Hello?");
  EXPECT_EQ(s->settings().trace_id, "trace-1");
  EXPECT_EQ(s->settings().deadline, clock_.Now() + absl::Seconds(300));
  clock_.Advance(absl::Milliseconds(40));
  s->Answer({TextEvent("Hel", {1, 2}), TextEvent("lo", {3}), FinishEvent(v1::STOP, 5, 2)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(run->state(), AgentRun::State::kDone);
  EXPECT_EQ(sink_.kinds(), "RTTSZF");
  const std::vector<v1::ChatEvent> events = sink_.events();
  EXPECT_EQ(events[0].trace_id(), "trace-1");
  EXPECT_EQ(events[0].route().role(), "reasoning");
  EXPECT_EQ(events[0].route().replica(), "r1:1");
  EXPECT_FLOAT_EQ(events[0].route().confidence(), 0.75f);
  EXPECT_TRUE(events[1].trace_id().empty());
  EXPECT_THAT(events[1].token_ids(), ElementsAre(1, 2));
  EXPECT_EQ(sink_.text(), "Hello");
  const v1::StepTrace step = events[3].step();
  EXPECT_EQ(step.step(), 1);
  EXPECT_EQ(step.replica(), "r1:1");
  EXPECT_EQ(step.prompt_tokens(), 5);
  EXPECT_EQ(step.completion_tokens(), 2);
  EXPECT_EQ(step.latency_ms(), 40);
  EXPECT_EQ(step.finish_reason(), v1::STOP);
  EXPECT_EQ(Trace().end_reason(), "stop");
  EXPECT_EQ(Trace().wall_ms(), 40);
  EXPECT_EQ(Finish().reason(), v1::STOP);
  EXPECT_EQ(Finish().usage().prompt_tokens(), 5);
  EXPECT_TRUE(Finish().detail().empty());
  const RunSummary summary = sink_.summary();
  EXPECT_EQ(summary.replica, "r1:1");
  EXPECT_EQ(summary.steps, 1);
  EXPECT_EQ(summary.tokens, 7);
  EXPECT_THAT(metrics_.first_tokens(), ElementsAre("reasoning"));
  EXPECT_THAT(metrics_.model_calls(), ElementsAre("reasoning"));
}

TEST_F(AgentRunTest, RouterToolsRunAndTheNextStepSeesTheirResultsPairedById) {
  RunPlan plan = Plan("Summarise the obligations.", {"search_documents"});
  plan.request.mutable_tool_choice()->set_mode(v1::ToolChoice::FUNCTION);
  plan.request.mutable_tool_choice()->set_function_name("search_documents");
  Start(std::move(plan));
  std::shared_ptr<FakeStream> first = Stream(0);
  ASSERT_EQ(first->request().tools_size(), 1);
  EXPECT_EQ(first->request().tools(0).name(), "search_documents");
  EXPECT_THAT(first->request().tools(0).parameters_json_schema(), HasSubstr("\"query\""));
  EXPECT_EQ(first->request().tool_choice().mode(), v1::ToolChoice::FUNCTION);
  first->Answer({TextEvent("Let me look."), CallEvent("c1", "search_documents", {{"query", "supplier delivers"}}),
                 CallEvent("c2", "search_documents", {{"query", "buyer pays"}, {"top_k", 99}}),
                 FinishEvent(v1::TOOL_CALLS, 40, 12)});
  std::shared_ptr<FakeStream> second = Stream(1);
  const v1::GenerateRequest& r = second->request();
  EXPECT_EQ(r.tool_choice().mode(), v1::ToolChoice::AUTO);  // the first step's only
  ASSERT_EQ(r.messages_size(), 4);
  EXPECT_EQ(r.messages(1).role(), v1::ChatMessage::ASSISTANT);
  EXPECT_EQ(r.messages(1).content(), "Let me look.");
  ASSERT_EQ(r.messages(1).tool_calls_size(), 2);
  EXPECT_EQ(r.messages(2).role(), v1::ChatMessage::TOOL);
  EXPECT_EQ(r.messages(2).tool_call_id(), "c1");
  EXPECT_EQ(r.messages(2).name(), "search_documents");
  EXPECT_THAT(r.messages(2).content(), HasSubstr("The supplier delivers the goods by 1 March."));
  EXPECT_EQ(r.messages(3).tool_call_id(), "c2");
  EXPECT_THAT(r.messages(3).content(), HasSubstr("top_k must be from 1 to 20"));  // back to the model
  second->Answer({TextEvent("Done."), FinishEvent(v1::STOP, 90, 6)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(sink_.kinds(), "RTCCXXSTSZF");
  for (const v1::ToolResult& t : Results()) EXPECT_EQ(t.step(), 1);
  const v1::RunTrace trace = Trace();
  ASSERT_EQ(trace.steps_size(), 2);
  ASSERT_EQ(trace.steps(0).tool_results_size(), 2);
  EXPECT_EQ(trace.steps(0).tool_results(0).tool_call_id(), "c1");  // in the calls' order
  EXPECT_EQ(trace.steps(0).tool_results(1).tool_call_id(), "c2");
  EXPECT_TRUE(trace.steps(0).tool_results(0).ok());
  EXPECT_FALSE(trace.steps(0).tool_results(1).ok());
  EXPECT_EQ(trace.steps(1).step(), 2);
  EXPECT_EQ(trace.usage().prompt_tokens(), 130);
  EXPECT_EQ(trace.usage().completion_tokens(), 18);
  EXPECT_EQ(metrics_.tool_results(), 2u);
  EXPECT_EQ(sink_.summary().steps, 2);
}

TEST_F(AgentRunTest, AFailureBeforeTheFirstEventIsRetriedOnAnotherReplica) {
  Start(Plan("Hi"));
  Stream(0)->End(absl::UnavailableError("connection refused"));
  std::shared_ptr<FakeStream> retry = Stream(1);
  EXPECT_EQ(retry->endpoint(), "r2:1");
  EXPECT_EQ(retry->request().messages(0).content(), "Hi");
  retry->Answer({TextEvent("ok"), FinishEvent(v1::STOP, 3, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(sink_.kinds(), "RTSZF");
  // One step in the trace, on the replica that answered; the failed attempt is the client's.
  ASSERT_EQ(Trace().steps_size(), 1);
  EXPECT_EQ(Trace().steps(0).replica(), "r2:1");
  EXPECT_TRUE(Trace().steps(0).error().empty());
  EXPECT_EQ(sink_.summary().replica, "r2:1");
}

TEST_F(AgentRunTest, AFailureAfterTheFirstEventEndsTheRunNamingTheWorker) {
  Start(Plan("Hi"));
  std::shared_ptr<FakeStream> s = Stream(0);
  s->Send(TextEvent("Hal"));
  s->End(absl::UnavailableError("worker died"));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "worker r1:1 (reasoning) failed after the answer had started: worker died; the answer is incomplete");
  EXPECT_EQ(transport_.streams(), 1u);
  EXPECT_EQ(sink_.kinds(), "RTZ");
  EXPECT_EQ(Trace().end_reason(), "error");
  ASSERT_EQ(Trace().steps_size(), 1);
  EXPECT_EQ(Trace().steps(0).finish_reason(), v1::ERROR);
  EXPECT_EQ(Trace().steps(0).error(), "worker died");
}

TEST_F(AgentRunTest, ASecondFailureIsNotRetriedAgain) {
  Start(Plan("Hi"));
  Stream(0)->End(absl::InternalError("a"));
  Stream(1)->End(absl::UnavailableError("b"));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "worker r2:1 (reasoning): b");
  EXPECT_EQ(transport_.streams(), 2u);  // r3 is never tried
  EXPECT_EQ(sink_.kinds(), "RZ");
}

TEST_F(AgentRunTest, ARefusalIsNotRetried) {
  Start(Plan("Hi"));
  Stream(0)->End(absl::InvalidArgumentError("sampling.temperature: -1 is negative"));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "worker r1:1 (reasoning): sampling.temperature: -1 is negative");
  EXPECT_EQ(transport_.streams(), 1u);
}

TEST_F(AgentRunTest, NoHealthyReplicaEndsTheCallAtOnceWithNoEvent) {
  RunPlan plan = Plan("Hallo");
  plan.route.set_role("translation");
  Start(std::move(plan));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "no healthy 'translation' worker");
  EXPECT_TRUE(sink_.events().empty());
  EXPECT_EQ(sink_.summary().steps, 0);
}

TEST_F(AgentRunTest, NoReplicaForALaterStepEndsTheRunAfterItsTrace) {
  Start(Plan("Go.", {"search_documents"}));
  std::shared_ptr<FakeStream> s = Stream(0);
  for (const char* ep : {"r1:1", "r2:1", "r3:1"}) transport_.SetDown(ep, true);
  s->Answer({CallEvent("c1", "search_documents", {{"query", "goods"}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "no healthy 'reasoning' worker");
  EXPECT_EQ(sink_.kinds(), "RCXSZ");
  EXPECT_EQ(sink_.summary().steps, 2);
}

TEST_F(AgentRunTest, ClientToolCallsAreHandedBack) {
  RunPlan plan = Plan("Weather at the delivery place?", {"search_documents"});
  v1::Tool* weather = plan.request.add_tools();
  weather->set_name("get_weather");
  Start(std::move(plan));
  std::shared_ptr<FakeStream> s = Stream(0);
  ASSERT_EQ(s->request().tools_size(), 2);  // the client's first, then the router's
  EXPECT_EQ(s->request().tools(0).name(), "get_weather");
  EXPECT_EQ(s->request().tools(1).name(), "search_documents");
  s->Answer({CallEvent("c1", "search_documents", {{"query", "delivery"}}), CallEvent("c2", "get_weather", {{"city", "Bonn"}}),
             FinishEvent(v1::TOOL_CALLS, 10, 10)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(sink_.kinds(), "RCCXSZF");
  ASSERT_EQ(Results().size(), 1u);
  EXPECT_EQ(Results()[0].tool_call_id(), "c1");
  EXPECT_EQ(Finish().reason(), v1::TOOL_CALLS);
  EXPECT_EQ(Trace().end_reason(), "client_tool_calls");
  EXPECT_EQ(transport_.streams(), 1u);
}

TEST_F(AgentRunTest, WithoutRouterToolsEveryCallIsTheClients) {
  Start(Plan("x"));
  Stream(0)->Answer({TextEvent("hi"), CallEvent("c1", "search_documents", {{"query", "x"}}), FinishEvent(v1::TOOL_CALLS, 3, 4)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(sink_.kinds(), "RTCSZF");
  EXPECT_EQ(Finish().reason(), v1::TOOL_CALLS);
  EXPECT_EQ(Trace().end_reason(), "client_tool_calls");
}

TEST_F(AgentRunTest, SetUpErrorsNameTheField) {
  auto create = [&](RunPlan plan) {
    return AgentRun::Create(std::move(plan), RunDeps{&client_, &tool_pool_, &metrics_, &clock_},
                            std::make_unique<FakePolicy>(&journal_), &sink_)
        .status();
  };
  EXPECT_EQ(create(Plan("x", {"rm_rf"})).message(),
            "router_tools[0]: no built-in tool named \"rm_rf\" (run_code, search_documents, ask_coder, ask_translator, "
            "ask_reasoner)");
  RunPlan clash = Plan("x", {"run_code", "search_documents"});
  clash.request.add_tools()->set_name("search_documents");
  EXPECT_EQ(create(clash).message(),
            "router_tools[1]: \"search_documents\" is also declared in tools; rename the client's tool");
  RunPlan format = Plan("x", {"search_documents"});
  format.request.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
  EXPECT_THAT(create(format).message(), HasSubstr("response_format: cannot be combined with router_tools"));
  RunPlan unnamed = Plan("x");
  unnamed.documents.Mutable(0)->clear_name();
  EXPECT_EQ(create(unnamed).message(), "documents[0].name: empty");
  auto denying = std::make_unique<FakePolicy>(&journal_);
  denying->denied_tools.insert("run_code");
  const absl::Status denied = AgentRun::Create(Plan("x", {"search_documents", "run_code"}),
                                               RunDeps{&client_, &tool_pool_, &metrics_, &clock_}, std::move(denying), &sink_)
                                  .status();
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(transport_.streams(), 0u);
}

// ---- limits ----

// Answers step `i` with one new search, `tokens` prompt tokens and 10 completion tokens.
void SearchAgain(const std::shared_ptr<FakeStream>& s, int i, int tokens = 100) {
  s->Answer({CallEvent(absl::StrCat("c", i), "search_documents", {{"query", absl::StrCat("term ", i)}}),
             FinishEvent(v1::TOOL_CALLS, tokens, 10)});
}

TEST_F(AgentRunTest, MaxStepsEndsTheRun) {
  RunPlan plan = Plan("Go.", {"search_documents"});
  plan.limits.max_steps = 3;
  Start(std::move(plan));
  for (int i = 0; i < 3; ++i) SearchAgain(Stream(static_cast<size_t>(i)), i);
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().reason(), v1::RUN_LIMIT);
  EXPECT_EQ(Finish().detail(), "max_steps: 3 model calls made and the model still calls tools");
  EXPECT_EQ(Trace().end_reason(), "max_steps");
  EXPECT_EQ(Trace().steps_size(), 3);
  EXPECT_EQ(Results().size(), 2u);  // the third step's call is not run
  EXPECT_EQ(transport_.streams(), 3u);
  EXPECT_THAT(metrics_.limits(), ElementsAre("max_steps"));
}

TEST_F(AgentRunTest, TheTokenBudgetEndsTheRun) {
  RunPlan plan = Plan("Go.", {"search_documents"});
  plan.limits.max_tokens = 250;
  Start(std::move(plan));
  for (int i = 0; i < 3; ++i) SearchAgain(Stream(static_cast<size_t>(i)), i);
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().detail(), "max_tokens: 330 tokens used of 250");
  EXPECT_EQ(Trace().end_reason(), "max_tokens");
  EXPECT_EQ(transport_.streams(), 3u);
}

TEST_F(AgentRunTest, IdenticalCallsAreALoop) {
  RunPlan plan = Plan("Go.", {"search_documents"});
  plan.limits.max_identical_calls = 1;
  Start(std::move(plan));
  Stream(0)->Answer({CallEvent("c1", "search_documents", nlohmann::json::parse(R"({"query":"x","top_k":2})")),
                     FinishEvent(v1::TOOL_CALLS, 1, 1)});
  // The same call with its keys the other way round.
  Stream(1)->Answer({CallEvent("c2", "search_documents", nlohmann::json::parse(R"({"top_k":2,"query":"x"})")),
                     FinishEvent(v1::TOOL_CALLS, 1, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().reason(), v1::RUN_LIMIT);
  EXPECT_EQ(Finish().detail(), "loop: search_documents called 2 times with the same arguments (limit 1)");
  EXPECT_EQ(Trace().end_reason(), "loop");
  EXPECT_EQ(Results().size(), 1u);
}

TEST_F(AgentRunTest, MaxSecondsPassedByTheStepsEndEndsTheRunBeforeItsTools) {
  RunPlan plan = Plan("Go.", {"search_documents"});
  plan.limits.max_seconds = 10;
  plan.deadline = plan.start + absl::Seconds(10);
  Start(std::move(plan));
  std::shared_ptr<FakeStream> s = Stream(0);
  s->Send(CallEvent("c1", "search_documents", {{"query", "goods"}}));
  s->Send(FinishEvent(v1::TOOL_CALLS, 1, 1));
  clock_.Advance(absl::Seconds(10));
  s->End(absl::OkStatus());
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().reason(), v1::RUN_LIMIT);
  EXPECT_EQ(Finish().detail(), "max_seconds: the run took 10 s, its limit");
  EXPECT_TRUE(Results().empty());
}

TEST_F(AgentRunTest, MaxSecondsPassedWhileToolsRanEndsTheRunAfterThem) {
  RunPlan plan = Plan("Go.", {"ask_coder"});
  plan.limits.max_seconds = 10;
  plan.deadline = plan.start + absl::Seconds(10);
  Start(std::move(plan));
  Stream(0)->Answer({CallEvent("c1", "ask_coder", {{"task", "Write it."}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  std::shared_ptr<FakeStream> coder = Stream(1);  // the delegation holds the tools open
  clock_.Advance(absl::Seconds(11));
  coder->Answer({TextEvent("done"), FinishEvent(v1::STOP, 1, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().reason(), v1::RUN_LIMIT);
  EXPECT_EQ(Finish().detail(), "max_seconds: the run took 10 s, its limit");
  EXPECT_EQ(Results().size(), 1u);
  EXPECT_EQ(transport_.streams(), 2u);  // no next step
}

TEST_F(AgentRunTest, TheRunsDeadlineCuttingAModelCallIsARunLimit) {
  RunPlan plan = Plan("Go.");
  plan.limits.max_seconds = 1;
  Start(std::move(plan));
  Stream(0)->End(absl::DeadlineExceededError("Deadline Exceeded"));
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(Finish().reason(), v1::RUN_LIMIT);
  EXPECT_EQ(Finish().detail(), "max_seconds: the run took 1 s, its limit");
  ASSERT_EQ(Trace().steps_size(), 1);
  EXPECT_EQ(Trace().steps(0).error(), "worker r1:1 (reasoning): Deadline Exceeded");
  EXPECT_THAT(metrics_.limits(), ElementsAre("max_seconds"));
}

TEST_F(AgentRunTest, TheClientsDeadlineIsAnError) {
  RunPlan plan = Plan("Go.");
  plan.deadline_is_run_limit = false;
  Start(std::move(plan));
  Stream(0)->End(absl::DeadlineExceededError("Deadline Exceeded"));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.message(), "worker r1:1 (reasoning): Deadline Exceeded");
  EXPECT_EQ(sink_.kinds(), "RZ");
}

// ---- the trace, delegations and the audit ----

TEST_F(AgentRunTest, DelegationsAreStepsOfTheTraceNumberedInOneSequence) {
  Start(Plan("Get me hello world.", {"ask_coder"}));
  Stream(0)->Answer({CallEvent("c1", "ask_coder", {{"task", "Write hello world in Python."}}),
                     FinishEvent(v1::TOOL_CALLS, 30, 8)});
  std::shared_ptr<FakeStream> coder = Stream(1);
  EXPECT_EQ(coder->endpoint(), "c1:1");
  ASSERT_EQ(coder->request().messages_size(), 1);
  EXPECT_EQ(coder->request().messages(0).content(), "Write hello world in Python.");
  EXPECT_EQ(coder->request().tools_size(), 0);
  EXPECT_EQ(coder->request().sampling().max_tokens(), 32);
  EXPECT_EQ(coder->request().request_id(), "trace-1");
  coder->Answer({TextEvent("print('hello')"), FinishEvent(v1::STOP, 20, 5)});
  std::shared_ptr<FakeStream> last = Stream(2);
  EXPECT_EQ(last->request().messages(2).content(), "print('hello')");
  last->Answer({TextEvent("Here it is."), FinishEvent(v1::STOP, 60, 9)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  // The delegation's step streams as it ends, before the tool result it produced.
  EXPECT_EQ(sink_.kinds(), "RCSXSTSZF");
  const v1::RunTrace trace = Trace();
  ASSERT_EQ(trace.steps_size(), 3);
  EXPECT_EQ(trace.steps(0).role(), "reasoning");
  EXPECT_EQ(trace.steps(1).role(), "coder");
  EXPECT_EQ(trace.steps(1).step(), 2);
  EXPECT_EQ(trace.steps(1).delegated_by(), "c1");
  EXPECT_EQ(trace.steps(1).replica(), "c1:1");
  EXPECT_EQ(trace.steps(2).step(), 3);
  EXPECT_EQ(trace.usage().prompt_tokens(), 110);
  EXPECT_EQ(trace.usage().completion_tokens(), 22);
  EXPECT_THAT(metrics_.model_calls(), ElementsAre("reasoning", "coder", "reasoning"));
  EXPECT_EQ(sink_.summary().steps, 2);  // delegations are not the conversation's steps
}

// ---- prefixes: each step re-sends the last one's conversation unchanged ----

// The messages' wire bytes (deterministic serialization): "unchanged" means these are equal.
std::string Bytes(const v1::ChatMessage& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

v1::GenerateEvent ReasoningEvent(const std::string& s) {
  v1::GenerateEvent e;
  e.set_reasoning_delta(s);
  return e;
}

// Arguments exactly as a model may write them: a JSON library would print them otherwise.
v1::GenerateEvent RawCallEvent(const std::string& id, const std::string& name, const std::string& arguments) {
  v1::GenerateEvent e;
  e.mutable_tool_call()->set_id(id);
  e.mutable_tool_call()->set_name(name);
  e.mutable_tool_call()->set_arguments_json(arguments);
  return e;
}

// Three steps with parallel calls (two searches and a delegation that ends last) and a call
// whose arguments no serializer would write: step N+1's conversation starts with step N's
// messages byte for byte, and with its prefix keys; every call (the delegation's too) carries
// the run's salt; cached prompt tokens add up over every model call.
TEST_F(AgentRunTest, EachStepsConversationStartsWithTheLastStepsBytesAndKeys) {
  RunPlan plan = Plan("Compare the delivery and the payment terms.", {"search_documents", "ask_coder"});
  plan.request.set_cache_salt("salt-of-acme");
  Start(std::move(plan));
  std::shared_ptr<FakeStream> s1 = Stream(0);
  s1->Answer({ReasoningEvent("Two terms; "), ReasoningEvent("search both."), TextEvent("Let me "), TextEvent("look."),
              CallEvent("c1", "search_documents", {{"query", "supplier delivers"}}),
              CallEvent("c2", "ask_coder", {{"task", "Write a date parser."}}),
              RawCallEvent("c3", "search_documents", R"({ "query" :  "buyer pays",  "top_k": 1 })"),
              FinishEvent(v1::TOOL_CALLS, 40, 12, 0)});
  std::shared_ptr<FakeStream> coder = Stream(1);  // the searches are done or under way
  coder->Answer({TextEvent("def parse(s): ..."), FinishEvent(v1::STOP, 20, 5, 8)});
  std::shared_ptr<FakeStream> s2 = Stream(2);
  s2->Answer({RawCallEvent("c4", "search_documents", "{\"query\":\"d\u00e9livery\"}"), FinishEvent(v1::TOOL_CALLS, 90, 10, 36)});
  std::shared_ptr<FakeStream> s3 = Stream(3);
  s3->Answer({TextEvent("Delivery by 1 March; payment within 30 days."), FinishEvent(v1::STOP, 140, 12, 90)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());

  const std::vector<const v1::GenerateRequest*> steps = {&s1->request(), &s2->request(), &s3->request()};
  for (size_t n = 0; n < steps.size(); ++n) {
    const v1::GenerateRequest& r = *steps[n];
    EXPECT_EQ(r.cache_salt(), "salt-of-acme") << "step " << n + 1;
    ASSERT_EQ(r.prefix_keys_size(), r.messages_size()) << "step " << n + 1;
    EXPECT_THAT(r.prefix_keys(), ::testing::ElementsAreArray(PrefixKeys(r))) << "step " << n + 1;
    if (n == 0) continue;
    const v1::GenerateRequest& before = *steps[n - 1];
    ASSERT_GT(r.messages_size(), before.messages_size());
    for (int i = 0; i < before.messages_size(); ++i) {
      EXPECT_EQ(Bytes(r.messages(i)), Bytes(before.messages(i))) << "step " << n + 1 << ", message " << i;
      EXPECT_EQ(r.prefix_keys(i), before.prefix_keys(i)) << "step " << n + 1 << ", key " << i;
    }
    EXPECT_NE(r.prefix_keys(before.messages_size()), before.prefix_keys(before.messages_size() - 1));
  }
  // Step 1's turn as the worker sent it, then its results in call order (the delegation ended last).
  const v1::GenerateRequest& r2 = *steps[1];
  ASSERT_EQ(r2.messages_size(), 5);
  const v1::ChatMessage& turn = r2.messages(1);
  EXPECT_EQ(turn.role(), v1::ChatMessage::ASSISTANT);
  EXPECT_EQ(turn.content(), "Let me look.");
  EXPECT_EQ(turn.reasoning_content(), "Two terms; search both.");
  ASSERT_EQ(turn.tool_calls_size(), 3);
  EXPECT_EQ(turn.tool_calls(0).arguments_json(), R"({"query":"supplier delivers"})");
  EXPECT_EQ(turn.tool_calls(2).arguments_json(), R"({ "query" :  "buyer pays",  "top_k": 1 })");
  EXPECT_EQ(r2.messages(2).tool_call_id(), "c1");
  EXPECT_EQ(r2.messages(3).tool_call_id(), "c2");
  EXPECT_EQ(r2.messages(3).content(), "def parse(s): ...");
  EXPECT_EQ(r2.messages(4).tool_call_id(), "c3");
  EXPECT_EQ(steps[2]->messages(5).tool_calls(0).arguments_json(), "{\"query\":\"d\u00e9livery\"}");
  // The delegation: the run's salt, its own one-message conversation and its key.
  const v1::GenerateRequest& asked = coder->request();
  EXPECT_EQ(asked.cache_salt(), "salt-of-acme");
  ASSERT_EQ(asked.prefix_keys_size(), 1);
  EXPECT_THAT(asked.prefix_keys(), ::testing::ElementsAreArray(PrefixKeys(asked)));

  EXPECT_EQ(Finish().usage().prompt_tokens(), 290);
  EXPECT_EQ(Finish().usage().cached_prompt_tokens(), 134);
  EXPECT_EQ(Trace().usage().cached_prompt_tokens(), 134);
  EXPECT_EQ(sink_.summary().usage.cached_prompt_tokens(), 134);
  ASSERT_EQ(Trace().steps_size(), 4);
  EXPECT_EQ(Trace().steps(1).delegated_by(), "c2");
  EXPECT_EQ(Trace().steps(1).prompt_tokens(), 20);
}

TEST_F(AgentRunTest, ADeniedDelegationGoesBackToTheModel) {
  policy_->denied_roles.insert("coder");
  Start(Plan("x", {"ask_coder"}));
  Stream(0)->Answer({CallEvent("c1", "ask_coder", {{"task", "x"}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  std::shared_ptr<FakeStream> next = Stream(1);
  EXPECT_EQ(next->endpoint(), "r1:1");
  EXPECT_THAT(next->request().messages(2).content(), HasSubstr("may not use role 'coder'"));
  next->Answer({TextEvent("fine"), FinishEvent(v1::STOP, 1, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_FALSE(Results()[0].ok());
}

TEST_F(AgentRunTest, EachToolCallIsAuditedBeforeItsResultStreams) {
  Start(Plan("x", {"search_documents"}));
  Stream(0)->Answer({CallEvent("c1", "search_documents", {{"query", "buyer"}}),
                     CallEvent("c2", "search_documents", {{"query", ""}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  Stream(1)->Answer({TextEvent("ok"), FinishEvent(v1::STOP, 1, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  // Each result's audit record comes before it streams (c1 ran: OK; c2's empty query: UNKNOWN).
  const int audited_c1 = journal_.IndexOf("audit:search_documents:1:OK");
  const int audited_c2 = journal_.IndexOf("audit:search_documents:1:UNKNOWN");
  ASSERT_GE(audited_c1, 0);
  ASSERT_GE(audited_c2, 0);
  EXPECT_LT(audited_c1, journal_.IndexOf("stream:c1"));
  EXPECT_LT(audited_c2, journal_.IndexOf("stream:c2"));
}

TEST_F(AgentRunTest, AToolCallTheAuditLogRefusesEndsTheRunUnstreamed) {
  policy_->audit_refusal = absl::UnavailableError("audit log: disk full");
  Start(Plan("x", {"search_documents"}));
  Stream(0)->Answer({CallEvent("c1", "search_documents", {{"query", "buyer"}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "audit log: disk full");
  EXPECT_EQ(sink_.kinds(), "RCSZ");
  EXPECT_EQ(transport_.streams(), 1u);
}

// ---- guardrails ----

class GuardedRunTest : public AgentRunTest {
 protected:
  void SetUp() override {
    auto rules = Guardrails::Create({GuardrailRuleSpec{.name = "secret",
                                                       .direction = GuardrailDirection::kOutput,
                                                       .pattern = "sk-[a-z]{8}",
                                                       .action = GuardrailAction::kBlock},
                                     GuardrailRuleSpec{.name = "email",
                                                       .direction = GuardrailDirection::kOutput,
                                                       .builtin = "email",
                                                       .action = GuardrailAction::kRedact}});
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = std::make_unique<Guardrails>(*std::move(rules));
  }
  RunPlan GuardedPlan(std::vector<std::string> router_tools = {}) {
    RunPlan p = Plan("x", std::move(router_tools));
    p.output_rules = rules_.get();
    return p;
  }
  std::unique_ptr<Guardrails> rules_;
};

TEST_F(GuardedRunTest, RedactedTextGoesOutWithoutTokenIds) {
  Start(GuardedPlan());
  Stream(0)->Answer({TextEvent("Mail alice@", {1}), TextEvent("example.com today.", {2}), FinishEvent(v1::STOP, 1, 1)});
  ASSERT_TRUE(sink_.WaitForFinish().ok());
  EXPECT_EQ(sink_.text(), "Mail [redacted:email] today.");
  for (const v1::ChatEvent& e : sink_.events()) EXPECT_EQ(e.token_ids_size(), 0);
}

TEST_F(GuardedRunTest, ABlockMidAnswerCancelsTheCallAndEndsTheRun) {
  Start(GuardedPlan());
  std::shared_ptr<FakeStream> s = Stream(0);
  // Past the guard's hold-back, so that it must judge the secret now.
  s->Send(TextEvent("the key is sk-abcdefgh " + std::string(OutputGuard::kHoldBack + 10, '.')));
  s->Send(TextEvent("more"));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_TRUE(s->cancelled());
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "output blocked by guardrail rule 'secret'");
  EXPECT_EQ(sink_.text().find("sk-"), std::string::npos);
  EXPECT_EQ(sink_.kinds().back(), 'Z');
}

TEST_F(GuardedRunTest, ABlockedToolCallNeverReachesTheClient) {
  policy_->blocked_argument = "sk-";
  Start(GuardedPlan({"search_documents"}));
  std::shared_ptr<FakeStream> s = Stream(0);
  s->Send(CallEvent("c1", "search_documents", {{"query", "the key sk-abcdefgh please"}}));
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_TRUE(s->cancelled());
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(sink_.kinds(), "RZ");
  EXPECT_TRUE(Results().empty());
}

// ---- cancellation and the client's pace ----

TEST_F(AgentRunTest, CancellingMidStepCancelsTheWorkerCall) {
  auto run = Start(Plan("Hi"));
  std::shared_ptr<FakeStream> s = Stream(0);
  s->Send(TextEvent("Hal"));
  run->Cancel();
  EXPECT_TRUE(s->cancelled());
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "worker r1:1 (reasoning): Cancelled");
  EXPECT_EQ(transport_.streams(), 1u);  // never retried
}

TEST_F(AgentRunTest, CancellingMidToolsCancelsTheDelegationAndStartsNoStep) {
  auto run = Start(Plan("Go.", {"ask_coder"}));
  Stream(0)->Answer({CallEvent("c1", "ask_coder", {{"task", "Something slow."}}), FinishEvent(v1::TOOL_CALLS, 1, 1)});
  std::shared_ptr<FakeStream> coder = Stream(1);
  EXPECT_EQ(run->state(), AgentRun::State::kRunningTools);
  run->Cancel();
  const absl::Status status = sink_.WaitForFinish();
  EXPECT_TRUE(coder->cancelled());
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "the client cancelled the run");
  EXPECT_EQ(transport_.streams(), 2u);
}

TEST_F(AgentRunTest, AFailedWriteIsTheClientGoing) {
  sink_.set_hold(true);
  auto run = Start(Plan("Hi"));
  std::shared_ptr<FakeStream> s = Stream(0);
  sink_.Ack(false);  // the route event could not be written
  EXPECT_TRUE(s->cancelled());
  for (int i = 0; i < 10 && !sink_.finished(); ++i) sink_.Ack(false);
  EXPECT_EQ(sink_.WaitForFinish().code(), absl::StatusCode::kCancelled);
}

TEST_F(AgentRunTest, ReadsNoFurtherAheadOfTheClientThanReadAhead) {
  sink_.set_hold(true);
  auto run = Start(Plan("Hi"));
  std::shared_ptr<FakeStream> s = Stream(0);
  for (int i = 0; i < 10; ++i) s->Send(TextEvent(absl::StrCat(i)));
  s->Send(FinishEvent(v1::STOP, 1, 10));
  s->End(absl::OkStatus());
  // The route is being written; four deltas wait behind it, the rest stay with the worker.
  EXPECT_EQ(s->delivered(), static_cast<int>(AgentRun::kReadAhead));
  sink_.Ack();
  EXPECT_EQ(s->delivered(), static_cast<int>(AgentRun::kReadAhead) + 1);
  for (int i = 0; i < 100 && !sink_.finished(); ++i) sink_.Ack();
  EXPECT_EQ(s->delivered(), 11);
  EXPECT_EQ(sink_.text(), "0123456789");
  EXPECT_EQ(sink_.kinds(), "RTTTTTTTTTTSZF");
}

}  // namespace
}  // namespace switchyard
