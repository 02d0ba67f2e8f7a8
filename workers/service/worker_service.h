// WorkerService: the gRPC Worker service (switchyard.v1.Worker) over one Engine.
//
// Generate streams one request's answer: the request becomes a prompt (chat template) and
// engine sequence; each engine step's text goes through the output parser into reasoning /
// text / tool-call events; the stream ends with a Finish event. A client that cancels, or a
// deadline that expires, cancels the sequence, which leaves the batch and frees its KV cache
// at the next step. Until SetReady() the service answers UNAVAILABLE (the model is loading;
// health says NOT_SERVING meanwhile). Each call ends with a "request_done" JSON log line on
// stderr carrying the router's trace id (x-trace-id metadata, else the request id) and is
// counted in WorkerMetrics.
// Thread safety: gRPC calls come from its threads; outputs come from the engine thread.
#ifndef SWITCHYARD_WORKERS_SERVICE_WORKER_SERVICE_H_
#define SWITCHYARD_WORKERS_SERVICE_WORKER_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include "common/grpc_status.h"
#include "switchyard/v1/worker.grpc.pb.h"
#include "workers/engine/sched/engine.h"
#include "workers/service/request_adapter.h"
#include "workers/service/worker_metrics.h"

namespace switchyard {

struct WorkerIdentity {
  std::string role;          // reasoning | coder | translation
  std::string model_name;    // the model directory's name
  std::string architecture;  // Qwen3ForCausalLM ...
};

class WorkerService final : public v1::Worker::CallbackService {
 public:
  // `metrics` (may be null: a registry of the service's own, never scraped) must outlive the
  // service; the engine's gauges are added to its registry, read at each Render().
  explicit WorkerService(WorkerIdentity identity, WorkerMetrics* metrics = nullptr);

  // Starts serving requests. Both must outlive the service.
  void SetReady(Engine* engine, const RequestAdapter* adapter);

  grpc::ServerWriteReactor<v1::GenerateEvent>* Generate(grpc::CallbackServerContext* ctx,
                                                        const v1::GenerateRequest* request) override;
  grpc::ServerUnaryReactor* Info(grpc::CallbackServerContext* ctx, const v1::InfoRequest* request,
                                 v1::WorkerInfo* response) override;

 private:
  WorkerIdentity identity_;
  std::unique_ptr<metrics::Registry> own_registry_;
  std::unique_ptr<WorkerMetrics> own_metrics_;
  WorkerMetrics* metrics_;
  std::atomic<Engine*> engine_{nullptr};
  std::atomic<const RequestAdapter*> adapter_{nullptr};
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_SERVICE_WORKER_SERVICE_H_
