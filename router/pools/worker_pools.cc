#include "router/pools/worker_pools.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"

namespace switchyard {

Replica::Replica(std::string role, std::string endpoint, std::shared_ptr<grpc::Channel> channel)
    : role_(std::move(role)),
      endpoint_(std::move(endpoint)),
      channel_(std::move(channel)),
      stub_(v1::Worker::NewStub(channel_)),
      health_(grpc::health::v1::Health::NewStub(channel_)) {}

Replica::State Replica::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void Replica::MarkFailed(const std::string& why) {
  absl::MutexLock lock(&mu_);
  state_.healthy = false;
  state_.last_error = why;
}

// Everything one check needs until its last callback: contexts, messages, the caller's `done`.
struct Replica::Check {
  std::chrono::milliseconds timeout;
  std::function<void()> done;
  grpc::ClientContext health_ctx;
  grpc::health::v1::HealthCheckRequest health_request;
  grpc::health::v1::HealthCheckResponse health_response;
  grpc::ClientContext info_ctx;
  v1::InfoRequest info_request;
  v1::WorkerInfo info;
};

void Replica::CheckAsync(std::chrono::milliseconds timeout, std::function<void()> done) {
  auto check = std::make_unique<Check>();
  check->timeout = timeout;
  check->done = std::move(done);
  check->health_ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  Check* c = check.get();
  // The callback owns the check from here on (a std::function must be copyable: shared_ptr).
  auto owned = std::make_shared<std::unique_ptr<Check>>(std::move(check));
  health_->async()->Check(&c->health_ctx, &c->health_request, &c->health_response, [this, owned](grpc::Status hs) {
    std::unique_ptr<Check> check = std::move(*owned);
    if (!hs.ok() || check->health_response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      MarkFailed(hs.ok() ? "health: NOT_SERVING (loading or stopping)" : absl::StrCat("health: ", hs.error_message()));
      check->done();
      return;
    }
    CheckInfo(std::move(check));
  });
}

void Replica::CheckInfo(std::unique_ptr<Check> check) {
  check->info_ctx.set_deadline(std::chrono::system_clock::now() + check->timeout);
  Check* c = check.get();
  auto owned = std::make_shared<std::unique_ptr<Check>>(std::move(check));
  stub_->async()->Info(&c->info_ctx, &c->info_request, &c->info, [this, owned](grpc::Status is) {
    CheckDone(std::move(*owned), is);
  });
}

void Replica::CheckDone(std::unique_ptr<Check> check, const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      state_.healthy = false;
      state_.last_error = absl::StrCat("info: ", status.error_message());
    } else {
      const v1::WorkerInfo& info = check->info;
      state_.healthy = true;
      state_.running = info.running();
      state_.queued = info.queued();
      state_.kv_blocks_free = info.kv_blocks_free();
      state_.last_error.clear();
      state_.kv_blocks_total = info.kv_blocks_total();
      state_.kv_blocks_cached = info.kv_blocks_cached();
      state_.prefix_cache = info.prefix_cache();
      state_.prefix_hit_tokens = info.prefix_hit_tokens();
      state_.prefix_miss_tokens = info.prefix_miss_tokens();
    }
  }
  if (status.ok()) held_.Replace(check->info.held_prefix_keys());
  check->done();
}

std::unique_ptr<WorkerPools> WorkerPools::Create(const RouterConfig& config) {
  std::vector<std::unique_ptr<Replica>> replicas;
  for (const auto& [role, pool] : config.pools) {
    if (!pool.target.empty()) {
      grpc::ChannelArguments args;
      // gRPC balances the names the target resolves to and checks their health itself.
      args.SetServiceConfigJSON(R"({"loadBalancingConfig": [{"round_robin": {}}], "healthCheckConfig": {"serviceName": ""}})");
      replicas.push_back(std::make_unique<Replica>(
          role, pool.target, grpc::CreateCustomChannel(pool.target, grpc::InsecureChannelCredentials(), args)));
    }
    for (const std::string& ep : pool.endpoints) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
      replicas.push_back(std::make_unique<Replica>(role, ep, grpc::CreateCustomChannel(ep, grpc::InsecureChannelCredentials(), args)));
    }
  }
  return std::make_unique<WorkerPools>(std::move(replicas), std::chrono::milliseconds(config.health_interval_ms),
                                       std::chrono::milliseconds(config.health_timeout_ms));
}

WorkerPools::WorkerPools(std::vector<std::unique_ptr<Replica>> replicas, std::chrono::milliseconds interval,
                         std::chrono::milliseconds timeout)
    : owned_(std::move(replicas)), interval_(interval), timeout_(timeout) {
  for (auto& r : owned_) all_.push_back(r.get());
}

WorkerPools::~WorkerPools() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void WorkerPools::Start() {
  CheckAll();
  thread_ = std::thread([this] { Loop(); });
}

void WorkerPools::CheckAll() {
  // Every replica at once, so one hung replica costs one timeout, not one per replica.
  absl::BlockingCounter answered(static_cast<int>(all_.size()));
  for (Replica* r : all_) r->CheckAsync(timeout_, [&answered] { answered.DecrementCount(); });
  answered.Wait();
}

void WorkerPools::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::FromChrono(interval_))) return;
    }
    CheckAll();
  }
}

bool WorkerPools::HasPool(absl::string_view role) const {
  return std::any_of(all_.begin(), all_.end(), [&](const Replica* r) { return r->role() == role; });
}

absl::StatusOr<Replica*> WorkerPools::Pick(absl::string_view role, const std::vector<const Replica*>& exclude) {
  Replica* best = nullptr;
  int64_t best_load = 0;
  std::vector<Replica*> tied;
  int members = 0, unhealthy = 0;
  std::string why;
  for (Replica* r : all_) {
    if (r->role() != role) continue;
    ++members;
    if (std::find(exclude.begin(), exclude.end(), r) != exclude.end()) continue;
    const Replica::State s = r->state();
    if (!s.healthy) {
      ++unhealthy;
      why = s.last_error;
      continue;
    }
    const int64_t load = r->inflight() + s.queued;
    if (best == nullptr || load < best_load) {
      best = r;
      best_load = load;
      tied.assign(1, r);
    } else if (load == best_load) {
      tied.push_back(r);
    }
  }
  if (members == 0) return absl::UnavailableError(absl::StrCat("no worker pool for role '", role, "' is configured"));
  if (best == nullptr) {
    return absl::UnavailableError(absl::StrCat("no healthy '", role, "' worker (", members, " configured, ", unhealthy,
                                               " unhealthy", why.empty() ? "" : absl::StrCat(": ", why), ")"));
  }
  // Equal loads: take turns, so idle replicas share the work.
  return tied[turn_.fetch_add(1, std::memory_order_relaxed) % tied.size()];
}

}  // namespace switchyard
