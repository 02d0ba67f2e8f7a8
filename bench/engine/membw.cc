// switchyard-membw: memory read bandwidth, the physical limit of decode. Streams a buffer
// (default 1 GiB, far larger than any cache) with wide loads from N threads, best of 5 passes,
// and prints {"read_gb_s": ...}. Decode must read every weight once per token, so
// read_gb_s / weight bytes is the tok/s ceiling the engine is measured against.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "workers/engine/backend/cpu/cpu_features.h"
#include "workers/engine/cli/args.h"

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  switchyard::cli::Args args({"mib", "threads", "passes"}, {});
  if (auto s = args.Parse(argc, argv); !s.ok()) {
    return switchyard::cli::UsageError("switchyard-membw", s, "usage: switchyard-membw [--mib 1024] [--threads 2] [--passes 5]\n");
  }
  const size_t bytes = static_cast<size_t>(*args.IntOr("mib", 1024, 16, 1 << 16)) << 20;
  const int threads = static_cast<int>(*args.IntOr("threads", 2, 1, 256));
  const int passes = static_cast<int>(*args.IntOr("passes", 5, 1, 100));
  const bool avx2 = switchyard::HostCpuFeatures().avx2_fma_f16c;
  auto buf = std::unique_ptr<uint8_t, decltype(&std::free)>(static_cast<uint8_t*>(std::aligned_alloc(64, bytes)), &std::free);
  for (size_t i = 0; i < bytes; i += 4096) buf.get()[i] = static_cast<uint8_t>(i);  // fault in every page first
  std::memset(buf.get(), 1, bytes);
  double best = 0;
  volatile uint64_t sink = 0;
  for (int p = 0; p < passes; ++p) {
    std::vector<std::thread> pool;
    std::vector<uint64_t> out(static_cast<size_t>(threads));
    const size_t per = bytes / static_cast<size_t>(threads) / 128 * 128;
    const auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const uint8_t* s = buf.get() + per * static_cast<size_t>(t);
        out[static_cast<size_t>(t)] = avx2 ? ReadAvx2(s, per) : ReadScalar(s, per);
      });
    }
    for (auto& th : pool) th.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (uint64_t v : out) sink = sink ^ v;
    best = std::max(best, static_cast<double>(per * static_cast<size_t>(threads)) / secs / 1e9);
  }
  std::printf("{\"tool\": \"switchyard-membw\", \"mib\": %zu, \"threads\": %d, \"loads\": \"%s\", \"read_gb_s\": %.2f}\n",
              bytes >> 20, threads, avx2 ? "avx2" : "scalar", best);
  return 0;
}
