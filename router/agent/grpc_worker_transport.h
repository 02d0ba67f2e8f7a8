// GrpcWorkerTransport: WorkerTransport over the router's WorkerPools and gRPC's callback API.
// Pick is WorkerPools::Pick (least loaded healthy replica). Each stream counts as load on its
// replica while open (Acquire/Release), carries the call's deadline and the x-trace-id
// metadata, and marks its replica failed when the call ends UNAVAILABLE (the worker died or
// cannot be reached: the next pick skips it until a health check passes). The prefix keys an
// answer's Finish lists go to its replica's HeldPrefixKeys, not to the consumer.
//
// A stream owns itself while gRPC may call it (until OnDone). A hold keeps the call open while
// the consumer decides when to read, so Read() is safe until the reads have ended; the hold
// goes when a read fails (the stream ended) or on Cancel().
// Thread safety: safe from any thread; `pools` must outlive the transport and its streams.
#ifndef SWITCHYARD_ROUTER_AGENT_GRPC_WORKER_TRANSPORT_H_
#define SWITCHYARD_ROUTER_AGENT_GRPC_WORKER_TRANSPORT_H_

#include <memory>
#include <vector>

#include "router/agent/worker_transport.h"
#include "router/pools/worker_pools.h"

namespace switchyard {

class GrpcWorkerTransport final : public WorkerTransport {
 public:
  explicit GrpcWorkerTransport(WorkerPools& pools) : pools_(pools) {}

  absl::StatusOr<PickedReplica> Pick(absl::string_view role, const std::vector<ReplicaKey>& exclude) override;
  std::shared_ptr<GenerateStream> Open(const PickedReplica& replica, std::shared_ptr<const v1::GenerateRequest> request,
                                       const CallSettings& settings,
                                       std::shared_ptr<GenerateStreamObserver> observer) override;

 private:
  WorkerPools& pools_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_GRPC_WORKER_TRANSPORT_H_
