// WorkerTransport: how the worker client reaches one replica of a role — the seam between the
// client's rule for a call (worker_client.h) and the wire. The router's transport is gRPC over
// WorkerPools (grpc_worker_transport.h); tests script replicas in memory.
//
// A transport picks a replica for an attempt and opens one server-streamed Generate on it.
// Start() sends it with a read in flight; each event comes back through OnStreamEvent, and the
// next one is read only when asked (Read), so a slow consumer holds the worker back instead of
// queueing its answer in memory. OnStreamDone comes exactly once, last, after the reads have
// ended or the stream was cancelled; the transport keeps the observer alive until then.
// Thread safety: Pick and Open from any thread; a stream's Read and Cancel from any thread (the
// client keeps at most one read in flight); observer calls come on the transport's threads,
// one at a time per stream.
#ifndef SWITCHYARD_ROUTER_AGENT_WORKER_TRANSPORT_H_
#define SWITCHYARD_ROUTER_AGENT_WORKER_TRANSPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "switchyard/v1/worker.pb.h"

namespace switchyard {

// A replica's identity, for excluding it from a retry's pick; never dereferenced by the client.
using ReplicaKey = const void*;

struct PickedReplica {
  ReplicaKey key = nullptr;
  std::string endpoint;
};

// What every attempt of a call carries to the worker.
struct CallSettings {
  absl::Time deadline = absl::InfiniteFuture();
  std::string trace_id;  // the x-trace-id metadata the worker logs under
};

class GenerateStreamObserver {
 public:
  virtual ~GenerateStreamObserver() = default;
  virtual void OnStreamEvent(v1::GenerateEvent event) = 0;
  // The attempt's status (the worker's, or the transport's: UNAVAILABLE, DEADLINE_EXCEEDED,
  // CANCELLED). Last call; the stream is finished with.
  virtual void OnStreamDone(const absl::Status& status) = 0;
};

class GenerateStream {
 public:
  virtual ~GenerateStream() = default;
  // Sends the request, with the first read in flight. Called once.
  virtual void Start() = 0;
  // Asks for the next event. REQUIRES: no read in flight. A no-op once the reads have ended.
  virtual void Read() = 0;
  // Ends the stream early (before Start too): the worker drops the sequence, OnStreamDone
  // follows once started. Safe to repeat, and after OnStreamDone.
  virtual void Cancel() = 0;
};

class WorkerTransport {
 public:
  virtual ~WorkerTransport() = default;
  // The least-loaded healthy replica of `role` outside `exclude`. Unavailable, naming the role,
  // when there is none.
  virtual absl::StatusOr<PickedReplica> Pick(absl::string_view role, const std::vector<ReplicaKey>& exclude) = 0;
  // A stream of `request` to `replica`; nothing is sent before its Start().
  virtual std::shared_ptr<GenerateStream> Open(const PickedReplica& replica,
                                               std::shared_ptr<const v1::GenerateRequest> request,
                                               const CallSettings& settings,
                                               std::shared_ptr<GenerateStreamObserver> observer) = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_WORKER_TRANSPORT_H_
