// ActiveCalls: the delegations (ask_*) one run has in flight on its tool threads, so that a
// cancelled run cancels all of them at once and starts no more, and the flag its tools read
// (ToolContext::cancelled) to stop early.
// Thread safety: every method may be called from any thread.
#ifndef SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_
#define SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_

#include <atomic>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "router/agent/worker_client.h"

namespace switchyard {

class ActiveCalls {
 public:
  // False when the run is already cancelled: the call must not start.
  bool Add(std::shared_ptr<WorkerCall> call) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return false;
    open_.insert(std::move(call));
    return true;
  }
  void Remove(const std::shared_ptr<WorkerCall>& call) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    open_.erase(call);
  }
  void CancelAll() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::flat_hash_set<std::shared_ptr<WorkerCall>> open;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      flag_.store(true, std::memory_order_relaxed);
      open = open_;
    }
    // Outside the lock: a cancel may run the call's callbacks on this thread.
    for (const auto& call : open) call->Cancel();
  }
  // For ToolContext::cancelled.
  const std::atomic<bool>* flag() const { return &flag_; }

 private:
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<std::shared_ptr<WorkerCall>> open_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> flag_{false};
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_
