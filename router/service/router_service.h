// RouterService: switchyard.v1.Router. Chat classifies the conversation (unless the client
// pinned a route), picks the least-loaded healthy replica of that role, and relays the
// worker's stream, the route decision first; with router tools it runs the agent loop
// (router/agent/agent_run.h, relayed by chat_reactor.h). A worker that fails before its first
// event is retried once on another replica; one that fails after it ends the stream with
// UNAVAILABLE naming the worker. The client's deadline (or the configured default) and its
// cancellation travel to the worker. With a policy file, requests pass the PolicyGate first
// (key, limits, role, input guardrails, audit) and Classify needs a valid key too. Runs, tool
// calls and classifier decisions are counted in RouterMetrics.
//
// The service owns what its runs share: the worker client (one retry rule for model steps and
// delegations alike), the bounded tool pool (RouterConfig::agent.tool_threads) that router
// tools run on, for Chat runs and CallTool alike (no gRPC thread waits for a tool), and the
// cache salts every worker call carries (the tenant's; cache_salt.h).
// Thread safety: gRPC drives it from its threads; the classifier and pools are shared.
#ifndef SWITCHYARD_ROUTER_SERVICE_ROUTER_SERVICE_H_
#define SWITCHYARD_ROUTER_SERVICE_ROUTER_SERVICE_H_

#include <memory>
#include <string>

#include "policies/clock.h"
#include "router/agent/agent_run.h"
#include "router/agent/grpc_worker_transport.h"
#include "router/agent/tool_pool.h"
#include "router/agent/worker_client.h"
#include "router/classify/classifier.h"
#include "router/config/router_config.h"
#include "router/pools/worker_pools.h"
#include "router/service/cache_salt.h"
#include "router/service/policy_gate.h"
#include "router/service/router_metrics.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard {

// The routing decision for a request, before a replica is chosen.
struct RouteChoice {
  std::string role;
  std::string label;
  float confidence = 0;
  bool pinned = false;
  std::vector<std::pair<std::string, float>> features;
};

class RouterService final : public v1::Router::CallbackService {
 public:
  // All must outlive the service; without a gate the router is open (no keys, no limits);
  // without metrics it counts into a registry of its own that nobody scrapes. Destroy the
  // service after the server that calls it has shut down (its tool pool joins).
  RouterService(const RouterConfig& config, const classify::Classifier& classifier, WorkerPools& pools,
                PolicyGate* gate = nullptr, RouterMetrics* metrics = nullptr)
      : config_(config),
        classifier_(classifier),
        pools_(pools),
        gate_(gate ? gate : &open_gate_),
        own_registry_(metrics ? nullptr : std::make_unique<metrics::Registry>()),
        own_metrics_(metrics ? nullptr : std::make_unique<RouterMetrics>(*own_registry_)),
        metrics_(metrics ? metrics : own_metrics_.get()),
        cache_salts_(config.prefix_cache.salt_secret),
        transport_(pools),
        worker_client_(transport_),
        tool_pool_(static_cast<int>(config.agent.tool_threads)) {}

  grpc::ServerWriteReactor<v1::ChatEvent>* Chat(grpc::CallbackServerContext* ctx, const v1::ChatRequest* request) override;
  grpc::ServerUnaryReactor* Classify(grpc::CallbackServerContext* ctx, const v1::ClassifyRequest* request,
                                     v1::ClassifyResponse* response) override;
  grpc::ServerUnaryReactor* ListWorkers(grpc::CallbackServerContext* ctx, const v1::ListWorkersRequest* request,
                                        v1::ListWorkersResponse* response) override;
  // Runs one router tool under the policy and audit (workflow steps of kind `tool`). Arguments
  // the tool refuses are an OK call whose ToolResult says why (ok = false), as the model would
  // read it; unknown tools are INVALID_ARGUMENT, forbidden ones PERMISSION_DENIED.
  grpc::ServerUnaryReactor* CallTool(grpc::CallbackServerContext* ctx, const v1::CallToolRequest* request,
                                     v1::ToolResult* response) override;

  // InvalidArgument for an unknown route or a request with no message to classify.
  absl::StatusOr<RouteChoice> Route(const v1::ChatRequest& request) const;
  const RouterConfig& config() const { return config_; }
  WorkerPools& pools() { return pools_; }
  PolicyGate& gate() { return *gate_; }
  RouterMetrics& metrics() { return *metrics_; }
  const CacheSalts& cache_salts() const { return cache_salts_; }
  // What an agent run acts through: this service's worker client, tool pool and metrics.
  RunDeps run_deps() { return RunDeps{&worker_client_, &tool_pool_, metrics_, SystemClock()}; }

 private:
  absl::Status RunOneTool(const grpc::CallbackServerContext& ctx, const v1::CallToolRequest& request,
                          const std::string& trace_id, const Admission& who, v1::ToolResult* response);

  const RouterConfig& config_;
  const classify::Classifier& classifier_;
  WorkerPools& pools_;
  PolicyGate open_gate_;
  PolicyGate* gate_;
  std::unique_ptr<metrics::Registry> own_registry_;
  std::unique_ptr<RouterMetrics> own_metrics_;
  RouterMetrics* metrics_;
  const CacheSalts cache_salts_;
  GrpcWorkerTransport transport_;
  WorkerClient worker_client_;
  ToolPool tool_pool_;  // last: joined first, while what its tasks use is still there
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_ROUTER_SERVICE_H_
