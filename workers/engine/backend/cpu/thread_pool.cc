#include "workers/engine/backend/cpu/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace switchyard {
namespace {

inline void CpuRelax() {
#if defined(__x86_64__)
  _mm_pause();
#endif
}

// Spins, then yields the core: when threads outnumber free cores (other processes, or more
// threads than cores), a pure spin would wait a whole time slice for a descheduled peer.
template <class Done>
void SpinWait(Done done) {
  for (int i = 0; !done(); ++i) {
    if (i < 4000) {
      CpuRelax();
    } else {
      std::this_thread::yield();
    }
  }
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  n_ = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  work_ = std::vector<WorkRange>(static_cast<size_t>(kWorkSlots * n_));
  for (int i = 1; i < n_; ++i) threads_.emplace_back([this, i] { Worker(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  start_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::Worker(int ith) {
  uint64_t seen = 0;
  for (;;) {
    // Spin briefly before sleeping: kernels come back to back during a forward pass, and a
    // condition-variable wake-up costs more than most of them take.
    for (int spin = 0; spin < 20000; ++spin) {
      if (generation_.load(std::memory_order_acquire) != seen || stop_.load(std::memory_order_relaxed)) break;
      CpuRelax();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_.load() || generation_.load() != seen; });
      if (stop_.load()) return;
      seen = generation_.load();
    }
    (*job_)(ith, n_);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::Run(const std::function<void(int, int)>& fn) {
  ResetWork();
  if (n_ == 1) {
    fn(0, 1);
    return;
  }
  pending_.store(n_ - 1, std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  start_cv_.notify_all();
  fn(0, n_);
  SpinWait([&] { return pending_.load(std::memory_order_acquire) == 0; });
}

std::pair<int64_t, int64_t> ThreadPool::Range(int64_t n, int ith, int nth, int64_t grain) {
  const int64_t chunks = (n + grain - 1) / grain;
  const int64_t per = (chunks + nth - 1) / nth;
  return {std::min(n, per * ith * grain), std::min(n, per * (ith + 1) * grain)};
}

void ThreadPool::For(int64_t n, const std::function<void(int64_t, int64_t)>& fn, int64_t grain) {
  if (n <= 0) return;
  Run([&](int ith, int nth) {
    const auto [b, e] = Range(n, ith, nth, grain);
    if (b < e) fn(b, e);
  });
}

void ThreadPool::ForEach(int64_t n, const std::function<void(int64_t)>& fn) {
  if (n <= 1 || n_ == 1) {  // waking the pool would cost more than it saves
    for (int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  Run([&](int ith, int) {
    Share(0, ith, n, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) fn(i);
    });
  });
}

void ThreadPool::ResetWork() {
  for (WorkRange& w : work_) w.range.store(kUnset, std::memory_order_relaxed);
}

// Relaxed and acq_rel orders only order the counters: the chunks' data is published by the
// barriers around the op.
uint64_t ThreadPool::Load(int slot, int ith, int64_t chunks) {
  std::atomic<uint64_t>& w = Work(slot, ith);
  uint64_t v = w.load(std::memory_order_acquire);
  if (v != kUnset) return v;
  // Whoever comes first sets it; everyone computes the same value.
  const auto [b, e] = Range(chunks, ith, n_);
  const uint64_t init = static_cast<uint64_t>(b) | static_cast<uint64_t>(e) << 32;
  if (w.compare_exchange_strong(v, init, std::memory_order_acq_rel)) return init;
  return v;
}

int64_t ThreadPool::Take(int slot, int ith, int64_t chunks, bool front) {
  std::atomic<uint64_t>& w = Work(slot, ith);
  uint64_t v = Load(slot, ith, chunks);
  for (;;) {
    const uint64_t lo = v & 0xffffffffu, hi = v >> 32;
    if (lo >= hi) return -1;
    const uint64_t taken = front ? lo : hi - 1;
    const uint64_t rest = front ? (lo + 1) | hi << 32 : lo | (hi - 1) << 32;
    if (w.compare_exchange_weak(v, rest, std::memory_order_acq_rel)) return static_cast<int64_t>(taken);
  }
}

int64_t ThreadPool::ChunkFor(int64_t n, int64_t item_bytes, int64_t grain, int per_thread, int64_t max_bytes) const {
  const int64_t want = (n + int64_t{per_thread} * n_ - 1) / (int64_t{per_thread} * n_);
  const int64_t cap = item_bytes > 0 ? max_bytes / item_bytes : want;
  const int64_t items = std::max<int64_t>(1, std::min(want, cap));
  return std::max(grain, (items + grain - 1) / grain * grain);
}

void ThreadPool::Barrier() {
  if (n_ == 1) {
    ResetWork();
    return;
  }
  const uint64_t gen = barrier_generation_.load(std::memory_order_acquire);
  if (barrier_count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
    // The last to arrive: every other thread is spinning here, none inside an op.
    ResetWork();
    barrier_count_.store(0, std::memory_order_relaxed);
    barrier_generation_.fetch_add(1, std::memory_order_release);
    return;
  }
  SpinWait([&] { return barrier_generation_.load(std::memory_order_acquire) != gen; });
}

}  // namespace switchyard
