#include "bench/engine/read_loop.h"

#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "workers/engine/backend/cpu/cpu_features.h"

namespace switchyard::bench {
namespace {

// Four independent 256-bit accumulators so the loads are never serialized by a dependency.
__attribute__((target("avx2"))) uint64_t ReadAvx2(const uint8_t* p, size_t n) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  for (size_t i = 0; i + 128 <= n; i += 128) {
    a0 = _mm256_xor_si256(a0, _mm256_load_si256(reinterpret_cast<const __m256i*>(p + i)));
    a1 = _mm256_xor_si256(a1, _mm256_load_si256(reinterpret_cast<const __m256i*>(p + i + 32)));
    a2 = _mm256_xor_si256(a2, _mm256_load_si256(reinterpret_cast<const __m256i*>(p + i + 64)));
    a3 = _mm256_xor_si256(a3, _mm256_load_si256(reinterpret_cast<const __m256i*>(p + i + 96)));
  }
  const __m256i x = _mm256_xor_si256(_mm256_xor_si256(a0, a1), _mm256_xor_si256(a2, a3));
  return static_cast<uint64_t>(_mm256_extract_epi64(x, 0) ^ _mm256_extract_epi64(x, 3));
}

uint64_t ReadScalar(const uint8_t* p, size_t n) {
  uint64_t acc = 0;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    acc ^= v;
  }
  return acc;
}

bool UseAvx2() { return HostCpuFeatures().avx2_fma_f16c; }

}  // namespace

const char* ReadLoopLoads() { return UseAvx2() ? "avx2" : "scalar"; }

ReadPass ReadOnce(const uint8_t* data, size_t bytes, int threads) {
  const size_t per = bytes / static_cast<size_t>(threads) / 128 * 128;
  const bool avx2 = UseAvx2();
  std::atomic<bool> go{false};
  std::atomic<int> ready{0};
  std::vector<uint64_t> out(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  auto read = [&](int t) {
    const uint8_t* s = data + per * static_cast<size_t>(t);
    out[static_cast<size_t>(t)] = avx2 ? ReadAvx2(s, per) : ReadScalar(s, per);
  };
  for (int t = 1; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1, std::memory_order_acq_rel);
      while (!go.load(std::memory_order_acquire)) {
      }
      read(t);
    });
  }
  while (ready.load(std::memory_order_acquire) < threads - 1) std::this_thread::yield();
  const auto t0 = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  read(0);
  for (std::thread& th : pool) th.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The XORs must be used or the loads could be dropped.
  static volatile uint64_t sink = 0;
  for (uint64_t v : out) sink = sink ^ v;
  return ReadPass{secs, static_cast<double>(per * static_cast<size_t>(threads)) / secs / 1e9};
}

}  // namespace switchyard::bench
