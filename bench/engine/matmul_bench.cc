// Kernel throughput (matmul, decode attention) on Qwen3-0.6B's shapes (bf16 weights, f32 activations), for tuning
// the decode (T = 1), batched-decode (T = 4, 16) and prefill (T = 64, 512) paths:
//   build/bin/switchyard-bench-matmul --benchmark_counters_tabular=true
// Arguments: tokens T, K, M, threads, kernel (0 = best for this CPU, 2 = AVX2, 3 = best with
// bf16 activations).
// Counters: GFLOP/s (2*T*M*K per call) and weight GB/s (M*K*2 bytes per call).
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "workers/engine/backend/cpu/attention.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/util/dtype.h"
#include "workers/engine/util/huge_page_buffer.h"

namespace switchyard {
namespace {

// Each call takes the next of `copies` distinct weight matrices (1: the same one every time).
void RunMatmul(benchmark::State& state, int64_t copies) {
  const int64_t T = state.range(0), K = state.range(1), M = state.range(2);
  const int threads = static_cast<int>(state.range(3));
  const SimdLevel level = state.range(4) == 2 ? SimdLevel::kAvx2 : SimdLevel::kAuto;
  const bool bf16_activations = state.range(4) == 3;
  // Huge-page backed, page-aligned buffers, as the engine holds its weights (model_loader's
  // kHugePages copy); the activations are cache-line aligned like the runner's.
  auto wb = HugePageBuffer::Allocate(static_cast<size_t>(M * K * copies) * 2);
  auto xb = HugePageBuffer::Allocate(static_cast<size_t>(T * K) * 4);
  auto yb = HugePageBuffer::Allocate(static_cast<size_t>(T * M) * 4);
  if (!wb.ok() || !xb.ok() || !yb.ok()) {
    state.SkipWithError("cannot allocate the buffers");
    return;
  }
  uint16_t* w = static_cast<uint16_t*>(wb->data());
  float* x = static_cast<float*>(xb->data());
  float* y = static_cast<float*>(yb->data());
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int64_t i = 0; i < M * K * copies; ++i) w[i] = F32ToBf16(u(rng) * 0.05f);
  for (int64_t i = 0; i < T * K; ++i) x[i] = u(rng);
  ThreadPool pool(threads);
  int64_t c = 0;
  for (auto _ : state) {
    MatmulArgs a{.x = x, .T = T, .K = K, .w = w + c * M * K, .wtype = DType::kBF16, .M = M, .y = y,
                 .bf16_activations = bf16_activations};
    Matmul(a, pool, level);
    benchmark::DoNotOptimize(y);
    c = (c + 1) % copies;
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * T * M * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
  state.counters["wGB/s"] = benchmark::Counter(2.0 * M * K * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void BM_MatmulBf16(benchmark::State& state) { RunMatmul(state, 1); }

void Shapes(benchmark::internal::Benchmark* b) {
  // Last argument: 0 = the best kernel for this CPU, 2 = the AVX2 kernel, 3 = the best kernel
  // with bf16 activations.
  for (int64_t simd : {0, 2, 3}) {
    for (int64_t t : {1, 4, 16, 64, 512}) {
      b->Args({t, 1024, 3072, 2, simd});  // gate / up projection
      b->Args({t, 3072, 1024, 2, simd});  // down projection
    }
    b->Args({1, 1024, 151936, 2, simd});  // language-model head, decode
    b->Args({1, 1024, 192, 1, simd});     // matrix-vector from L2 (384 KB): the kernel's own rate
    b->Args({16, 1024, 151936, 2, simd});
  }
  b->UseRealTime();
}

BENCHMARK(BM_MatmulBf16)->Apply(Shapes);

// The same products with the weights streaming from memory as in the model: each call takes the
// next of `copies` distinct matrices (40 x 6 MB, past any cache), where BM_MatmulBf16 reuses one
// matrix that stays in L3. Arguments: T, K, M, threads, kernel as above, copies.
void BM_MatmulBf16FromMemory(benchmark::State& state) { RunMatmul(state, state.range(5)); }

void FromMemoryShapes(benchmark::internal::Benchmark* b) {
  for (int64_t simd : {0, 3}) {
    for (int64_t t : {1, 16}) {
      for (int64_t threads : {1, 2}) {
        b->Args({t, 1024, 3072, threads, simd, 40});
        b->Args({t, 3072, 1024, threads, simd, 40});
      }
    }
  }
  b->UseRealTime();
}

BENCHMARK(BM_MatmulBf16FromMemory)->Apply(FromMemoryShapes);

// Decode attention of one layer: T sequences, one new token each, `positions` cached, Qwen3-0.6B's
// heads (16 query, 8 kv, dim 128), the paged f32 cache with 16-position blocks.
void BM_AttentionDecode(benchmark::State& state) {
  const int64_t T = state.range(0), positions = state.range(1);
  const int64_t H = 16, G = 8, d = 128, bs = 16;
  const int64_t per_seq = (positions + bs - 1) / bs;
  auto pool = KvBlockPool::Create(KvCacheShape{.layers = 1, .kv_heads = G, .head_dim = d, .block_size = bs}, T * per_seq);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<std::vector<int32_t>> tables(static_cast<size_t>(T));
  std::vector<float> k(G * d), v(G * d);
  for (auto& table : tables) {
    for (int64_t b = 0; b < per_seq; ++b) table.push_back(*(*pool)->Allocate());
    for (int64_t p = 0; p < positions; ++p) {
      for (auto& x : k) x = u(rng);
      for (auto& x : v) x = u(rng);
      (*pool)->Write(0, table[static_cast<size_t>(p / bs)], p % bs, k.data(), v.data());
    }
  }
  std::vector<float> q(T * H * d), out(T * H * d);
  for (auto& x : q) x = u(rng);
  std::vector<cpu::AttentionToken> tokens;
  for (const auto& table : tables) tokens.push_back(cpu::AttentionToken{&table, positions - 1});
  ThreadPool threads(2);
  cpu::AttentionArgs a{q.data(), out.data(), T, H, G, d, 0.088f, 0, pool->get(), tokens.data()};
  for (auto _ : state) {
    cpu::Attention(a, threads);
    benchmark::DoNotOptimize(out.data());
  }
  // K and V bytes read per call.
  state.counters["kvGB/s"] = benchmark::Counter(2.0 * 4 * T * positions * G * d * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AttentionDecode)->Args({1, 48})->Args({16, 48})->Args({1, 512})->Args({16, 512})->UseRealTime();

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
