// The worker client's one retry rule and its read discipline, over a scripted transport (no
// gRPC): retried once, on another replica, before the first event, for the codes that say the
// worker did not take the request; never after Cancel(). And PoolDelegate, the blocking ask_*
// delegate, waiting on the same asynchronous call.
#include "router/agent/worker_client.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/agent/active_calls.h"
#include "router/agent/pool_delegate.h"
#include "router/agent/prefix_keys.h"
#include "tests/router/agent/agent_fakes.h"

namespace switchyard {
namespace {

using ::testing::ElementsAre;
using testing::FakeStream;
using testing::FakeTransport;
using testing::FinishEvent;
using testing::TextEvent;

// Records every callback as a line, and checks that none comes while another is running.
class RecordingObserver final : public WorkerCallObserver {
 public:
  void OnAttempt(const std::string& endpoint) override { Note("attempt " + endpoint); }
  void OnEvent(v1::GenerateEvent e) override {
    Note("event " + e.text_delta());
    if (read_inside && call != nullptr) call->Read();
  }
  void OnAttemptEnd(const absl::Status& status, bool retrying) override {
    Note(absl::StrCat("end ", absl::StatusCodeToString(status.code()), retrying ? " retrying" : ""));
    if (!retrying) ended.Notify();
  }

  std::vector<std::string> lines() {
    absl::MutexLock lock(&mu_);
    return lines_;
  }

  WorkerCall* call = nullptr;
  bool read_inside = false;
  absl::Notification ended;

 private:
  void Note(std::string line) {
    absl::MutexLock lock(&mu_);
    lines_.push_back(std::move(line));
  }
  absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

class WorkerClientTest : public ::testing::Test {
 protected:
  WorkerClientTest() : client_(transport_) {
    for (const char* ep : {"c1:1", "c2:1", "c3:1"}) transport_.AddReplica("coder", ep);
  }
  std::shared_ptr<WorkerCall> Call(RecordingObserver* observer, std::shared_ptr<void> keep_alive = nullptr) {
    auto request = std::make_shared<v1::GenerateRequest>();
    request->add_messages()->set_content("hi");
    auto call = client_.NewCall("coder", request, CallSettings{absl::FromUnixSeconds(2'000'000'000), "t-1"}, observer,
                                std::move(keep_alive));
    observer->call = call.get();
    return call;
  }

  FakeTransport transport_;
  WorkerClient client_;
};

TEST_F(WorkerClientTest, TheRetryableCodesSayTheWorkerDidNotTakeTheRequest) {
  for (absl::StatusCode code : {absl::StatusCode::kUnavailable, absl::StatusCode::kResourceExhausted,
                                absl::StatusCode::kUnknown, absl::StatusCode::kInternal}) {
    EXPECT_TRUE(WorkerClient::Retryable(code)) << absl::StatusCodeToString(code);
  }
  for (absl::StatusCode code :
       {absl::StatusCode::kOk, absl::StatusCode::kCancelled, absl::StatusCode::kDeadlineExceeded,
        absl::StatusCode::kInvalidArgument, absl::StatusCode::kPermissionDenied, absl::StatusCode::kNotFound,
        absl::StatusCode::kFailedPrecondition, absl::StatusCode::kUnauthenticated}) {
    EXPECT_FALSE(WorkerClient::Retryable(code)) << absl::StatusCodeToString(code);
  }
}

TEST_F(WorkerClientTest, AFailureBeforeTheFirstEventIsRetriedOnceOnAnotherReplica) {
  RecordingObserver o;
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  std::shared_ptr<FakeStream> first = transport_.WaitForStream(0);
  first->End(absl::UnavailableError("connection refused"));
  std::shared_ptr<FakeStream> second = transport_.WaitForStream(1);
  EXPECT_EQ(second->endpoint(), "c2:1");
  // The same request, deadline and trace id on both.
  EXPECT_EQ(second->request().messages(0).content(), "hi");
  EXPECT_EQ(second->settings().trace_id, "t-1");
  EXPECT_EQ(second->settings().deadline, absl::FromUnixSeconds(2'000'000'000));
  second->End(absl::UnavailableError("connection refused"));
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  // Once: the third replica is never tried.
  EXPECT_EQ(transport_.streams(), 2u);
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "end UNAVAILABLE retrying", "attempt c2:1", "end UNAVAILABLE"));
}

TEST_F(WorkerClientTest, EveryRetryableCodeIsRetriedAndNoOtherIs) {
  for (absl::StatusCode code :
       {absl::StatusCode::kUnavailable, absl::StatusCode::kResourceExhausted, absl::StatusCode::kUnknown,
        absl::StatusCode::kInternal, absl::StatusCode::kInvalidArgument, absl::StatusCode::kDeadlineExceeded,
        absl::StatusCode::kPermissionDenied}) {
    FakeTransport transport;
    transport.AddReplica("coder", "c1:1");
    transport.AddReplica("coder", "c2:1");
    WorkerClient client(transport);
    RecordingObserver o;
    auto call = client.NewCall("coder", std::make_shared<v1::GenerateRequest>(), {}, &o);
    ASSERT_TRUE(call->Start().ok());
    transport.WaitForStream(0)->End(absl::Status(code, "no"));
    const bool retried = WorkerClient::Retryable(code);
    if (retried) transport.WaitForStream(1)->End(absl::OkStatus());
    ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
    EXPECT_EQ(transport.streams(), retried ? 2u : 1u) << absl::StatusCodeToString(code);
  }
}

TEST_F(WorkerClientTest, NoRetryOnceTheAnswerHasStarted) {
  RecordingObserver o;
  o.read_inside = true;
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  std::shared_ptr<FakeStream> s = transport_.WaitForStream(0);
  s->Send(TextEvent("Hel"));
  s->End(absl::UnavailableError("worker died"));
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_EQ(transport_.streams(), 1u);
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "event Hel", "end UNAVAILABLE"));
}

TEST_F(WorkerClientTest, WithoutAnotherHealthyReplicaTheFirstFailureStands) {
  transport_.SetDown("c2:1", true);
  transport_.SetDown("c3:1", true);
  RecordingObserver o;
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  transport_.WaitForStream(0)->End(absl::ResourceExhaustedError("queue full"));
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "end RESOURCE_EXHAUSTED"));
  EXPECT_EQ(transport_.picks(), 2);  // the first, and the retry's that found nobody
}

TEST_F(WorkerClientTest, NoRoleToPickFromIsAnErrorAtStartAndNothingIsSent) {
  RecordingObserver o;
  auto call = client_.NewCall("translation", std::make_shared<v1::GenerateRequest>(), {}, &o);
  const absl::Status s = call->Start();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "no healthy 'translation' worker");
  EXPECT_EQ(transport_.streams(), 0u);
  EXPECT_TRUE(o.lines().empty());
}

TEST_F(WorkerClientTest, ACancelledCallIsNotRetried) {
  RecordingObserver o;
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  std::shared_ptr<FakeStream> s = transport_.WaitForStream(0);
  call->Cancel();
  EXPECT_TRUE(s->cancelled());
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_EQ(transport_.streams(), 1u);
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "end CANCELLED"));
}

TEST_F(WorkerClientTest, CancelBeforeStartSendsNothing) {
  RecordingObserver o;
  auto call = Call(&o);
  call->Cancel();
  EXPECT_EQ(call->Start().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(transport_.streams(), 0u);
}

TEST_F(WorkerClientTest, EventsComeOnePerReadAndNeverInsideAnother) {
  RecordingObserver o;
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  std::shared_ptr<FakeStream> s = transport_.WaitForStream(0);
  call->Read();  // the stream starts with a read in flight: this is not a second one (the fake checks)
  for (const char* t : {"a", "b", "c"}) s->Send(TextEvent(t));
  s->End(absl::OkStatus());
  // One read, one event; nothing more until asked.
  EXPECT_EQ(s->delivered(), 1);
  call->Read();
  EXPECT_EQ(s->delivered(), 2);
  call->Read();
  EXPECT_EQ(s->delivered(), 3);
  EXPECT_FALSE(o.ended.HasBeenNotified());  // the end comes when the reads reach it
  call->Read();
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "event a", "event b", "event c", "end OK"));
}

TEST_F(WorkerClientTest, AReadAskedForInsideOnEventWaitsUntilItReturns) {
  RecordingObserver o;
  o.read_inside = true;  // the fake would deliver the next event inside this one if the client let it
  auto call = Call(&o);
  ASSERT_TRUE(call->Start().ok());
  std::shared_ptr<FakeStream> s = transport_.WaitForStream(0);
  for (const char* t : {"a", "b", "c"}) s->Send(TextEvent(t));
  s->End(absl::OkStatus());
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_THAT(o.lines(), ElementsAre("attempt c1:1", "event a", "event b", "event c", "end OK"));
}

TEST_F(WorkerClientTest, KeepAliveIsHeldUntilTheLastCallback) {
  RecordingObserver o;
  auto keep = std::make_shared<int>(7);
  auto call = Call(&o, keep);
  ASSERT_TRUE(call->Start().ok());
  EXPECT_EQ(keep.use_count(), 2);
  transport_.WaitForStream(0)->End(absl::InvalidArgumentError("bad"));
  ASSERT_TRUE(o.ended.WaitForNotificationWithTimeout(testing::kWait));
  EXPECT_EQ(keep.use_count(), 1);
}

// ---- PoolDelegate: ask_* waiting on the asynchronous call ----

class PoolDelegateTest : public WorkerClientTest {
 protected:
  absl::StatusOr<std::string> AskOnAThread(PoolDelegate& delegate, tools::ToolContext context,
                                           const std::function<void()>& drive) {
    absl::StatusOr<std::string> answer = absl::UnknownError("not asked");
    std::thread asker([&] { answer = delegate.Ask("coder", "Write hello world.", context); });
    drive();
    asker.join();
    return answer;
  }
  std::vector<v1::StepTrace> traces_;
  std::vector<v1::Usage> usages_;
  absl::Mutex mu_;
};

TEST_F(PoolDelegateTest, AsksTheRoleAndTracesEachAttempt) {
  auto calls = std::make_shared<ActiveCalls>();
  PoolDelegate delegate(client_, "trace-9", "salt-9", 64, calls,
                        PoolDelegate::Hooks{.admit_role = nullptr, .record = [&](v1::StepTrace t, const v1::Usage& u) {
                                              absl::MutexLock lock(&mu_);
                                              traces_.push_back(std::move(t));
                                              usages_.push_back(u);
                                            }});
  tools::ToolContext context;
  context.tool_call_id = "call_7";
  context.deadline = absl::FromUnixSeconds(2'000'000'000);
  const absl::StatusOr<std::string> answer = AskOnAThread(delegate, context, [&] {
    transport_.WaitForStream(0)->End(absl::UnavailableError("gone"));
    std::shared_ptr<FakeStream> s = transport_.WaitForStream(1);
    EXPECT_EQ(s->request().messages_size(), 1);
    EXPECT_EQ(s->request().messages(0).content(), "Write hello world.");
    EXPECT_EQ(s->request().sampling().max_tokens(), 64);
    EXPECT_EQ(s->request().request_id(), "trace-9");
    EXPECT_EQ(s->request().cache_salt(), "salt-9");
    EXPECT_THAT(s->request().prefix_keys(), ::testing::ElementsAreArray(PrefixKeys(s->request())));
    EXPECT_EQ(s->request().prefix_keys_size(), 1);
    EXPECT_EQ(s->settings().deadline, context.deadline);
    s->Answer({TextEvent("print("), TextEvent("'hello')"), FinishEvent(v1::STOP, 20, 5, 16)});
  });
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "print('hello')");
  absl::MutexLock lock(&mu_);
  ASSERT_EQ(traces_.size(), 2u);
  EXPECT_EQ(traces_[0].replica(), "c1:1");
  EXPECT_EQ(traces_[0].finish_reason(), v1::ERROR);
  EXPECT_EQ(traces_[0].error(), "coder worker c1:1: gone");
  EXPECT_EQ(traces_[0].delegated_by(), "call_7");
  EXPECT_EQ(traces_[1].role(), "coder");
  EXPECT_EQ(traces_[1].replica(), "c2:1");
  EXPECT_EQ(traces_[1].delegated_by(), "call_7");
  EXPECT_EQ(traces_[1].prompt_tokens(), 20);
  EXPECT_EQ(traces_[1].completion_tokens(), 5);
  EXPECT_EQ(traces_[1].finish_reason(), v1::STOP);
  EXPECT_TRUE(traces_[1].error().empty());
  ASSERT_EQ(usages_.size(), 2u);
  EXPECT_EQ(usages_[0].prompt_tokens(), 0);  // the attempt that failed used nothing
  EXPECT_EQ(usages_[1].prompt_tokens(), 20);
  EXPECT_EQ(usages_[1].completion_tokens(), 5);
  EXPECT_EQ(usages_[1].cached_prompt_tokens(), 16);
}

TEST_F(PoolDelegateTest, AFailedDelegationNamesTheWorker) {
  auto calls = std::make_shared<ActiveCalls>();
  PoolDelegate delegate(client_, "t", "", 64, calls, {});
  const absl::StatusOr<std::string> answer = AskOnAThread(delegate, tools::ToolContext(), [&] {
    transport_.WaitForStream(0)->End(absl::InvalidArgumentError("prompt too long"));
  });
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(answer.status().message(), "coder worker c1:1: prompt too long");
}

TEST_F(PoolDelegateTest, CancellingTheRunCancelsTheDelegationInFlight) {
  auto calls = std::make_shared<ActiveCalls>();
  PoolDelegate delegate(client_, "t", "", 64, calls, {});
  tools::ToolContext context;
  context.cancelled = calls->flag();
  std::shared_ptr<FakeStream> s;
  const absl::StatusOr<std::string> answer = AskOnAThread(delegate, context, [&] {
    s = transport_.WaitForStream(0);
    calls->CancelAll();
  });
  EXPECT_TRUE(s->cancelled());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(transport_.streams(), 1u);
  // A cancelled run starts no more.
  EXPECT_EQ(delegate.Ask("coder", "again", context).status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(transport_.streams(), 1u);
}

TEST_F(PoolDelegateTest, ThePolicyMayRefuseTheRole) {
  auto calls = std::make_shared<ActiveCalls>();
  PoolDelegate delegate(client_, "t", "", 64, calls,
                        PoolDelegate::Hooks{.admit_role = [](std::string_view role) {
                                              return absl::PermissionDeniedError(
                                                  absl::StrCat("tenant 'acme' may not use role '",
                                                               absl::string_view(role.data(), role.size()), "'"));
                                            },
                                            .record = nullptr});
  const absl::StatusOr<std::string> answer = delegate.Ask("coder", "x", tools::ToolContext());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(answer.status().message(), "tenant 'acme' may not use role 'coder'");
  EXPECT_EQ(transport_.streams(), 0u);
}

}  // namespace
}  // namespace switchyard
