// WorkerClient: the router's one way of calling a worker — a streamed Generate on a role's pool,
// asynchronous and cancellable, with one retry rule. Model steps of the agent loop and
// delegations (ask_*) both use it; only the caller differs in what it does with the events.
//
// The retry rule: an attempt that fails before its first event, with a code that says the
// worker did not take the request (UNAVAILABLE: it died or cannot be reached;
// RESOURCE_EXHAUSTED: its queue is full; UNKNOWN, INTERNAL), is retried once, on another
// replica of the role. Never after an event (the answer has started and cannot be replayed),
// never after Cancel(), never a second time, never when the role has no other healthy replica
// (the first failure then stands).
//
//   auto call = client.NewCall("coder", request, {deadline, trace_id}, &observer);
//   if (absl::Status s = call->Start(); !s.ok()) ...;  // no replica: nothing was sent
//   // observer: OnAttempt(endpoint), OnEvent(e)... (call->Read() for each next one),
//   //           OnAttemptEnd(status, retrying) — the last with retrying == false.
//
// Thread safety: NewCall from any thread; a WorkerCall's methods from any thread. Observer
// calls come one at a time (never two at once for one call), on the transport's threads, except
// the first OnAttempt, which Start() makes on its caller's thread.
#ifndef SWITCHYARD_ROUTER_AGENT_WORKER_CLIENT_H_
#define SWITCHYARD_ROUTER_AGENT_WORKER_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "router/agent/worker_transport.h"
#include "switchyard/v1/worker.pb.h"

namespace switchyard {

class WorkerCallObserver {
 public:
  virtual ~WorkerCallObserver() = default;
  // An attempt starts on `endpoint`: the first inside Start(), a retry after OnAttemptEnd(_, true).
  virtual void OnAttempt(const std::string& endpoint) = 0;
  // One event of the attempt. The next is read once WorkerCall::Read() is called (here or later).
  virtual void OnEvent(v1::GenerateEvent event) = 0;
  // The attempt ended with `status`. retrying: another attempt follows; otherwise this is the
  // call's end and the observer's last call.
  virtual void OnAttemptEnd(const absl::Status& status, bool retrying) = 0;
};

class WorkerCall final : public GenerateStreamObserver, public std::enable_shared_from_this<WorkerCall> {
 public:
  // Tries at most this many replicas per call: the first and one retry.
  static constexpr int kMaxAttempts = 2;

  // Picks a replica and sends the request. Unavailable (the pick's message) when the role has
  // no healthy replica, Cancelled when Cancel() came first; the observer hears nothing then.
  absl::Status Start() ABSL_LOCKS_EXCLUDED(mu_);
  // Asks for the next event; a no-op while one is already asked for, or once the call ended.
  void Read() ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the call: no retry follows, events still in flight are dropped, OnAttemptEnd comes with
  // the worker's last word (CANCELLED, or OK if it had just finished).
  void Cancel() ABSL_LOCKS_EXCLUDED(mu_);

  // GenerateStreamObserver: the current attempt's stream.
  void OnStreamEvent(v1::GenerateEvent event) override ABSL_LOCKS_EXCLUDED(mu_);
  void OnStreamDone(const absl::Status& status) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class WorkerClient;
  WorkerCall(WorkerTransport& transport, std::string role, std::shared_ptr<const v1::GenerateRequest> request,
             CallSettings settings, WorkerCallObserver* observer, std::shared_ptr<void> keep_alive);
  void StartAttempt(const PickedReplica& replica) ABSL_LOCKS_EXCLUDED(mu_);
  // The rule above, for the attempt that just failed (the pick of another replica aside).
  bool MayRetryLocked(const absl::Status& status) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  WorkerTransport& transport_;
  const std::string role_;
  const std::shared_ptr<const v1::GenerateRequest> request_;
  const CallSettings settings_;
  WorkerCallObserver* observer_;  // valid until its last call returns
  std::shared_ptr<void> keep_alive_ ABSL_GUARDED_BY(mu_);

  absl::Mutex mu_;
  std::shared_ptr<GenerateStream> stream_ ABSL_GUARDED_BY(mu_);  // the current attempt's
  std::vector<ReplicaKey> tried_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool answered_ ABSL_GUARDED_BY(mu_) = false;   // the current attempt delivered an event
  bool reading_ ABSL_GUARDED_BY(mu_) = false;    // a read is in flight on stream_
  bool delivering_ ABSL_GUARDED_BY(mu_) = false; // OnEvent is running: a Read() waits for it
  bool read_wanted_ ABSL_GUARDED_BY(mu_) = false;
};

class WorkerClient {
 public:
  // `transport` must outlive the client and its calls.
  explicit WorkerClient(WorkerTransport& transport) : transport_(transport) {}

  // A call of `request` on `role`'s pool; nothing is sent before Start(). `observer` must stay
  // valid until its last call returns; `keep_alive` (may be null) is held until then.
  std::shared_ptr<WorkerCall> NewCall(std::string role, std::shared_ptr<const v1::GenerateRequest> request,
                                      CallSettings settings, WorkerCallObserver* observer,
                                      std::shared_ptr<void> keep_alive = nullptr);

  // Whether a failure with `code` before the first event is worth another replica.
  static bool Retryable(absl::StatusCode code);

 private:
  WorkerTransport& transport_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_WORKER_CLIENT_H_
