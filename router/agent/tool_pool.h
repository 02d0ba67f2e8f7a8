// ToolPool: the bounded set of threads the router's tools run on. Tools block — the sandbox
// waits for a child process, a delegation (ask_*) waits for another worker's answer — so they
// never run on gRPC's threads; and they never get a thread of their own, so a burst of requests
// queues here instead of starting threads without limit. Work is run in the order it was
// posted; what cannot start at once waits in the queue.
//
// ToolExecutor is the seam the agent loop posts through: ToolPool in the router, a queue run by
// hand in tests.
// Thread safety: Post may be called from any thread, including the pool's own. The destructor
// runs what is queued, then joins; nothing may be posted once it has started.
#ifndef SWITCHYARD_ROUTER_AGENT_TOOL_POOL_H_
#define SWITCHYARD_ROUTER_AGENT_TOOL_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace switchyard {

class ToolExecutor {
 public:
  virtual ~ToolExecutor() = default;
  // Runs `task` later, on another thread. A task must not wait for another posted task.
  virtual void Post(absl::AnyInvocable<void() &&> task) = 0;
};

class ToolPool final : public ToolExecutor {
 public:
  // REQUIRES: threads >= 1.
  explicit ToolPool(int threads);
  ~ToolPool() override;
  ToolPool(const ToolPool&) = delete;
  ToolPool& operator=(const ToolPool&) = delete;

  void Post(absl::AnyInvocable<void() &&> task) override ABSL_LOCKS_EXCLUDED(mu_);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Work() ABSL_LOCKS_EXCLUDED(mu_);
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);  // a task to run, or time to stop

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_TOOL_POOL_H_
