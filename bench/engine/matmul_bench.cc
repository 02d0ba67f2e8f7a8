// Matmul kernel throughput on Qwen3-0.6B's shapes (bf16 weights, f32 activations), for tuning
// the decode (T = 1), batched-decode (T = 4, 16) and prefill (T = 64, 512) paths:
//   build/bin/switchyard-bench-matmul --benchmark_counters_tabular=true
// Counters: GFLOP/s (2*T*M*K per call) and weight GB/s (M*K*2 bytes per call).
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/util/dtype.h"

namespace switchyard {
namespace {

template <class E>
class AlignedArray {
 public:
  AlignedArray(int64_t n, size_t align)
      : bytes_((n * sizeof(E) + align - 1) / align * align),
        p_(static_cast<E*>(std::aligned_alloc(align, bytes_))) {}
  ~AlignedArray() { std::free(p_); }
  AlignedArray(const AlignedArray&) = delete;
  AlignedArray& operator=(const AlignedArray&) = delete;
  E* data() { return p_; }
  size_t bytes() const { return bytes_; }
  E& operator[](int64_t i) { return p_[i]; }

 private:
  size_t bytes_;
  E* p_;
};

void BM_MatmulBf16(benchmark::State& state) {
  const int64_t T = state.range(0), K = state.range(1), M = state.range(2);
  const int threads = static_cast<int>(state.range(3));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  // 2 MiB-aligned, huge-page backed weights and cache-line-aligned activations, as the engine
  // holds them (see model_loader's kHugePages copy and the runner's buffers).
  AlignedArray<uint16_t> w(M * K, 2 << 20);
  madvise(w.data(), w.bytes(), MADV_HUGEPAGE);
  for (int64_t i = 0; i < M * K; ++i) w[i] = F32ToBf16(u(rng) * 0.05f);
  AlignedArray<float> x(T * K, 64), y(T * M, 64);
  for (int64_t i = 0; i < T * K; ++i) x[i] = u(rng);
  ThreadPool pool(threads);
  MatmulArgs a{.x = x.data(), .T = T, .K = K, .w = w.data(), .wtype = DType::kBF16, .M = M, .y = y.data()};
  for (auto _ : state) {
    Matmul(a, pool);
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * T * M * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
  state.counters["wGB/s"] = benchmark::Counter(2.0 * M * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void Shapes(benchmark::internal::Benchmark* b) {
  for (int64_t t : {1, 4, 16, 64, 512}) {
    b->Args({t, 1024, 3072, 2});  // gate / up projection
    b->Args({t, 3072, 1024, 2});  // down projection
  }
  b->Args({1, 1024, 151936, 2});  // language-model head, decode
  b->Args({16, 1024, 151936, 2});
  b->UseRealTime();
}

BENCHMARK(BM_MatmulBf16)->Apply(Shapes);

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
