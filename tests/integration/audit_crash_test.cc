// The audit log survives a crash of the router: clients hammer a router that has a policy file
// (authorized requests and ones with a wrong key), the router is SIGKILLed while requests are
// in flight, restarted on the same config, and served a few more requests. Then the log's one
// hash chain verifies (VerifyAuditLog and `switchyard audit verify`) and nothing a client was
// answered is missing from it: every trace id a client saw has its route record (the record is
// fsync'd before the first event leaves the router), and there are at least as many denial
// records as clients were told UNAUTHENTICATED (a denied client never learns its trace id).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policies/api_key_hash.h"
#include "policies/audit_log.h"
#include "switchyard/v1/router.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kGoodKey[] = "sk-acme-1";
constexpr char kWrongKey[] = "sk-acme-2";

// What the clients were answered: the acknowledged part of the traffic.
struct Acknowledged {
  absl::Mutex mu;
  std::set<std::string> trace_ids ABSL_GUARDED_BY(mu);  // seen in a first event: the route is on record
  int ok ABSL_GUARDED_BY(mu) = 0;                       // streams that finished OK
  int denied ABSL_GUARDED_BY(mu) = 0;                   // UNAUTHENTICATED answers: a denial is on record
  int other ABSL_GUARDED_BY(mu) = 0;                    // anything else (the crash)
  // Enough traffic on the log to make a crash in the middle of it telling.
  bool Busy() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return ok >= 40 && denied >= 10; }
};

v1::ChatRequest Chat(int i) {
  v1::ChatRequest r;
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content(absl::StrCat("Write a function that adds ", i, " to its argument."));
  r.set_route("coder");
  r.mutable_sampling()->set_seed(static_cast<uint64_t>(i));
  r.mutable_sampling()->set_max_tokens(4);
  return r;
}

// One request; what it was answered goes into `ack`.
void Send(v1::Router::Stub& stub, int i, bool good_key, Acknowledged& ack) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", good_key ? kGoodKey : kWrongKey));
  auto reader = stub.Chat(&ctx, Chat(i));
  v1::ChatEvent e;
  while (reader->Read(&e)) {
    if (!e.trace_id().empty()) {
      absl::MutexLock l(&ack.mu);
      ack.trace_ids.insert(e.trace_id());
    }
  }
  const grpc::Status s = reader->Finish();
  absl::MutexLock l(&ack.mu);
  if (s.ok() && good_key) {
    ++ack.ok;
  } else if (s.error_code() == grpc::StatusCode::UNAUTHENTICATED && !good_key) {
    ++ack.denied;
  } else {
    ++ack.other;
  }
}

// `switchyard audit verify FILE`: exit code and stdout.
std::pair<int, std::string> VerifyWithCli(const std::string& file, const testing::ScratchDir& dir) {
  const int rc = std::system(absl::StrCat(testing::BinDir(), "/switchyard audit verify ", file, " > ",
                                          dir.File("verify.out"), " 2>&1")
                                 .c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, testing::Slurp(dir.File("verify.out"))};
}

TEST(AuditCrash, NothingAcknowledgedIsLostWhenTheRouterIsKilled) {
  auto tok = testing::QwenTokenizerDir();
  if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  testing::ScratchDir dir;
  auto model = testing::WriteTinyQwenModel(dir.File("model"), *tok, /*seed=*/43, /*max_position_embeddings=*/1024);
  ASSERT_TRUE(model.ok()) << model.status();
  auto worker = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model", *model,
                                              "--listen", "127.0.0.1:0", "--threads", "1", "--max-batch", "16",
                                              "--kv-cache-tokens", "8192"},
                                             dir.File("worker.log"));
  ASSERT_TRUE(worker.ok()) << worker.status();
  auto worker_address = (*worker)->WaitForLine("listening ", 30s);
  ASSERT_TRUE(worker_address.ok()) << worker_address.status();
  ASSERT_TRUE((*worker)->WaitForLine("ready ", 60s).ok());

  const std::string audit = dir.File("audit.jsonl");
  {
    std::ofstream f(dir.File("policy.yaml"));
    f << "version: 1\ntenants:\n  - name: acme\n    api_keys: [{sha256: " << HashApiKey(kGoodKey)
      << "}]\n    allow: {roles: [coder]}\naudit: {path: " << audit << "}\n";
    std::ofstream cfg(dir.File("router.yaml"));
    cfg << "listen: 127.0.0.1:0\npools:\n  coder: {endpoints: [" << *worker_address << "]}\n"
        << "classifier: {fallback_route: coder}\npolicy: policy.yaml\n";
  }
  auto start_router = [&](const std::string& log) {
    auto r = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-router", "--config", dir.File("router.yaml")},
                                          dir.File(log));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : nullptr;
  };

  // Phase 1: eight clients, one request in four with a wrong key, until the router dies.
  Acknowledged ack;
  std::unique_ptr<testing::ChildProcess> router = start_router("router-1.log");
  ASSERT_NE(router, nullptr);
  auto address = router->WaitForLine("ready ", 30s);
  ASSERT_TRUE(address.ok()) << address.status();
  auto stub = v1::Router::NewStub(grpc::CreateChannel(*address, grpc::InsecureChannelCredentials()));
  constexpr int kClients = 8;
  std::atomic<bool> stop{false};
  std::atomic<int> in_flight{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = c, n = 0; !stop.load(); i += kClients, ++n) {
        ++in_flight;
        Send(*stub, i, (n + c) % 4 != 0, ack);
        --in_flight;
      }
    });
  }
  // Kill once the log has real traffic behind it; the clients are still sending.
  {
    absl::MutexLock l(&ack.mu);
    const bool enough = ack.mu.AwaitWithTimeout(absl::Condition(&ack, &Acknowledged::Busy), absl::Seconds(60));
    EXPECT_TRUE(enough) << "ok " << ack.ok << ", denied " << ack.denied << ", other " << ack.other;
  }
  // The clients start nothing new, but what they have in flight meets the kill.
  stop = true;
  const int in_flight_at_kill = in_flight.load();
  router->Signal(SIGKILL);
  const std::optional<int> killed = router->Wait(10s);
  for (auto& t : clients) t.join();
  ASSERT_EQ(killed, 128 + SIGKILL);
  EXPECT_GT(in_flight_at_kill, 0);

  // SIGKILL seldom tears the line being written (one small write() is rarely cut), so tear one
  // here as a crash in the middle of an Append would, to exercise the restart's repair each run.
  std::string torn;
  {
    const std::string contents = testing::Slurp(audit);
    ASSERT_FALSE(contents.empty());
    if (contents.back() == '\n') {
      const auto lines = std::count(contents.begin(), contents.end(), '\n');
      torn = absl::StrCat(R"({"seq":)", lines + 1, R"(,"time":"2025-01-01T00:00:00.0000)");
      std::ofstream f(audit, std::ios::app | std::ios::binary);
      f << torn;
    } else {
      std::printf("the SIGKILL tore the last line itself\n");
    }
  }
  auto before = VerifyAuditLog(audit);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->reason, "truncated last line (no newline at the end)");
  const int64_t lines_before_restart = before->good_lines;
  EXPECT_EQ(VerifyWithCli(audit, dir).first, 1);

  // Phase 2: the same config and log; the chain goes on from the last whole line.
  router = start_router("router-2.log");
  ASSERT_NE(router, nullptr);
  address = router->WaitForLine("ready ", 30s);
  ASSERT_TRUE(address.ok()) << address.status() << "\n" << testing::Slurp(dir.File("router-2.log"));
  if (!torn.empty()) {
    EXPECT_THAT(testing::Slurp(dir.File("router-2.log")), HasSubstr("audit_log_torn_tail_removed"));
    EXPECT_EQ(testing::Slurp(audit + ".torn"), torn + "\n");
  }
  stub = v1::Router::NewStub(grpc::CreateChannel(*address, grpc::InsecureChannelCredentials()));
  const int other_before = [&] {
    absl::MutexLock l(&ack.mu);
    return ack.other;
  }();
  for (int i = 0; i < 6; ++i) Send(*stub, 100000 + i, i % 3 != 0, ack);
  {
    absl::MutexLock l(&ack.mu);
    EXPECT_EQ(ack.other, other_before) << "a request after the restart was not answered as expected";
  }
  router->Signal(SIGTERM);
  EXPECT_EQ(router->Wait(15s), 0);

  // (a) One chain, accepted by the verifier and the CLI.
  auto after = VerifyAuditLog(audit);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->ok()) << "line " << after->bad_line << ": " << after->reason;
  if (!torn.empty()) {
    EXPECT_EQ(after->good_lines, lines_before_restart + 6);  // 4 routes and 2 denials
  } else {
    EXPECT_GE(after->good_lines, lines_before_restart + 6);  // + the torn record, if it was whole but its "\n"
  }
  const auto [code, out] = VerifyWithCli(audit, dir);
  EXPECT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat(after->good_lines, " records, chain intact, last hash ", after->last_hash)));

  // (b) Everything acknowledged is on record.
  std::set<std::string> routed;
  int denials = 0;
  {
    std::ifstream log(audit);
    for (std::string line; std::getline(log, line);) {
      const nlohmann::json j = nlohmann::json::parse(line);
      if (j.value("event", "") == "route") {
        EXPECT_EQ(j.value("tenant", ""), "acme");
        routed.insert(j.value("trace_id", ""));
      }
      if (j.value("event", "") == "denial" && j.value("code", "") == "UNAUTHENTICATED") ++denials;
    }
  }
  absl::MutexLock l(&ack.mu);
  int missing = 0;
  for (const std::string& id : ack.trace_ids) {
    if (routed.count(id) == 0) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << ack.trace_ids.size() << " trace ids the clients saw";
  EXPECT_GE(static_cast<int>(ack.trace_ids.size()), ack.ok);
  EXPECT_GE(denials, ack.denied);
  std::printf("acknowledged: %d ok, %d denied, %zu trace ids; %d other at the crash; %d in flight at the kill; "
              "%lld records\n",
              ack.ok, ack.denied, ack.trace_ids.size(), ack.other, in_flight_at_kill,
              static_cast<long long>(after->good_lines));
}

}  // namespace
}  // namespace switchyard
