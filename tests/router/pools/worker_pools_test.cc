// WorkerPools directly: Pick's choice (least loaded by the router's open streams plus the queue
// the worker reports, equal loads taking turns, the exclusion list, unhealthy replicas skipped),
// its errors, MarkFailed and recovery on the next good check, and check rounds that ask every
// replica at once. The replicas are in-process fake workers on loopback (the grpc.health.v1
// service and Worker.Info) and, for a dead one, an address where nothing listens.
#include "router/pools/worker_pools.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A worker that reports a queue length (and, when told, its prefix cache) and may hang its Info
// answers until released.
class FakeWorker final : public v1::Worker::Service {
 public:
  explicit FakeWorker(int queued) : queued_(queued) {}
  grpc::Status Info(grpc::ServerContext* ctx, const v1::InfoRequest*, v1::WorkerInfo* info) override {
    if (hang_) {
      // Until the test lets go or the router gives up: a hung worker.
      while (!release_.WaitForNotificationWithTimeout(absl::Milliseconds(10)) && !ctx->IsCancelled()) {
      }
    }
    {
      absl::MutexLock lock(&mu_);
      *info = cache_;
    }
    info->set_running(2);
    info->set_queued(queued_);
    info->set_kv_blocks_free(99);
    return grpc::Status::OK;
  }
  void Hang() { hang_ = true; }
  void Release() { release_.Notify(); }
  // What the next Info answers say of the prefix cache.
  void SetCache(v1::WorkerInfo cache) {
    absl::MutexLock lock(&mu_);
    cache_ = std::move(cache);
  }

 private:
  const int queued_;
  bool hang_ = false;  // set before the server starts
  absl::Notification release_;
  absl::Mutex mu_;
  v1::WorkerInfo cache_ ABSL_GUARDED_BY(mu_);
};

struct FakeServer {
  std::unique_ptr<FakeWorker> worker;
  std::unique_ptr<grpc::Server> server;
  std::string address;
};

class WorkerPoolsTest : public ::testing::Test {
 protected:
  void SetUp() override { grpc::EnableDefaultHealthCheckService(true); }
  void TearDown() override {
    for (FakeServer& s : servers_) s.worker->Release();
    for (FakeServer& s : servers_) s.server->Shutdown(std::chrono::system_clock::now() + 1s);
  }

  // A fake worker reporting `queued`; returns its address.
  FakeServer& Serve(int queued, bool hang = false) {
    FakeServer s;
    s.worker = std::make_unique<FakeWorker>(queued);
    if (hang) s.worker->Hang();
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(s.worker.get());
    s.server = b.BuildAndStart();
    EXPECT_NE(port, 0);
    s.address = absl::StrCat("127.0.0.1:", port);
    servers_.push_back(std::move(s));
    return servers_.back();
  }

  // Pools over (role, address) replicas, checked once; no background checker.
  std::unique_ptr<WorkerPools> Pools(const std::vector<std::pair<std::string, std::string>>& replicas,
                                     std::chrono::milliseconds timeout = 1000ms) {
    std::vector<std::unique_ptr<Replica>> owned;
    for (const auto& [role, address] : replicas) {
      owned.push_back(std::make_unique<Replica>(role, address,
                                                grpc::CreateChannel(address, grpc::InsecureChannelCredentials())));
    }
    auto pools = std::make_unique<WorkerPools>(std::move(owned), 100000ms, timeout);
    pools->CheckAll();
    return pools;
  }
  static std::string Endpoint(const absl::StatusOr<Replica*>& r) {
    return r.ok() ? (*r)->endpoint() : std::string(r.status().message());
  }

  std::vector<FakeServer> servers_;
};

TEST_F(WorkerPoolsTest, PicksTheLeastLoadedHealthyReplica) {
  const std::string a = Serve(3).address, b = Serve(1).address, c = Serve(2).address;
  auto pools = Pools({{"coder", a}, {"coder", b}, {"coder", c}});
  EXPECT_EQ(Endpoint(pools->Pick("coder")), b);  // queues 3, 1, 2
  Replica* rb = *pools->Pick("coder");
  rb->Acquire();
  rb->Acquire();  // b: 1 queued + 2 streams from this router = 3
  EXPECT_EQ(Endpoint(pools->Pick("coder")), c);
  rb->Release();
  rb->Release();
  EXPECT_EQ(Endpoint(pools->Pick("coder")), b);
  // The state the check brought back.
  const Replica::State s = rb->state();
  EXPECT_TRUE(s.healthy);
  EXPECT_EQ(s.running, 2);
  EXPECT_EQ(s.queued, 1);
  EXPECT_EQ(s.kv_blocks_free, 99);
  EXPECT_TRUE(s.last_error.empty());
}

TEST_F(WorkerPoolsTest, EqualLoadsTakeTurns) {
  const std::string a = Serve(0).address, b = Serve(0).address;
  auto pools = Pools({{"coder", a}, {"coder", b}, {"reasoning", Serve(0).address}});
  std::vector<std::string> picked;
  for (int i = 0; i < 4; ++i) picked.push_back(Endpoint(pools->Pick("coder")));
  EXPECT_THAT(picked, ::testing::ElementsAre(a, b, a, b));
}

TEST_F(WorkerPoolsTest, ExcludedReplicasAreSkipped) {
  const std::string a = Serve(0).address, b = Serve(5).address;
  auto pools = Pools({{"coder", a}, {"coder", b}});
  Replica* ra = *pools->Pick("coder");
  ASSERT_EQ(ra->endpoint(), a);
  EXPECT_EQ(Endpoint(pools->Pick("coder", {ra})), b);
  Replica* rb = *pools->Pick("coder", {ra});
  const absl::StatusOr<Replica*> none = pools->Pick("coder", {ra, rb});
  EXPECT_EQ(none.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(none.status().message(), "no healthy 'coder' worker (2 configured, 0 unhealthy)");
}

TEST_F(WorkerPoolsTest, ARoleWithoutAPoolIsNamed) {
  auto pools = Pools({{"coder", Serve(0).address}});
  EXPECT_TRUE(pools->HasPool("coder"));
  EXPECT_FALSE(pools->HasPool("translation"));
  const absl::StatusOr<Replica*> r = pools->Pick("translation");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "no worker pool for role 'translation' is configured");
}

TEST_F(WorkerPoolsTest, UnreachableReplicasAreSkippedAndTheErrorSaysWhy) {
  const std::string live = Serve(7).address;
  auto pools = Pools({{"coder", "127.0.0.1:1"}, {"coder", live}, {"translation", "127.0.0.1:1"}});
  EXPECT_EQ(Endpoint(pools->Pick("coder")), live);  // despite its queue of 7
  const Replica::State dead = pools->replicas()[0]->state();
  EXPECT_FALSE(dead.healthy);
  EXPECT_THAT(dead.last_error, HasSubstr("health: "));
  const absl::StatusOr<Replica*> r = pools->Pick("translation");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("no healthy 'translation' worker (1 configured, 1 unhealthy: health: "));
}

TEST_F(WorkerPoolsTest, NotServingIsUnhealthyUntilServingAgain) {
  FakeServer& s = Serve(0);
  s.server->GetHealthCheckService()->SetServingStatus(false);
  auto pools = Pools({{"coder", s.address}});
  EXPECT_EQ(Endpoint(pools->Pick("coder")),
            "no healthy 'coder' worker (1 configured, 1 unhealthy: health: NOT_SERVING (loading or stopping))");
  s.server->GetHealthCheckService()->SetServingStatus(true);
  pools->CheckAll();
  EXPECT_EQ(Endpoint(pools->Pick("coder")), s.address);
}

TEST_F(WorkerPoolsTest, MarkFailedTakesAReplicaOutUntilTheNextGoodCheck) {
  const std::string a = Serve(0).address;
  auto pools = Pools({{"coder", a}});
  Replica* r = *pools->Pick("coder");
  r->MarkFailed("call failed: Socket closed");
  EXPECT_EQ(Endpoint(pools->Pick("coder")),
            "no healthy 'coder' worker (1 configured, 1 unhealthy: call failed: Socket closed)");
  pools->CheckAll();
  EXPECT_EQ(Endpoint(pools->Pick("coder")), a);
  EXPECT_TRUE(r->state().last_error.empty());
}

TEST_F(WorkerPoolsTest, ARoundAsksEveryReplicaAtOnce) {
  // Three hung workers: a round costs one timeout, not three.
  std::vector<std::pair<std::string, std::string>> replicas;
  for (int i = 0; i < 3; ++i) replicas.emplace_back("coder", Serve(0, /*hang=*/true).address);
  const auto t0 = std::chrono::steady_clock::now();
  auto pools = Pools(replicas, 400ms);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 1000ms);
  for (Replica* r : pools->replicas()) {
    EXPECT_FALSE(r->state().healthy);
    EXPECT_THAT(r->state().last_error, HasSubstr("info: "));
  }
}

// The prefix cache as the worker reports it: its figures in the state, its held keys in the
// replica's HeldPrefixKeys, both refreshed by each good round and kept through a failed one.
TEST_F(WorkerPoolsTest, EachRoundKeepsTheWorkersPrefixCacheFiguresAndKeys) {
  FakeServer& s = Serve(0);
  const std::string k1(32, 'a'), k2(32, 'b'), k3(32, 'c');
  v1::WorkerInfo cache;
  cache.set_kv_blocks_total(512);
  cache.set_kv_blocks_cached(40);
  cache.set_prefix_cache(true);
  cache.set_prefix_hit_tokens(300);
  cache.set_prefix_miss_tokens(100);
  cache.add_held_prefix_keys(k2);
  cache.add_held_prefix_keys(k1);
  s.worker->SetCache(cache);
  auto pools = Pools({{"coder", s.address}});
  Replica* r = pools->replicas()[0];
  Replica::State st = r->state();
  EXPECT_TRUE(st.healthy);
  EXPECT_EQ(st.kv_blocks_total, 512);
  EXPECT_EQ(st.kv_blocks_cached, 40);
  EXPECT_TRUE(st.prefix_cache);
  EXPECT_EQ(st.prefix_hit_tokens, 300);
  EXPECT_EQ(st.prefix_miss_tokens, 100);
  HeldPrefixKeys::Keys conversation;
  for (const std::string& k : {k1, k2, k3}) conversation.Add(std::string(k));
  EXPECT_EQ(r->held_prefix_keys().LongestHeldPrefix(conversation), 2u);

  cache.clear_held_prefix_keys();
  cache.add_held_prefix_keys(k3);
  cache.set_kv_blocks_cached(41);
  s.worker->SetCache(cache);
  pools->CheckAll();
  EXPECT_EQ(r->state().kv_blocks_cached, 41);
  EXPECT_EQ(r->held_prefix_keys().LongestHeldPrefix(conversation), 3u);
  EXPECT_FALSE(r->held_prefix_keys().Holds(k1));  // evicted since

  s.server->GetHealthCheckService()->SetServingStatus(false);
  pools->CheckAll();
  EXPECT_FALSE(r->state().healthy);
  EXPECT_EQ(r->state().kv_blocks_cached, 41);  // the last word stands until the next good round
  EXPECT_EQ(r->held_prefix_keys().LongestHeldPrefix(conversation), 3u);
}

TEST_F(WorkerPoolsTest, AnEmptyRoundReturnsAtOnce) {
  WorkerPools pools({}, 100000ms, 1000ms);
  pools.CheckAll();
  EXPECT_FALSE(pools.HasPool("coder"));
}

}  // namespace
}  // namespace switchyard
