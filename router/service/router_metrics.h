// RouterMetrics: the router's Prometheus series, on a metrics::Registry that GET /metrics
// renders (the gateway's, or --metrics-listen's):
//
//   switchyard_router_requests_total{route,role,status}           Chat runs ended; status: gRPC code name
//   switchyard_router_time_to_first_token_seconds{role}           run start to the first worker event
//   switchyard_router_request_duration_seconds{role}              run start to its end
//   switchyard_router_tokens_total{role,direction="in"|"out"}     per model call, by the role that ran it
//   switchyard_router_classifier_decisions_total{label,pinned}    the classifier's label per request
//   switchyard_router_agent_steps_total{role}                     model calls of runs (delegations too)
//   switchyard_router_run_limits_total{limit}                     runs ended by max_steps, max_tokens, ...
//   switchyard_router_tool_calls_total{tool,status="ok"|"error"}  router tools run (agent loop and CallTool);
//                                                                 a name the router lacks is tool="unknown"
//   switchyard_sandbox_runs_total{language,outcome}               run_code: ok, nonzero, timeout, killed, error
//   switchyard_worker_up{role,endpoint}                           1 when the replica's last check passed
//   switchyard_worker_running{role,endpoint}                      sequences running, as the worker last said
//   switchyard_worker_queued{role,endpoint}                       sequences queued, as the worker last said
//   switchyard_worker_kv_blocks_cached{role,endpoint}             KV blocks holding a cached prefix
//   switchyard_worker_prefix_hit_ratio{role,endpoint}             prompt tokens found in the prefix cache over
//                                                                 all prompt tokens, since the worker started
//                                                                 (0 before any, or with the cache off)
//
// The worker gauges are read from the pools at scrape time (WatchPools). Sandbox outcomes are
// read from run_code's result (its structured JSON), so tools/ and sandbox/ stay free of
// metrics.
// Thread safety: every method may be called from any thread.
#ifndef SWITCHYARD_ROUTER_SERVICE_ROUTER_METRICS_H_
#define SWITCHYARD_ROUTER_SERVICE_ROUTER_METRICS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/grpc_status.h"
#include "common/metrics/registry.h"
#include "grpcpp/grpcpp.h"
#include "router/agent/run_metrics.h"
#include "router/pools/worker_pools.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

class RouterMetrics final : public RunMetrics {
 public:
  // `registry` must outlive this.
  explicit RouterMetrics(metrics::Registry& registry);

  metrics::Registry& registry() { return registry_; }

  // A Chat run ended. `route` is what the client asked (counted as auto, a role, or
  // "invalid"); `role` the role that served it ("none" when the run ended before routing).
  void RunEnded(absl::string_view route, absl::string_view role, grpc::StatusCode status, double seconds);
  void FirstToken(absl::string_view role, double seconds) override;
  void Classified(absl::string_view label, bool pinned);
  // One model call recorded in a run's trace (its role and usage).
  void ModelCall(const v1::StepTrace& step) override;
  void RunLimit(absl::string_view limit) override;
  // A router tool's result; `arguments_json` is the call's (for run_code's language).
  void ToolResult(const v1::ToolResult& result, absl::string_view arguments_json) override;

  // The pools' health and load as gauges, refreshed at each scrape. `pools` must outlive every
  // later Render() of the registry.
  void WatchPools(WorkerPools& pools);

 private:
  metrics::Registry& registry_;
  metrics::CounterFamily& requests_;
  metrics::HistogramFamily& ttft_;
  metrics::HistogramFamily& duration_;
  metrics::CounterFamily& tokens_;
  metrics::CounterFamily& decisions_;
  metrics::CounterFamily& steps_;
  metrics::CounterFamily& limits_;
  metrics::CounterFamily& tools_;
  metrics::CounterFamily& sandbox_runs_;
  metrics::GaugeFamily& worker_up_;
  metrics::GaugeFamily& worker_running_;
  metrics::GaugeFamily& worker_queued_;
  metrics::GaugeFamily& worker_kv_cached_;
  metrics::GaugeFamily& worker_hit_ratio_;
};

// hit / (hit + miss), 0 when both are 0: the share of prompt tokens a replica's prefix cache
// supplied since the worker started.
double PrefixHitRatio(int64_t hit_tokens, int64_t miss_tokens);

// The outcome label of a run_code result: ok, nonzero, timeout, killed, or error (the sandbox
// could not run it).
std::string SandboxOutcome(const v1::ToolResult& result);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_ROUTER_METRICS_H_
