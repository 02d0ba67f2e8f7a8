// WorkerMetrics: the worker's Prometheus series (switchyard-worker --metrics-listen):
//
//   switchyard_worker_requests_total{status}              Generate calls ended; status: gRPC code name
//   switchyard_worker_time_to_first_token_seconds         call start to the first output of its sequence
//   switchyard_worker_request_duration_seconds            call start to its end
//   switchyard_worker_tokens_total{direction="in"|"out"}  prompt and completion tokens of finished sequences
//   switchyard_worker_running_sequences                   gauges, read from the engine at scrape time
//   switchyard_worker_queued_sequences
//   switchyard_worker_kv_blocks_free
//   switchyard_worker_kv_blocks_total
//
// Thread safety: every method may be called from any thread.
#ifndef SWITCHYARD_WORKERS_SERVICE_WORKER_METRICS_H_
#define SWITCHYARD_WORKERS_SERVICE_WORKER_METRICS_H_

#include <cstdint>
#include <optional>

#include "common/metrics/registry.h"
#include "grpcpp/grpcpp.h"
#include "workers/engine/sched/engine.h"

namespace switchyard {

class WorkerMetrics {
 public:
  // `registry` must outlive this.
  explicit WorkerMetrics(metrics::Registry& registry);

  metrics::Registry& registry() { return registry_; }

  // One Generate call ended. `ttft_seconds`: unset when no output came.
  void RequestEnded(grpc::StatusCode status, double seconds, std::optional<double> ttft_seconds, int64_t prompt_tokens,
                    int64_t completion_tokens);
  // The engine's queue and cache, as the gauges show them.
  void SetEngineStats(const EngineStats& stats);

 private:
  metrics::Registry& registry_;
  metrics::CounterFamily& requests_;
  metrics::Histogram& ttft_;
  metrics::Histogram& duration_;
  metrics::CounterFamily& tokens_;
  metrics::Gauge& running_;
  metrics::Gauge& queued_;
  metrics::Gauge& kv_free_;
  metrics::Gauge& kv_total_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_SERVICE_WORKER_METRICS_H_
