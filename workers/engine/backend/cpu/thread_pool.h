// ThreadPool: a fixed set of worker threads that run one parallel loop at a time, for the CPU
// backend's kernels. The calling thread takes part as worker 0, so ThreadPool(1) runs
// everything inline. Work is split statically (ith of nth), as ggml does, so results do not
// depend on timing.
// Thread safety: Run() may be called from one thread at a time (the engine's step thread).
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_THREAD_POOL_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace switchyard {

class ThreadPool {
 public:
  // threads <= 0: one per hardware thread.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_; }
  // Calls fn(ith, nth) for ith in [0, nth) on all threads and waits for all of them.
  void Run(const std::function<void(int ith, int nth)>& fn);
  // Splits [0, n) into size() contiguous ranges and calls fn(begin, end) on each (skipping
  // empty ones). `grain` rounds range boundaries to a multiple (e.g. SIMD width).
  void For(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn, int64_t grain = 1);
  // Inside Run(): waits until all size() threads have reached it. A spinning barrier, so a
  // forward pass can be one Run() with a barrier between ops instead of one Run() per op.
  void Barrier();
  // The ith of nth contiguous ranges of [0, n), boundaries rounded to `grain`.
  static std::pair<int64_t, int64_t> Range(int64_t n, int ith, int nth, int64_t grain = 1);

 private:
  void Worker(int ith);
  int n_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_cv_;
  const std::function<void(int, int)>* job_ = nullptr;  // written before generation_ moves
  std::atomic<uint64_t> generation_{0};                  // bumped under mu_ for each Run
  std::atomic<bool> stop_{false};
  std::atomic<int> pending_{0};                          // workers still inside the job
  alignas(64) std::atomic<int> barrier_count_{0};
  alignas(64) std::atomic<uint64_t> barrier_generation_{0};
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_THREAD_POOL_H_
