#include "router/pools/worker_pools.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

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

void Replica::Check(std::chrono::milliseconds timeout) {
  grpc::ClientContext hctx;
  hctx.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::health::v1::HealthCheckRequest hreq;
  grpc::health::v1::HealthCheckResponse hresp;
  const grpc::Status hs = health_->Check(&hctx, hreq, &hresp);
  if (!hs.ok() || hresp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    MarkFailed(hs.ok() ? "health: NOT_SERVING (loading or stopping)" : absl::StrCat("health: ", hs.error_message()));
    return;
  }
  grpc::ClientContext ictx;
  ictx.set_deadline(std::chrono::system_clock::now() + timeout);
  v1::WorkerInfo info;
  const grpc::Status is = stub_->Info(&ictx, v1::InfoRequest(), &info);
  absl::MutexLock lock(&mu_);
  if (!is.ok()) {
    state_.healthy = false;
    state_.last_error = absl::StrCat("info: ", is.error_message());
    return;
  }
  state_.healthy = true;
  state_.running = info.running();
  state_.queued = info.queued();
  state_.kv_blocks_free = info.kv_blocks_free();
  state_.last_error.clear();
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
  // In parallel, so one hung replica costs one timeout, not one per replica.
  std::vector<std::thread> checks;
  for (Replica* r : all_) checks.emplace_back([r, t = timeout_] { r->Check(t); });
  for (std::thread& t : checks) t.join();
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
