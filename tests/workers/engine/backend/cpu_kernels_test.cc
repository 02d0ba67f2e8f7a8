// CPU kernels against plain double-precision references, for every SIMD family the CPU has,
// on shapes that hit every tail (rows, tokens and K not multiples of the vector blocks).
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "workers/engine/backend/cpu/attention.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/backend/cpu/thread_pool.h"

namespace switchyard {
namespace {

// The kernel families this CPU runs: only those are instantiated, so a CPU without AVX-512
// runs fewer cases instead of reporting skipped ones (the case names say which ran).
std::vector<SimdLevel> HostSimdLevels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel l : {SimdLevel::kScalar, SimdLevel::kAvx2, SimdLevel::kAvx512}) {
    if (ResolveSimdLevel(l) == l) levels.push_back(l);
  }
  return levels;
}

std::vector<float> RandomVec(size_t n, uint64_t seed, float scale = 1.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// Normalized mean squared error, as ggml's test-backend-ops reports it.
double Nmse(const std::vector<float>& got, const std::vector<double>& want) {
  double err = 0, ref = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    err += (got[i] - want[i]) * (got[i] - want[i]);
    ref += want[i] * want[i];
  }
  return err / std::max(ref, 1e-30);
}

class MatmulTest : public ::testing::TestWithParam<std::tuple<SimdLevel, DType>> {};

TEST_P(MatmulTest, MatchesDoubleReferenceOnAwkwardShapes) {
  const auto [simd, dtype] = GetParam();
  ThreadPool pool(2);
  for (auto [T, K, M] : {std::tuple<int64_t, int64_t, int64_t>{1, 64, 64}, {1, 67, 13}, {3, 33, 9}, {5, 128, 37},
                         {17, 100, 70}, {70, 16, 130}, {1, 1024, 300}, {9, 7, 5}, {16, 96, 41}, {4, 160, 23}}) {
    const std::vector<float> x = RandomVec(static_cast<size_t>(T * K), 1 + T);
    const std::vector<float> wf = RandomVec(static_cast<size_t>(M * K), 2 + K, 0.1f);
    // Weights stored in `dtype`; the reference uses the same rounded values.
    std::vector<uint16_t> w16(wf.size());
    std::vector<float> wq(wf.size());
    for (size_t i = 0; i < wf.size(); ++i) {
      if (dtype == DType::kBF16) w16[i] = F32ToBf16(wf[i]), wq[i] = Bf16ToF32(w16[i]);
      else if (dtype == DType::kF16) w16[i] = F32ToF16(wf[i]), wq[i] = F16ToF32(w16[i]);
      else wq[i] = wf[i];
    }
    const void* w = dtype == DType::kF32 ? static_cast<const void*>(wq.data()) : static_cast<const void*>(w16.data());
    std::vector<double> want(static_cast<size_t>(T * M));
    for (int64_t t = 0; t < T; ++t)
      for (int64_t m = 0; m < M; ++m) {
        double s = 0;
        for (int64_t k = 0; k < K; ++k) s += static_cast<double>(x[static_cast<size_t>(t * K + k)]) * wq[static_cast<size_t>(m * K + k)];
        want[static_cast<size_t>(t * M + m)] = s;
      }
    std::vector<float> y(static_cast<size_t>(T * M), -1.0f);
    Matmul(MatmulArgs{x.data(), T, K, w, dtype, M, y.data()}, pool, simd);
    EXPECT_LT(Nmse(y, want), 1e-11) << "T=" << T << " K=" << K << " M=" << M;
  }
}

// A token's output must not depend on which other tokens share the call: the engine relies on
// it so that a sequence gives the same tokens alone or in a batch.
TEST_P(MatmulTest, TokenResultsIndependentOfBatch) {
  const auto [simd, dtype] = GetParam();
  ThreadPool pool(2);
  // K with a tail past the vector loop, and K without one (AVX-512 then stores 4x4 blocks' sums
  // at once); M not a multiple of any row block; T past a token block.
  for (const int64_t K : {100, 128}) {
    const int64_t T = 11, M = 45;
    const std::vector<float> x = RandomVec(static_cast<size_t>(T * K), 7);
    const std::vector<float> wf = RandomVec(static_cast<size_t>(M * K), 8);
    std::vector<uint16_t> w16(wf.size());
    for (size_t i = 0; i < wf.size(); ++i) w16[i] = dtype == DType::kBF16 ? F32ToBf16(wf[i]) : F32ToF16(wf[i]);
    const void* w = dtype == DType::kF32 ? static_cast<const void*>(wf.data()) : static_cast<const void*>(w16.data());
    std::vector<float> all(static_cast<size_t>(T * M));
    Matmul(MatmulArgs{x.data(), T, K, w, dtype, M, all.data()}, pool, simd);
    for (int64_t t = 0; t < T; ++t) {
      std::vector<float> one(static_cast<size_t>(M));
      Matmul(MatmulArgs{x.data() + t * K, 1, K, w, dtype, M, one.data()}, pool, simd);
      for (int64_t m = 0; m < M; ++m) {
        ASSERT_EQ(one[static_cast<size_t>(m)], all[static_cast<size_t>(t * M + m)]) << "K=" << K << ": " << t << "," << m;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(HostKernels, MatmulTest,
                         ::testing::Combine(::testing::ValuesIn(HostSimdLevels()),
                                            ::testing::Values(DType::kF32, DType::kBF16, DType::kF16)));

// MatmulArgs::bf16_activations: every kernel family computes the products of bf16-rounded
// activations (F32ToBf16Daz) and bf16 weights; on AVX512_BF16 CPUs the AVX-512 family is the
// vdpbf16ps kernel. A reference on unrounded activations is off by about 2^-9 relative
// (NMSE ~1e-6), so the 1e-11 bound fails if any path forgets to round.
class MatmulBf16ActivationsTest : public ::testing::TestWithParam<SimdLevel> {};

TEST_P(MatmulBf16ActivationsTest, MatchesReferenceOnRoundedActivations) {
  const SimdLevel simd = GetParam();
  ThreadPool pool(2);
  for (auto [T, K, M] : {std::tuple<int64_t, int64_t, int64_t>{1, 64, 64}, {1, 67, 13}, {3, 33, 9}, {5, 128, 37},
                         {17, 100, 70}, {70, 16, 130}, {1, 1024, 300}, {9, 7, 5}, {16, 96, 41}, {16, 1024, 64}}) {
    const std::vector<float> x = RandomVec(static_cast<size_t>(T * K), 11 + T);
    const std::vector<float> wf = RandomVec(static_cast<size_t>(M * K), 12 + K, 0.1f);
    std::vector<uint16_t> w(wf.size());
    for (size_t i = 0; i < wf.size(); ++i) w[i] = F32ToBf16(wf[i]);
    std::vector<double> want(static_cast<size_t>(T * M)), unrounded(want.size());
    for (int64_t t = 0; t < T; ++t)
      for (int64_t m = 0; m < M; ++m) {
        double s = 0, u = 0;
        for (int64_t k = 0; k < K; ++k) {
          const float xv = x[static_cast<size_t>(t * K + k)];
          const double wv = Bf16ToF32(w[static_cast<size_t>(m * K + k)]);
          s += Bf16ToF32(F32ToBf16Daz(xv)) * wv;
          u += xv * wv;
        }
        want[static_cast<size_t>(t * M + m)] = s;
        unrounded[static_cast<size_t>(t * M + m)] = u;
      }
    std::vector<float> y(static_cast<size_t>(T * M), -1.0f);
    Matmul(MatmulArgs{.x = x.data(), .T = T, .K = K, .w = w.data(), .wtype = DType::kBF16, .M = M, .y = y.data(),
                      .bf16_activations = true},
           pool, simd);
    EXPECT_LT(Nmse(y, want), 1e-11) << "T=" << T << " K=" << K << " M=" << M;
    EXPECT_GT(Nmse(y, unrounded), 1e-9) << "the activations were not rounded: T=" << T << " K=" << K;
  }
}

TEST_P(MatmulBf16ActivationsTest, TokenResultsIndependentOfBatch) {
  const SimdLevel simd = GetParam();
  ThreadPool pool(2);
  // T spans a full token chunk (64) and the block tails; K has a tail past the vector loop.
  for (auto [T, K, M] : {std::tuple<int64_t, int64_t, int64_t>{11, 100, 45}, {70, 64, 37}, {16, 1024, 9}}) {
    const std::vector<float> x = RandomVec(static_cast<size_t>(T * K), 17);
    const std::vector<float> wf = RandomVec(static_cast<size_t>(M * K), 18);
    std::vector<uint16_t> w(wf.size());
    for (size_t i = 0; i < wf.size(); ++i) w[i] = F32ToBf16(wf[i]);
    auto args = [&](const float* xp, int64_t n, float* y) {
      return MatmulArgs{.x = xp, .T = n, .K = K, .w = w.data(), .wtype = DType::kBF16, .M = M, .y = y,
                        .bf16_activations = true};
    };
    std::vector<float> all(static_cast<size_t>(T * M));
    Matmul(args(x.data(), T, all.data()), pool, simd);
    for (int64_t t = 0; t < T; ++t) {
      std::vector<float> one(static_cast<size_t>(M));
      Matmul(args(x.data() + t * K, 1, one.data()), pool, simd);
      for (int64_t m = 0; m < M; ++m) {
        ASSERT_EQ(one[static_cast<size_t>(m)], all[static_cast<size_t>(t * M + m)]) << T << ": " << t << "," << m;
      }
    }
  }
}

// Against an identity matrix each output is one activation as the kernel rounded it, so the
// vector rounding (vcvtne2ps2bf16) must equal F32ToBf16Daz on ties, denormals and zeros (the sum
// of the other rows' zero products leaves a zero's sign undefined, so signs are not compared).
TEST_P(MatmulBf16ActivationsTest, RoundsLikeF32ToBf16Daz) {
  const SimdLevel simd = GetParam();
  ThreadPool pool(1);
  const int64_t K = 96;  // three vector blocks; every value goes through the vector path
  std::vector<float> x = RandomVec(static_cast<size_t>(K), 21, 100.0f);
  const float edge[] = {1.0f + 0x1p-8f, 1.0f + 0x3p-8f, -(1.0f + 0x1p-8f), 1.0f + 0x1p-9f,  // ties to even, below
                        0x1p-130f, -0x1p-140f, 0x1.fffffep-127f, 0.0f, -0.0f, 0x1p-126f,    // denormals, zeros
                        3.3895314e38f, -1e-38f, 65504.0f};  // (no value that rounds to inf: inf x 0 is NaN)
  for (size_t i = 0; i < std::size(edge); ++i) x[i * 5] = edge[i];
  std::vector<uint16_t> w(static_cast<size_t>(K * K), 0);
  for (int64_t m = 0; m < K; ++m) w[static_cast<size_t>(m * K + m)] = F32ToBf16(1.0f);
  std::vector<float> y(static_cast<size_t>(K));
  Matmul(MatmulArgs{.x = x.data(), .T = 1, .K = K, .w = w.data(), .wtype = DType::kBF16, .M = K, .y = y.data(),
                    .bf16_activations = true},
         pool, simd);
  for (int64_t k = 0; k < K; ++k) {
    const float want = Bf16ToF32(F32ToBf16Daz(x[static_cast<size_t>(k)]));
    EXPECT_EQ(y[static_cast<size_t>(k)], want) << "x[" << k << "] = " << x[static_cast<size_t>(k)];
  }
}

// MatmulArgs::x_version lets a bf16 kernel keep its rounded copy of x between the chunks of
// one product; a new version must make it round again, or a later product would use stale
// activations.
TEST_P(MatmulBf16ActivationsTest, ReusesRoundingOnlyForTheSameVersion) {
  const SimdLevel simd = GetParam();
  const int64_t T = 5, K = 96, M = 40;
  std::vector<float> x = RandomVec(static_cast<size_t>(T * K), 21);
  const std::vector<float> x2 = RandomVec(static_cast<size_t>(T * K), 22);
  const std::vector<float> wf = RandomVec(static_cast<size_t>(M * K), 23);
  std::vector<uint16_t> w(wf.size());
  for (size_t i = 0; i < wf.size(); ++i) w[i] = F32ToBf16(wf[i]);
  auto args = [&](const std::vector<float>& in, float* y, uint64_t version) {
    MatmulArgs a{in.data(), T, K, w.data(), DType::kBF16, M, y};
    a.bf16_activations = true;
    a.x_version = version;
    return a;
  };
  std::vector<float> want1(static_cast<size_t>(T * M)), want2(static_cast<size_t>(T * M));
  MatmulRows(args(x, want1.data(), 0), 0, M, simd);
  MatmulRows(args(x2, want2.data(), 0), 0, M, simd);
  // Chunks of one version: the same bits as one call.
  std::vector<float> y(static_cast<size_t>(T * M), -1.0f);
  const uint64_t v = NextActivationVersion();
  for (int64_t b = 0; b < M; b += 16) MatmulRows(args(x, y.data(), v), b, std::min<int64_t>(M, b + 16), simd);
  ASSERT_EQ(y, want1);
  // The same buffer refilled with other values under a new version: rounded again.
  x = x2;
  MatmulRows(args(x, y.data(), NextActivationVersion()), 0, M, simd);
  ASSERT_EQ(y, want2);
}

INSTANTIATE_TEST_SUITE_P(HostKernels, MatmulBf16ActivationsTest, ::testing::ValuesIn(HostSimdLevels()));

TEST(CpuOpsTest, RmsNormRopeSiluSoftmax) {
  const int64_t n = 48;
  std::vector<float> x = RandomVec(static_cast<size_t>(2 * n), 3);
  std::vector<float> w = RandomVec(static_cast<size_t>(n), 4);
  std::vector<float> y(x.size());
  cpu::RmsNorm(x.data(), w.data(), y.data(), 2, n, 1e-6f);
  for (int r = 0; r < 2; ++r) {
    double ss = 0;
    for (int64_t i = 0; i < n; ++i) ss += static_cast<double>(x[static_cast<size_t>(r * n + i)]) * x[static_cast<size_t>(r * n + i)];
    const double inv = 1.0 / std::sqrt(ss / n + 1e-6);
    for (int64_t i = 0; i < n; ++i) {
      EXPECT_NEAR(y[static_cast<size_t>(r * n + i)], w[static_cast<size_t>(i)] * x[static_cast<size_t>(r * n + i)] * inv, 1e-5);
    }
  }
  // Rope with angle 0 is the identity; with a quarter turn it rotates each pair.
  std::vector<float> v = {1, 2, 3, 4};  // one head of dim 4: pairs (1,3) and (2,4)
  std::vector<float> c = {0.0f, 1.0f}, s = {1.0f, 0.0f};
  cpu::Rope(v.data(), 1, 1, 4, c.data(), s.data());
  EXPECT_EQ(v, (std::vector<float>{-3, 2, 1, 4}));
  std::vector<float> g = {0.0f, 1.0f, -2.0f}, u = {5.0f, 2.0f, 1.0f};
  cpu::SiluMul(g.data(), u.data(), 3);
  EXPECT_FLOAT_EQ(g[0], 0.0f);
  EXPECT_NEAR(g[1], 2.0 / (1 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(g[2], -2.0 / (1 + std::exp(2.0)), 1e-6);
  std::vector<float> p = {1000.0f, 1000.0f, 999.0f};  // no overflow
  cpu::Softmax(p.data(), 3);
  EXPECT_NEAR(p[0], 1.0 / (2 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-6);
}

class AttentionTest : public ::testing::TestWithParam<DType> {};

// f32 and f16 caches; the reference uses the values the cache holds (rounded to f16 there).
TEST_P(AttentionTest, OverPagedCacheMatchesReference) {
  const DType kv_dtype = GetParam();
  struct Shape {
    int64_t H, G, d, bs, n;
  };
  // The first is the generic kernel's (block 4, head 8); the others take the AVX-512 kernel
  // where the CPU has it (block 16; heads of 16 to 128 dims, so 1 to 8 value slices; groups of
  // 1, 2, 3, 4, 6 and 8, each its own instantiation; partial blocks).
  for (const Shape s : {Shape{4, 2, 8, 4, 10}, Shape{16, 8, 128, 16, 40}, Shape{8, 2, 64, 16, 17}, Shape{8, 2, 64, 16, 16},
                        Shape{8, 8, 32, 16, 33}, Shape{24, 8, 48, 16, 20}, Shape{16, 2, 128, 16, 50},
                        Shape{6, 1, 16, 16, 5}}) {
    const int64_t H = s.H, G = s.G, d = s.d, bs = s.bs, n = s.n;
    const int64_t nblocks = (n + bs - 1) / bs;
    auto pool = KvBlockPool::Create(KvCacheShape{1, G, d, bs, kv_dtype}, nblocks + 3);
    ASSERT_TRUE(pool.ok());
    // Blocks deliberately out of order.
    std::vector<int32_t> blocks;
    for (int64_t b = 0; b < nblocks; ++b) blocks.push_back(static_cast<int32_t>(nblocks + 2 - b));
    std::vector<float> keys = RandomVec(static_cast<size_t>(n * G * d), 11), vals = RandomVec(static_cast<size_t>(n * G * d), 12);
    if (kv_dtype == DType::kF16) {
      for (float& x : keys) x = F16ToF32(F32ToF16(x));
      for (float& x : vals) x = F16ToF32(F32ToF16(x));
    }
    for (int64_t j = 0; j < n; ++j) {
      (*pool)->Write(0, blocks[static_cast<size_t>(j / bs)], j % bs, keys.data() + j * G * d, vals.data() + j * G * d);
    }
    // Two query tokens: one early, one at the last position.
    const std::vector<float> q = RandomVec(static_cast<size_t>(2 * H * d), 13);
    std::vector<float> out(q.size());
    const cpu::AttentionToken toks[2] = {{&blocks, 3}, {&blocks, n - 1}};
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    ThreadPool tp(2);
    cpu::Attention(cpu::AttentionArgs{q.data(), out.data(), 2, H, G, d, scale, 0, pool->get(), toks}, tp);
    for (int t = 0; t < 2; ++t) {
      const int64_t p = toks[t].position;
      for (int64_t h = 0; h < H; ++h) {
        const int64_t g = h / (H / G);
        std::vector<double> sc(static_cast<size_t>(p + 1));
        double mx = -1e300, z = 0;
        for (int64_t j = 0; j <= p; ++j) {
          double dot = 0;
          for (int64_t i = 0; i < d; ++i) dot += q[static_cast<size_t>((t * H + h) * d + i)] * keys[static_cast<size_t>((j * G + g) * d + i)];
          sc[static_cast<size_t>(j)] = dot * scale;
          mx = std::max(mx, sc[static_cast<size_t>(j)]);
        }
        for (double& v : sc) z += (v = std::exp(v - mx));
        for (int64_t i = 0; i < d; ++i) {
          double o = 0;
          for (int64_t j = 0; j <= p; ++j) o += sc[static_cast<size_t>(j)] / z * vals[static_cast<size_t>((j * G + g) * d + i)];
          ASSERT_NEAR(out[static_cast<size_t>((t * H + h) * d + i)], o, 2e-5) << "shape d=" << d << " bs=" << bs << " t=" << t
                                                                             << " h=" << h << " i=" << i;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(KvTypes, AttentionTest, ::testing::Values(DType::kF32, DType::kF16),
                         [](const ::testing::TestParamInfo<DType>& i) { return i.param == DType::kF16 ? std::string("F16") : std::string("F32"); });

TEST(KvBlockPoolTest, F16HalvesTheBytesAndRoundsWhatItStores) {
  const KvCacheShape f32{2, 2, 4, 4};
  KvCacheShape f16 = f32;
  f16.dtype = DType::kF16;
  EXPECT_EQ(f32.BlockBytes(), 2 * 2 * 2 * 4 * 4 * 4);
  EXPECT_EQ(f16.BlockBytes(), f32.BlockBytes() / 2);
  auto pool = KvBlockPool::Create(f16, 3);
  ASSERT_TRUE(pool.ok());
  const std::vector<float> k = {1.0f, 0.1f, -2.5f, 65504.0f, 3.0e-5f, 1.0f / 3, 7.0f, -0.0f};
  const std::vector<float> v = {0.5f, -0.1f, 100.25f, 1e-3f, 2.0f, -3.0f, 0.2f, 9.0f};
  (*pool)->Write(1, 2, 3, k.data(), v.data());
  for (int64_t g = 0; g < 2; ++g) {
    for (int64_t i = 0; i < 4; ++i) {
      // K transposed: [kv][d][bs]; V: [kv][bs][d].
      EXPECT_EQ((*pool)->K16(1, 2)[(g * 4 + i) * 4 + 3], F32ToF16(k[static_cast<size_t>(g * 4 + i)]));
      EXPECT_EQ((*pool)->V16(1, 2)[(g * 4 + 3) * 4 + i], F32ToF16(v[static_cast<size_t>(g * 4 + i)]));
    }
  }
  KvCacheShape bad = f32;
  bad.dtype = DType::kBF16;
  EXPECT_EQ(KvBlockPool::Create(bad, 3).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CpuOpsTest, HeadNormRopeIsRmsNormThenRope) {
  const int64_t rows = 3, heads = 4, dim = 64;
  std::vector<float> x = RandomVec(static_cast<size_t>(rows * heads * dim), 21);
  const std::vector<float> w = RandomVec(static_cast<size_t>(dim), 22);
  std::vector<float> cos(static_cast<size_t>(rows * dim / 2)), sin(cos.size());
  for (size_t i = 0; i < cos.size(); ++i) {
    cos[i] = std::cos(0.1f * static_cast<float>(i));
    sin[i] = std::sin(0.1f * static_cast<float>(i));
  }
  std::vector<float> two = x;
  cpu::RmsNorm(two.data(), w.data(), two.data(), rows * heads, dim, 1e-6f);
  cpu::Rope(two.data(), rows, heads, dim, cos.data(), sin.data());
  cpu::HeadNormRope(x.data(), w.data(), rows, heads, dim, 1e-6f, cos.data(), sin.data());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(x[i], two[i], 1e-6 * (1 + std::fabs(two[i]))) << i;
}

TEST(CpuOpsTest, AddRmsNormIsAddThenRmsNorm) {
  const int64_t rows = 3, n = 100;
  std::vector<float> x = RandomVec(static_cast<size_t>(rows * n), 31);
  const std::vector<float> add = RandomVec(x.size(), 32), w = RandomVec(static_cast<size_t>(n), 33);
  std::vector<float> x2 = x, y(x.size()), y2(x.size());
  cpu::AddInPlace(x2.data(), add.data(), rows * n);
  cpu::RmsNorm(x2.data(), w.data(), y2.data(), rows, n, 1e-6f);
  cpu::AddRmsNorm(x.data(), add.data(), w.data(), y.data(), rows, n, 1e-6f);
  EXPECT_EQ(x, x2);
  for (size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], y2[i], 1e-6 * (1 + std::fabs(y2[i]))) << i;
}

TEST(ThreadPoolTest, ForCoversEveryIndexOnce) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int64_t n : {0, 1, 5, 16, 17, 1000}) {
      std::vector<int> hits(static_cast<size_t>(n), 0);
      pool.For(n, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) ++hits[static_cast<size_t>(i)];
      }, 4);
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1) << threads << " " << n << " " << i;
    }
  }
}

// ForEach: every index exactly once, on more than one thread when there is more than one
// index and thread (items sleep long enough for the other threads to take some).
TEST(ThreadPoolTest, ForEachRunsEveryIndexOnceOnSeveralThreads) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (int64_t n : {0, 1, 2, 7, 64}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      std::mutex mu;
      std::set<std::thread::id> ran_on;
      pool.ForEach(n, [&](int64_t i) {
        hits[static_cast<size_t>(i)].fetch_add(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::lock_guard<std::mutex> lock(mu);
        ran_on.insert(std::this_thread::get_id());
      });
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << threads << " " << n << " " << i;
      if (threads > 1 && n >= 7) {
        EXPECT_GT(ran_on.size(), 1u) << threads << " threads, " << n << " items";
      }
      if (n == 1) {
        EXPECT_EQ(ran_on.count(std::this_thread::get_id()), 1u) << "one item runs inline";
      }
    }
  }
}

// Share inside one parallel region: several ops between barriers on their own slots, and the
// same slots again after each barrier (which resets them). Every chunk runs exactly once,
// with the chunk's bounds, whatever the thread count.
TEST(ThreadPoolTest, ShareRunsEveryChunkOnceAcrossSlotsAndBarriers) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    for (int64_t n : {0, 1, 5, 16, 17, 1000}) {
      for (int64_t chunk : {1, 4, 7, 64}) {
        constexpr int kOps = 3, kRounds = 4;
        std::vector<std::atomic<int>> hits(static_cast<size_t>(kRounds * kOps * n));
        std::atomic<int> bad_bounds{0};
        pool.Run([&](int ith, int) {
          for (int round = 0; round < kRounds; ++round) {
            for (int op = 0; op < kOps; ++op) {
              pool.Share(op, ith, n, chunk, [&](int64_t b, int64_t e) {
                if (b % chunk != 0 || e - b > chunk || e > n || b >= e || (e < n && e - b != chunk)) ++bad_bounds;
                for (int64_t i = b; i < e; ++i) ++hits[static_cast<size_t>((round * kOps + op) * n + i)];
              });
            }
            pool.Barrier();
          }
        });
        ASSERT_EQ(bad_bounds.load(), 0) << threads << " " << n << " " << chunk;
        for (size_t i = 0; i < hits.size(); ++i) ASSERT_EQ(hits[i].load(), 1) << threads << " " << n << " " << chunk << " " << i;
      }
    }
  }
}

// A thread that loses its core leaves its share to the others (taken from the back), and an
// unhindered thread walks its own share front to back, as a static split would.
TEST(ThreadPoolTest, ShareLetsOthersTakeALateThreadsChunks) {
  ThreadPool pool(2);
  constexpr int64_t kN = 64;
  std::vector<int> owner(kN, -1);
  std::vector<int64_t> order0;
  pool.Run([&](int ith, int) {
    if (ith == 1) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pool.Share(0, ith, kN, 1, [&](int64_t b, int64_t) {
      owner[static_cast<size_t>(b)] = ith;
      if (ith == 0) order0.push_back(b);
    });
  });
  for (int64_t i = 0; i < kN; ++i) ASSERT_EQ(owner[static_cast<size_t>(i)], 0) << i;  // thread 1 found nothing left
  ASSERT_EQ(order0.size(), static_cast<size_t>(kN));
  for (int64_t i = 0; i < kN / 2; ++i) EXPECT_EQ(order0[static_cast<size_t>(i)], i);  // its own half, in order
  for (int64_t i = kN / 2; i < kN; ++i) EXPECT_EQ(order0[static_cast<size_t>(i)], kN - 1 - (i - kN / 2));  // the other's, from the back
}

TEST(ThreadPoolTest, ChunkForKeepsChunksShortAndWhole) {
  ThreadPool pool(2);
  EXPECT_EQ(pool.ChunkFor(2048, 2048, 16), 128);    // 8 per thread, 256 KB
  EXPECT_EQ(pool.ChunkFor(151936, 2048, 16), 128);  // capped at 256 KB of rows
  EXPECT_EQ(pool.ChunkFor(1024, 6144, 16), 48);     // 42 rows fit 256 KB: rounded up to whole grains
  EXPECT_EQ(pool.ChunkFor(5, 2048, 16), 16);        // never below one grain
  EXPECT_EQ(pool.ChunkFor(8, 0, 1), 1);
}

TEST(KvBlockPoolTest, AllocatesFreesAndRefusesWhenFull) {
  auto pool = KvBlockPool::Create(KvCacheShape{2, 2, 8, 4}, 3);
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ((*pool)->free_blocks(), 3);
  {
    KvSequence a(pool->get());
    ASSERT_TRUE(a.Reserve(5).ok());  // 2 blocks
    EXPECT_EQ(a.blocks().size(), 2u);
    EXPECT_EQ((*pool)->free_blocks(), 1);
    KvSequence b(pool->get());
    absl::Status s = b.Reserve(9);  // needs 3 blocks, 1 free
    EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ((*pool)->free_blocks(), 1);  // nothing taken on failure
    ASSERT_TRUE(b.Reserve(4).ok());
    EXPECT_EQ((*pool)->free_blocks(), 0);
  }
  EXPECT_EQ((*pool)->free_blocks(), 3);  // sequences give their blocks back when they end
  EXPECT_EQ(KvBlockPool::Create(KvCacheShape{0, 2, 8, 4}, 3).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
