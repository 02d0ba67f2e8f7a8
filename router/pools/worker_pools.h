// WorkerPools: the router's view of its workers: one pool per role, each a list of replicas
// (a gRPC channel each), with health and load kept fresh by a background checker.
//
// A check round asks every replica at once through gRPC's asynchronous API (grpc.health.v1
// Check, then Worker.Info for the load), so one hung replica costs the round one timeout and no
// thread waits per replica; one timer thread starts a round every interval and waits for it.
//
// Pick() returns the least-loaded healthy replica of a role: load is the streams this router
// has open to it plus the queue the worker last reported, ties broken in turn. A replica is
// healthy after a grpc.health.v1 Check answers SERVING, and out as soon as a check fails or a
// call to it fails with UNAVAILABLE; the next good check puts it back. A pool given as one
// gRPC target (dns:///...) is one replica whose addresses gRPC itself balances (round_robin)
// and health-checks.
//
// Each replica also keeps what its worker says of its prefix cache: the figures of WorkerInfo
// (cached blocks, hit and miss tokens, for `switchyard workers` and /metrics) and the prefix
// keys it holds (HeldPrefixKeys, refreshed by every health round and every answer's Finish),
// which a cache-aware pick will read.
// Thread safety: all methods are safe from any thread.
#ifndef SWITCHYARD_ROUTER_POOLS_WORKER_POOLS_H_
#define SWITCHYARD_ROUTER_POOLS_WORKER_POOLS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "router/config/router_config.h"
#include "router/pools/held_prefix_keys.h"
#include "switchyard/v1/worker.grpc.pb.h"

namespace switchyard {

class Replica {
 public:
  Replica(std::string role, std::string endpoint, std::shared_ptr<grpc::Channel> channel);

  const std::string& role() const { return role_; }
  const std::string& endpoint() const { return endpoint_; }
  v1::Worker::Stub& stub() { return *stub_; }

  struct State {
    bool healthy = false;
    int32_t running = 0;
    int32_t queued = 0;
    int64_t kv_blocks_free = 0;
    std::string last_error;
    // The prefix cache, as the last good check found it (WorkerInfo).
    int64_t kv_blocks_total = 0;
    int64_t kv_blocks_cached = 0;
    bool prefix_cache = false;
    int64_t prefix_hit_tokens = 0;   // since the worker started
    int64_t prefix_miss_tokens = 0;
  };
  State state() const ABSL_LOCKS_EXCLUDED(mu_);
  // The prefix keys the worker last said it holds (its WorkerInfo, or an answer's Finish).
  HeldPrefixKeys& held_prefix_keys() { return held_; }
  const HeldPrefixKeys& held_prefix_keys() const { return held_; }
  int inflight() const { return inflight_.load(std::memory_order_relaxed); }
  // A stream to this replica starts / ends (the router's own, always fresh, load signal).
  void Acquire() { inflight_.fetch_add(1, std::memory_order_relaxed); }
  void Release() { inflight_.fetch_sub(1, std::memory_order_relaxed); }

  void MarkFailed(const std::string& why) ABSL_LOCKS_EXCLUDED(mu_);
  // Starts one health check and load refresh, with `timeout` per call; `done` runs (on a gRPC
  // thread) once the state is updated. The replica must outlive the check.
  void CheckAsync(std::chrono::milliseconds timeout, std::function<void()> done) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::string role_;
  std::string endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Worker::Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::atomic<int> inflight_{0};
  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  HeldPrefixKeys held_;

  struct Check;  // one check in flight
  void CheckInfo(std::unique_ptr<Check> check);
  void CheckDone(std::unique_ptr<Check> check, const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_);
};

class WorkerPools {
 public:
  static std::unique_ptr<WorkerPools> Create(const RouterConfig& config);
  ~WorkerPools();  // stops the checker

  // Runs a first round, then starts the background checker.
  void Start();
  // Unavailable naming the role when it has no pool or no healthy replica outside `exclude`.
  absl::StatusOr<Replica*> Pick(absl::string_view role, const std::vector<const Replica*>& exclude = {});
  bool HasPool(absl::string_view role) const;
  std::vector<Replica*> replicas() const { return all_; }
  // Runs one round of checks now and returns when every replica has answered or timed out
  // (tests; the router waiting for readiness).
  void CheckAll();

  WorkerPools(std::vector<std::unique_ptr<Replica>> replicas, std::chrono::milliseconds interval,
              std::chrono::milliseconds timeout);

 private:
  void Loop();
  std::vector<std::unique_ptr<Replica>> owned_;
  std::vector<Replica*> all_;
  std::chrono::milliseconds interval_, timeout_;
  std::atomic<uint64_t> turn_{0};
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_POOLS_WORKER_POOLS_H_
