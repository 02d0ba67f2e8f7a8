#include "workers/service/worker_metrics.h"

#include "absl/status/status.h"

namespace switchyard {

WorkerMetrics::WorkerMetrics(metrics::Registry& registry)
    : registry_(registry),
      requests_(registry.AddCounter("switchyard_worker_requests_total", "Generate calls ended, by gRPC status.",
                                    {"status"})),
      ttft_(registry
                .AddHistogram("switchyard_worker_time_to_first_token_seconds",
                              "Seconds from a Generate call's start to its sequence's first output.", {},
                              metrics::FirstTokenBuckets())
                .With({})),
      duration_(registry
                    .AddHistogram("switchyard_worker_request_duration_seconds",
                                  "Seconds from a Generate call's start to its end.", {}, metrics::LatencyBuckets())
                    .With({})),
      tokens_(registry.AddCounter("switchyard_worker_tokens_total",
                                  "Tokens of finished sequences: in (prompt) and out (completion).", {"direction"})),
      running_(registry.AddGauge("switchyard_worker_running_sequences", "Sequences in the running batch.").With({})),
      queued_(registry.AddGauge("switchyard_worker_queued_sequences", "Sequences waiting to be scheduled.").With({})),
      kv_free_(registry.AddGauge("switchyard_worker_kv_blocks_free", "KV cache blocks free.").With({})),
      kv_total_(registry.AddGauge("switchyard_worker_kv_blocks_total", "KV cache blocks in all.").With({})) {}

void WorkerMetrics::RequestEnded(grpc::StatusCode status, double seconds, std::optional<double> ttft_seconds,
                                 int64_t prompt_tokens, int64_t completion_tokens) {
  // gRPC's codes are absl's, number for number; absl names them as gRPC does (UNAVAILABLE, ...).
  requests_.With({absl::StatusCodeToString(static_cast<absl::StatusCode>(status))}).Inc();
  duration_.Observe(seconds);
  if (ttft_seconds) ttft_.Observe(*ttft_seconds);
  if (prompt_tokens > 0) tokens_.With({"in"}).Inc(static_cast<double>(prompt_tokens));
  if (completion_tokens > 0) tokens_.With({"out"}).Inc(static_cast<double>(completion_tokens));
}

void WorkerMetrics::SetEngineStats(const EngineStats& stats) {
  running_.Set(static_cast<double>(stats.running));
  queued_.Set(static_cast<double>(stats.waiting));
  kv_free_.Set(static_cast<double>(stats.kv_blocks_free));
  kv_total_.Set(static_cast<double>(stats.kv_blocks_total));
}

}  // namespace switchyard
