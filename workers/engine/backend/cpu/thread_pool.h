// ThreadPool: a fixed set of worker threads that run one parallel loop at a time, for the CPU
// backend's kernels. The calling thread takes part as worker 0, so ThreadPool(1) runs
// everything inline. Work is split statically (Range: ith of nth) or shared dynamically
// (Share: chunks taken in turn); either way each output is computed by one thread with the
// same instructions, so results do not depend on timing or on who computed what.
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
  // Calls fn(i) once for every i in [0, n), on all threads, each taking one index at a time
  // (Share): for items of uneven cost, such as sequences to sample. Inline when n <= 1.
  void ForEach(int64_t n, const std::function<void(int64_t)>& fn);
  // Inside Run(): waits until all size() threads have reached it. A spinning barrier, so a
  // forward pass can be one Run() with a barrier between ops instead of one Run() per op.
  void Barrier();
  // The ith of nth contiguous ranges of [0, n), boundaries rounded to `grain`.
  static std::pair<int64_t, int64_t> Range(int64_t n, int ith, int nth, int64_t grain = 1);

  // Inside Run(): dynamic work sharing of [0, n) in chunks of `chunk` items (the last one
  // shorter); fn(begin, end) is called once per chunk by some thread. Each thread first walks
  // its own static share (as Range would give it) front to back, so its weights stream in
  // address order as with a static split, then takes chunks from the back of the shares of
  // threads still busy. On a shared host a thread can lose its core for a while (other
  // processes, a descheduled virtual CPU): with a static split the others then wait at the
  // next barrier for its whole share, here for at most one chunk. `slot` names the op's
  // counters: ops that run between the same two barriers need different slots (0 ..
  // kWorkSlots - 1); every Barrier() resets them, when no thread can be inside an op. Every
  // thread of the region must call Share for the op with the same n, chunk and slot.
  static constexpr int kWorkSlots = 4;
  template <class Fn>
  void Share(int slot, int ith, int64_t n, int64_t chunk, Fn&& fn) {
    const int64_t chunks = (n + chunk - 1) / chunk;
    auto run = [&](int64_t c) { fn(c * chunk, c * chunk + chunk < n ? c * chunk + chunk : n); };
    int64_t c;
    while ((c = Take(slot, ith, chunks, /*front=*/true)) >= 0) run(c);
    for (int j = 1; j < n_; ++j) {
      const int victim = (ith + j) % n_;
      while ((c = Take(slot, victim, chunks, /*front=*/false)) >= 0) run(c);
    }
  }
  // A chunk for Share over n items of `item_bytes` each (weight bytes of a matrix row, say):
  // about `per_thread` chunks per thread, at most `max_bytes` per chunk so the wait for the
  // last chunk stays short, a multiple of `grain` (at least one grain).
  int64_t ChunkFor(int64_t n, int64_t item_bytes, int64_t grain = 1, int per_thread = 8,
                   int64_t max_bytes = 256 << 10) const;

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
  // Share's state: per slot and thread, the chunks [front, back) of the thread's share not yet
  // taken, packed in one word (front low, back high) so owner and thieves agree by one CAS.
  struct alignas(64) WorkRange {
    std::atomic<uint64_t> range{kUnset};
  };
  static constexpr uint64_t kUnset = ~uint64_t{0};  // not yet set for this op
  std::atomic<uint64_t>& Work(int slot, int ith) { return work_[static_cast<size_t>(slot * n_ + ith)].range; }
  uint64_t Load(int slot, int ith, int64_t chunks);  // the range, set from Range() if unset
  // The first (front) or last untaken chunk of thread ith's share; -1 when none is left.
  int64_t Take(int slot, int ith, int64_t chunks, bool front);
  void ResetWork();
  std::vector<WorkRange> work_;  // kWorkSlots * n_, one cache line each
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_THREAD_POOL_H_
