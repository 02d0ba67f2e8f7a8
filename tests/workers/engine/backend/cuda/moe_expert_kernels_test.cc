// The MoE expert GEMVs (kernels/moe.h: MoeExpertGateUp, MoeExpertGemv) on the CUDA emulator,
// after the device's own dispatch (MoeDispatchBuild, MoeGather), against the exact products
// computed in double on the host: random expert choices (the seed is printed;
// SWITCHYARD_TEST_SEED replays one), row lengths K that are and are not multiples of the 16-byte
// piece and of the warp's stride, expert matrices whose rows start unaligned, experts with 0, 1,
// fewer than a step and several steps of rows (the kernels take 8 or 4 rows a step, then one at
// a time), outputs poisoned, both thread orders. And the same results when the grid is the
// worst case and most of it finds no expert.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/kernel_test_util.h"
#include "workers/engine/backend/cuda/kernels/moe.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::cuda::test {
namespace {

constexpr double kU = 0x1p-24;  // f32 unit roundoff

// Higham: the GPU's longest rounding chain for one output, as kernels/gemv.h states it (the
// head value, 8 per 16-byte step of a lane, the tail value, 5 shuffle levels, the product).
double GpuChain(int64_t K) { return 8.0 * static_cast<double>((K + 255) / 256) + 8.0; }

class MoeExpertKernelTest : public EmuTest, public ::testing::WithParamInterface<emu::ThreadOrder> {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    emu::SetThreadOrder(GetParam());
  }
};

struct Case {
  int64_t T, E, k, K, M;
  bool skewed;  // most tokens choose experts 0..k-1: a few experts with many rows
};

// Expert choices: distinct per token; uniform, or skewed towards the first k experts.
std::vector<int32_t> Choices(const Case& c, std::mt19937_64& rng) {
  std::vector<int32_t> ids, all(static_cast<size_t>(c.E));
  for (int64_t t = 0; t < c.T; ++t) {
    std::iota(all.begin(), all.end(), 0);
    if (!c.skewed || t % 4 == 3) std::shuffle(all.begin(), all.end(), rng);
    ids.insert(ids.end(), all.begin(), all.begin() + c.k);
  }
  return ids;
}

// bf16 bit patterns as device values, `lead` zero values first.
std::vector<__nv_bfloat16> AsBf16(const std::vector<uint16_t>& bits, size_t lead) {
  std::vector<uint16_t> padded(lead, 0);
  padded.insert(padded.end(), bits.begin(), bits.end());
  std::vector<__nv_bfloat16> v(padded.size());
  std::memcpy(v.data(), padded.data(), padded.size() * 2);
  return v;
}

std::vector<uint16_t> RandomBf16(size_t n, std::mt19937_64& rng) {
  std::vector<uint16_t> w(n);
  for (uint16_t& b : w) b = F32ToBf16(std::normal_distribution<float>(0.0f, 0.5f)(rng));
  return w;
}

// One routed row's products against expert e's matrix: exact (double) and sum |terms|.
void Products(const std::vector<float>& x, int64_t t, const std::vector<uint16_t>& w, int64_t e, int64_t K,
              int64_t M, std::vector<double>* exact, std::vector<double>* abs) {
  exact->assign(static_cast<size_t>(M), 0.0);
  abs->assign(static_cast<size_t>(M), 0.0);
  for (int64_t m = 0; m < M; ++m) {
    const uint16_t* row = w.data() + (e * M + m) * K;
    for (int64_t i = 0; i < K; ++i) {
      const double p = static_cast<double>(x[static_cast<size_t>(t * K + i)]) * Bf16ToF32(row[i]);
      (*exact)[static_cast<size_t>(m)] += p;
      (*abs)[static_cast<size_t>(m)] += std::fabs(p);
    }
  }
}

TEST_P(MoeExpertKernelTest, GateUpAndGemvMatchExactProducts) {
  std::mt19937_64 rng(Seed() + 21);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 21));
  const std::vector<Case> cases = {
      {1, 8, 2, 64, 32, false},    {3, 8, 2, 37, 5, false},      {5, 128, 8, 100, 9, false},
      {9, 4, 2, 264, 7, false},    {20, 4, 2, 1031, 6, true},    {17, 16, 4, 9, 33, true},
      {33, 3, 1, 520, 3, true},    {2, 256, 32, 72, 4, false},   {12, 8, 8, 16, 17, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE("T " + std::to_string(c.T) + " E " + std::to_string(c.E) + " k " + std::to_string(c.k) + " K " +
                 std::to_string(c.K) + " M " + std::to_string(c.M));
    const int64_t rows = c.T * c.k;
    const std::vector<int32_t> ids = Choices(c, rng);
    const std::vector<float> x = Random(static_cast<size_t>(c.T * c.K), rng);
    const std::vector<uint16_t> gate = RandomBf16(static_cast<size_t>(c.E * c.M * c.K), rng);
    const std::vector<uint16_t> up = RandomBf16(gate.size(), rng);
    DeviceBuffer<int32_t> di(ids), counts(static_cast<size_t>(c.E)), offsets(static_cast<size_t>(c.E + 1)),
        pairs(static_cast<size_t>(rows)), prow(static_cast<size_t>(rows));
    DeviceBuffer<float> dx(x), xe(static_cast<size_t>(rows * c.K)), a(static_cast<size_t>(rows * c.M)),
        y(static_cast<size_t>(rows * c.M));
    // One element in: the experts' rows start unaligned whatever K is.
    DeviceBuffer<__nv_bfloat16> dg(AsBf16(gate, 1)), du(AsBf16(up, 1));
    const MoeShape shape{c.T, c.E, c.k, nullptr};
    const MoeDispatch d{counts.get(), offsets.get(), pairs.get(), prow.get()};
    ASSERT_TRUE(MoeDispatchBuild(di.get(), shape, d, nullptr).ok());
    ASSERT_TRUE(MoeGather(dx.get(), shape, c.K, d, xe.get(), nullptr).ok());
    a.Poison();
    y.Poison();
    absl::Status s = MoeExpertGateUp(xe.get(), shape, c.K, dg.get() + 1, du.get() + 1, c.M, d, a.get(), nullptr);
    ASSERT_TRUE(s.ok()) << s;
    s = MoeExpertGemv(xe.get(), shape, c.K, dg.get() + 1, c.M, d, y.get(), nullptr);
    ASSERT_TRUE(s.ok()) << s;
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << ErrorText(cudaGetLastError());

    // Row r of the outputs is the dispatch's r-th pair, token pairs[r] / k, its expert ids[pair].
    const std::vector<int32_t> pr = pairs.Download();
    std::vector<float> want_a(static_cast<size_t>(rows * c.M)), want_y(want_a.size());
    std::vector<double> tol_a(want_a.size()), tol_y(want_a.size());
    const double chain = GpuChain(c.K);
    std::vector<double> g, ga, u, ua;
    for (int64_t r = 0; r < rows; ++r) {
      const int32_t p = pr[static_cast<size_t>(r)];
      ASSERT_TRUE(p >= 0 && p < rows) << "row " << r;
      const int64_t t = p / c.k, e = ids[static_cast<size_t>(p)];
      Products(x, t, gate, e, c.K, c.M, &g, &ga);
      Products(x, t, up, e, c.K, c.M, &u, &ua);
      for (int64_t m = 0; m < c.M; ++m) {
        const size_t i = static_cast<size_t>(r * c.M + m), j = static_cast<size_t>(m);
        want_y[i] = static_cast<float>(g[j]);
        tol_y[i] = chain * kU * ga[j] + kU * std::fabs(g[j]) + 1e-30;
        // silu(g) u: |silu'| <= 1.1, |silu(g)| <= |g|; the kernel's g and u within their chain
        // bounds; expf, the division and the two products add a few roundings.
        const double sg = g[j] / (1.0 + std::exp(-g[j]));
        want_a[i] = static_cast<float>(sg * u[j]);
        tol_a[i] = 1.1 * chain * kU * ga[j] * std::fabs(u[j]) + std::fabs(sg) * chain * kU * ua[j] +
                   (1.1 * chain * kU * ga[j]) * (chain * kU * ua[j]) + 8 * kU * std::fabs(sg * u[j]) + 1e-30;
      }
    }
    EXPECT_TRUE(Close(y.Download(), want_y, [&](size_t i) { return tol_y[i]; })) << "MoeExpertGemv";
    EXPECT_TRUE(Close(a.Download(), want_a, [&](size_t i) { return tol_a[i]; })) << "MoeExpertGateUp";
  }
}

// The grid is sized for the worst case (min(E, T*k) experts): with every token on the same k
// experts, all but k of the grid's expert slots find none and leave; the k experts' rows are
// still all computed, and the same as when the routing is spread out.
TEST_P(MoeExpertKernelTest, ConcentratedRoutingLeavesTheRestOfTheGridIdle) {
  std::mt19937_64 rng(Seed() + 22);
  const int64_t T = 11, E = 64, k = 3, K = 48, M = 10, rows = T * k;
  std::vector<int32_t> ids;
  for (int64_t t = 0; t < T; ++t) ids.insert(ids.end(), {40, 7, 63});
  const std::vector<float> x = Random(static_cast<size_t>(T * K), rng);
  const std::vector<uint16_t> w = RandomBf16(static_cast<size_t>(E * M * K), rng);
  DeviceBuffer<int32_t> di(ids), counts(static_cast<size_t>(E)), offsets(static_cast<size_t>(E + 1)),
      pairs(static_cast<size_t>(rows)), prow(static_cast<size_t>(rows));
  DeviceBuffer<float> dx(x), xe(static_cast<size_t>(rows * K)), y(static_cast<size_t>(rows * M));
  DeviceBuffer<__nv_bfloat16> dw(AsBf16(w, 0));
  const MoeShape shape{T, E, k, nullptr};
  const MoeDispatch d{counts.get(), offsets.get(), pairs.get(), prow.get()};
  ASSERT_TRUE(MoeDispatchBuild(di.get(), shape, d, nullptr).ok());
  ASSERT_TRUE(MoeGather(dx.get(), shape, K, d, xe.get(), nullptr).ok());
  y.Poison();
  ASSERT_TRUE(MoeExpertGemv(xe.get(), shape, K, dw.get(), M, d, y.get(), nullptr).ok());
  const std::vector<float> got = y.Download();
  const std::vector<int32_t> pr = pairs.Download();
  std::vector<double> g, ga;
  for (int64_t r = 0; r < rows; ++r) {
    const int32_t p = pr[static_cast<size_t>(r)];
    Products(x, p / k, w, ids[static_cast<size_t>(p)], K, M, &g, &ga);
    for (int64_t m = 0; m < M; ++m) {
      const double diff = std::fabs(got[static_cast<size_t>(r * M + m)] - g[static_cast<size_t>(m)]);
      ASSERT_LE(diff, GpuChain(K) * kU * ga[static_cast<size_t>(m)] + kU * std::fabs(g[static_cast<size_t>(m)]))
          << "row " << r << " m " << m;
    }
  }
}

TEST_P(MoeExpertKernelTest, BadShapesAreInvalidArgument) {
  DeviceBuffer<float> x(64), y(64);
  DeviceBuffer<__nv_bfloat16> w(64);
  DeviceBuffer<int32_t> buf(64);
  const MoeDispatch d{buf.get(), buf.get(), buf.get(), buf.get()};
  EXPECT_EQ(MoeExpertGemv(x.get(), MoeShape{2, 4, 5}, 8, w.get(), 2, d, y.get(), nullptr).code(),
            absl::StatusCode::kInvalidArgument);  // k > E
  EXPECT_EQ(MoeExpertGemv(x.get(), MoeShape{2, 4, 2}, 0, w.get(), 2, d, y.get(), nullptr).code(),
            absl::StatusCode::kInvalidArgument);  // K = 0
  EXPECT_EQ(MoeExpertGateUp(x.get(), MoeShape{2, 4, 2}, 8, w.get(), nullptr, 2, d, y.get(), nullptr).code(),
            absl::StatusCode::kInvalidArgument);  // no up weights
}

INSTANTIATE_TEST_SUITE_P(BothOrders, MoeExpertKernelTest,
                         ::testing::Values(emu::ThreadOrder::kAscending, emu::ThreadOrder::kDescending),
                         [](const auto& info) {
                           return std::string(info.param == emu::ThreadOrder::kAscending ? "Ascending" : "Descending");
                         });

}  // namespace
}  // namespace switchyard::cuda::test
