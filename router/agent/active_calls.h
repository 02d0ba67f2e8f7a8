// ActiveCalls: the worker calls one run has open (its own step and every delegation running in
// a tool thread), so that a cancelled run cancels all of them at once and starts no more.
// Thread safety: every method may be called from any thread.
#ifndef SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_
#define SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_

#include <atomic>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/client_context.h"

namespace switchyard {

class ActiveCalls {
 public:
  // False when the run is already cancelled: the call must not start.
  bool Add(grpc::ClientContext* ctx) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return false;
    open_.insert(ctx);
    return true;
  }
  void Remove(grpc::ClientContext* ctx) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    open_.erase(ctx);
  }
  void CancelAll() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    flag_.store(true, std::memory_order_relaxed);
    for (grpc::ClientContext* ctx : open_) ctx->TryCancel();
  }
  // For ToolContext::cancelled.
  const std::atomic<bool>* flag() const { return &flag_; }

 private:
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<grpc::ClientContext*> open_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> flag_{false};
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_ACTIVE_CALLS_H_
