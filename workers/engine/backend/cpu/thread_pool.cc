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

void ThreadPool::Barrier() {
  if (n_ == 1) return;
  const uint64_t gen = barrier_generation_.load(std::memory_order_acquire);
  if (barrier_count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
    barrier_count_.store(0, std::memory_order_relaxed);
    barrier_generation_.fetch_add(1, std::memory_order_release);
    return;
  }
  SpinWait([&] { return barrier_generation_.load(std::memory_order_acquire) != gen; });
}

}  // namespace switchyard
