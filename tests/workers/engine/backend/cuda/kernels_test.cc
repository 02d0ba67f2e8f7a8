// The CUDA backend's kernels, run on the CUDA emulator, against the CPU backend's ops on fresh
// random inputs (the seed is printed; SWITCHYARD_TEST_SEED replays one), for shapes that are
// and are not multiples of the vector width, warp and block, with pointers aligned and not
// (both code paths), outputs poisoned with NaN before every run, in both thread orders.
//
// Tolerances are what a GPU needs, not the emulator, and each is derived beside its check;
// where the arithmetic is the CPU's exactly (the residual add) the check is exact. A deliberately wrong kernel (a tail bug) shows the comparison catches real mistakes.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/kernel_test_util.h"
#include "tests/workers/engine/backend/cuda/test_kernels.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/backend/cuda/kernels/norm.h"
#include "workers/engine/backend/cuda/kernels/rope.h"
#include "workers/engine/backend/cuda/kernels/swiglu.h"

namespace switchyard::cuda::test {
namespace {

// bf16 outputs: the kernel's value must be the CPU's f32 result rounded to bf16, or a
// neighbour of it when the two f32 values straddle a rounding boundary.
::testing::AssertionResult Bf16Close(const std::vector<__nv_bfloat16>& got, const std::vector<float>& want) {
  for (size_t i = 0; i < got.size(); ++i) {
    const int a = __bfloat16_as_ushort(got[i]), b = __bfloat16_as_ushort(__float2bfloat16(want[i]));
    const float g = __bfloat162float(got[i]);
    if (g != g || std::abs(a - b) > 1) {
      return ::testing::AssertionFailure() << "element " << i << ": got bf16 " << g << " (0x" << std::hex << a
                                           << "), want " << want[i] << " (0x" << b << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// A device copy of v starting `offset` floats into its allocation: offset 1 breaks 16-byte
// alignment and forces the kernels' one-column path.
class Placed {
 public:
  Placed(const std::vector<float>& v, int offset) : buf_(v.size() + 1), offset_(offset) {
    buf_.Poison();
    EXPECT_EQ(cudaMemcpy(get(), v.data(), v.size() * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
  }
  float* get() const { return buf_.get() + offset_; }
  void Poison(size_t n) { ASSERT_EQ(cudaMemset(get(), 0xff, n * sizeof(float)), cudaSuccess); }
  std::vector<float> Download(size_t n) const {
    std::vector<float> v(n);
    EXPECT_EQ(cudaMemcpy(v.data(), get(), n * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
    return v;
  }

 private:
  DeviceBuffer<float> buf_;
  int offset_;
};

class KernelTest : public EmuTest, public ::testing::WithParamInterface<emu::ThreadOrder> {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    emu::SetThreadOrder(GetParam());
  }
};

// inv_rms on the GPU is an f32 tree sum of at most a few thousand squares (per thread <= 16
// sequential terms, then two 5-level shuffle trees): relative error <= ~30 * 2^-24 = 1.8e-6,
// halved by the square root, plus rsqrtf's 2 ulp and two rounded products (<= 2.6e-7 each).
// y = w * (x * inv) has only multiplicative errors, so a relative bound: 4e-6.
constexpr double kNormRel = 4e-6;

const std::vector<std::pair<int64_t, int64_t>> kRowShapes = {{1, 1},    {3, 7},    {5, 64},   {2, 1000}, {4, 1023},
                                                             {3, 4096}, {7, 33},   {1, 5120}, {17, 2048}, {2, 4100}};

TEST_P(KernelTest, RmsNormMatchesCpu) {
  std::mt19937_64 rng(Seed());
  SCOPED_TRACE("seed " + std::to_string(Seed()));
  for (auto [rows, n] : kRowShapes) {
    for (int offset : {0, 1}) {
      SCOPED_TRACE("rows " + std::to_string(rows) + " n " + std::to_string(n) + " offset " + std::to_string(offset));
      const size_t total = static_cast<size_t>(rows * n);
      const std::vector<float> x = Random(total, rng, 3.0f), w = Random(static_cast<size_t>(n), rng);
      std::vector<float> want(total);
      cpu::RmsNorm(x.data(), w.data(), want.data(), rows, n, 1e-6f);
      Placed dx(x, offset), dw(w, offset), dy(std::vector<float>(total), offset);
      DeviceBuffer<__nv_bfloat16> dyb(total);
      dy.Poison(total);
      dyb.Poison();
      ASSERT_TRUE(RmsNorm(dx.get(), dw.get(), dy.get(), rows, n, 1e-6f, nullptr).ok());
      ASSERT_TRUE(RmsNorm(dx.get(), dw.get(), dyb.get(), rows, n, 1e-6f, nullptr).ok());
      EXPECT_TRUE(Close(dy.Download(total), want, [&](size_t i) { return kNormRel * std::fabs(want[i]); }));
      EXPECT_TRUE(Bf16Close(dyb.Download(), want));
      EXPECT_EQ(dx.Download(total), x) << "the input is untouched";
    }
  }
}

TEST_P(KernelTest, RmsNormInPlace) {
  std::mt19937_64 rng(Seed() + 1);
  const int64_t rows = 6, n = 768;
  const std::vector<float> x = Random(static_cast<size_t>(rows * n), rng), w = Random(static_cast<size_t>(n), rng);
  std::vector<float> want(x.size());
  cpu::RmsNorm(x.data(), w.data(), want.data(), rows, n, 1e-5f);
  Placed d(x, 0), dw(w, 0);
  ASSERT_TRUE(RmsNorm(d.get(), dw.get(), d.get(), rows, n, 1e-5f, nullptr).ok());
  EXPECT_TRUE(Close(d.Download(x.size()), want, [&](size_t i) { return kNormRel * std::fabs(want[i]); }));
}

TEST_P(KernelTest, AddRmsNormMatchesCpu) {
  std::mt19937_64 rng(Seed() + 2);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 2));
  for (auto [rows, n] : kRowShapes) {
    for (int offset : {0, 1}) {
      SCOPED_TRACE("rows " + std::to_string(rows) + " n " + std::to_string(n) + " offset " + std::to_string(offset));
      const size_t total = static_cast<size_t>(rows * n);
      const std::vector<float> x = Random(total, rng, 2.0f), add = Random(total, rng), w = Random(static_cast<size_t>(n), rng);
      std::vector<float> want_x = x, want(total);
      cpu::AddRmsNorm(want_x.data(), add.data(), w.data(), want.data(), rows, n, 1e-6f);
      for (bool bf16 : {false, true}) {
        Placed dx(x, offset), dadd(add, offset), dw(w, offset), dy(std::vector<float>(total), offset);
        DeviceBuffer<__nv_bfloat16> dyb(total);
        dy.Poison(total);
        dyb.Poison();
        if (bf16) {
          ASSERT_TRUE(AddRmsNorm(dx.get(), dadd.get(), dw.get(), dyb.get(), rows, n, 1e-6f, nullptr).ok());
          EXPECT_TRUE(Bf16Close(dyb.Download(), want));
        } else {
          ASSERT_TRUE(AddRmsNorm(dx.get(), dadd.get(), dw.get(), dy.get(), rows, n, 1e-6f, nullptr).ok());
          EXPECT_TRUE(Close(dy.Download(total), want, [&](size_t i) { return kNormRel * std::fabs(want[i]); }));
        }
        EXPECT_EQ(dx.Download(total), want_x) << "the residual sum is one f32 add: exact";
      }
    }
  }
}

const std::vector<std::tuple<int64_t, int64_t, int64_t>> kHeadShapes = {
    {1, 1, 2}, {3, 2, 64}, {5, 8, 128}, {2, 3, 96}, {4, 16, 128}, {7, 5, 256}, {3, 1, 34}, {9, 7, 128}};

// cos/sin of random angles for each token, [rows, dim/2].
void Angles(int64_t rows, int64_t dim, std::mt19937_64& rng, std::vector<float>& cos, std::vector<float>& sin) {
  std::uniform_real_distribution<float> a(-3.2f, 3.2f);
  cos.resize(static_cast<size_t>(rows * dim / 2));
  sin.resize(cos.size());
  for (size_t i = 0; i < cos.size(); ++i) {
    const float t = a(rng);
    cos[i] = std::cos(t);
    sin[i] = std::sin(t);
  }
}

// Rotations keep a^2 + b^2, so |a| + |b| <= sqrt(2) * (|out_i| + |out_pair|) bounds the inputs
// of output i from the outputs. Tolerance for element i of a head of `dim` values: `rel` times
// the inputs' size, plus one ulp of the output.
double PairTol(const std::vector<float>& want, size_t i, int64_t dim, double rel) {
  const int64_t half = dim / 2;
  const size_t pair = (static_cast<int64_t>(i) % dim) < half ? i + static_cast<size_t>(half) : i - static_cast<size_t>(half);
  return 1.5 * rel * (std::fabs(want[i]) + std::fabs(want[pair])) + 0x1p-23 * std::fabs(want[i]) + 1e-30;
}

TEST_P(KernelTest, RopeMatchesCpu) {
  std::mt19937_64 rng(Seed() + 3);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 3));
  for (auto [rows, heads, dim] : kHeadShapes) {
    SCOPED_TRACE("rows " + std::to_string(rows) + " heads " + std::to_string(heads) + " dim " + std::to_string(dim));
    std::vector<float> x = Random(static_cast<size_t>(rows * heads * dim), rng), cos, sin;
    Angles(rows, dim, rng, cos, sin);
    DeviceBuffer<float> dx(x), dc(cos), ds(sin);
    cpu::Rope(x.data(), rows, heads, dim, cos.data(), sin.data());
    ASSERT_TRUE(Rope(dx.get(), rows, heads, dim, dc.get(), ds.get(), nullptr).ok());
    // a*c - b*s with or without a fused multiply-add (either side may fuse): the results differ
    // by one rounding of a product, 2^-24 * (|a| + |b|) since |c|, |s| <= 1, plus one ulp of the
    // result where the two unrounded sums straddle a rounding boundary.
    const std::vector<float> got = dx.Download();
    const int64_t d = dim;  // clang 14 cannot capture a structured binding in a lambda
    EXPECT_TRUE(Close(got, x, [&](size_t i) { return PairTol(x, i, d, 0x1p-24); }));
  }
}

TEST_P(KernelTest, HeadNormRopeMatchesCpu) {
  std::mt19937_64 rng(Seed() + 4);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 4));
  for (auto [rows, heads, dim] : kHeadShapes) {
    SCOPED_TRACE("rows " + std::to_string(rows) + " heads " + std::to_string(heads) + " dim " + std::to_string(dim));
    const std::vector<float> x = Random(static_cast<size_t>(rows * heads * dim), rng, 5.0f);
    const std::vector<float> w = Random(static_cast<size_t>(dim), rng);
    std::vector<float> cos, sin, want = x;
    Angles(rows, dim, rng, cos, sin);
    DeviceBuffer<float> dx(x), dw(w), dc(cos), ds(sin);
    cpu::HeadNormRope(want.data(), w.data(), rows, heads, dim, 1e-6f, cos.data(), sin.data());
    ASSERT_TRUE(HeadNormRope(dx.get(), dw.get(), rows, heads, dim, 1e-6f, dc.get(), ds.get(), nullptr).ok());
    // The normalised pair (a, b) carries inv_rms's relative error (kNormRel), which the
    // rotation turns into an absolute error <= kNormRel * (|a| + |b|); the rotation's own
    // rounding (2^-24, as in Rope) is well inside that.
    const int64_t d = dim;
    EXPECT_TRUE(Close(dx.Download(), want, [&](size_t i) { return PairTol(want, i, d, kNormRel + 0x1p-24); }));
  }
}

TEST_P(KernelTest, SiluMulMatchesCpu) {
  std::mt19937_64 rng(Seed() + 5);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 5));
  for (int64_t n : {1, 3, 4, 257, 1000, 1001, 12290, 100000}) {
    for (int offset : {0, 1}) {
      SCOPED_TRACE("n " + std::to_string(n) + " offset " + std::to_string(offset));
      const std::vector<float> g = Random(static_cast<size_t>(n), rng, 4.0f), u = Random(static_cast<size_t>(n), rng);
      std::vector<float> want = g;
      cpu::SiluMul(want.data(), u.data(), n);
      Placed dg(g, offset), du(u, offset), dout(std::vector<float>(static_cast<size_t>(n)), offset);
      DeviceBuffer<__nv_bfloat16> dob(static_cast<size_t>(n));
      dout.Poison(static_cast<size_t>(n));
      dob.Poison();
      ASSERT_TRUE(SiluMul(dg.get(), du.get(), dout.get(), n, nullptr).ok());
      ASSERT_TRUE(SiluMul(dg.get(), du.get(), dob.get(), n, nullptr).ok());
      // expf within 2 ulp, 1 + e, a correctly rounded division and product: <= ~5 ulp = 6e-7.
      EXPECT_TRUE(Close(dout.Download(static_cast<size_t>(n)), want, [&](size_t i) { return 1e-6 * std::fabs(want[i]) + 1e-30; }));
      EXPECT_TRUE(Bf16Close(dob.Download(), want));
      // In place, as the CPU op runs.
      ASSERT_TRUE(SiluMul(dg.get(), du.get(), dg.get(), n, nullptr).ok());
      EXPECT_TRUE(Close(dg.Download(static_cast<size_t>(n)), want, [&](size_t i) { return 1e-6 * std::fabs(want[i]) + 1e-30; }));
    }
  }
}

TEST_P(KernelTest, BadShapesAreInvalidArgument) {
  DeviceBuffer<float> d(64);
  EXPECT_EQ(RmsNorm(d.get(), d.get(), d.get(), 1, 0, 1e-6f, nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RmsNorm(d.get(), d.get(), d.get(), -1, 4, 1e-6f, nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HeadNormRope(d.get(), d.get(), 1, 1, 7, 1e-6f, d.get(), d.get(), nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SiluMul(d.get(), d.get(), d.get(), -1, nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RmsNorm(d.get(), d.get(), d.get(), 0, 4, 1e-6f, nullptr).ok()) << "no rows: nothing to do";
}

TEST_P(KernelTest, LaunchFaultsBecomeStatusesNamingTheKernel) {
  DeviceBuffer<float> w(16);  // allocated first, so it cannot reuse the freed block
  float* freed = nullptr;
  ASSERT_EQ(cudaMalloc(&freed, 64 * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaFree(freed), cudaSuccess);
  const absl::Status s = RmsNorm(freed, w.get(), freed, 4, 16, 1e-6f, nullptr);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("RmsNorm: cudaErrorIllegalAddress"), std::string::npos) << s;
  EXPECT_NE(s.message().find("RmsNormKernel"), std::string::npos) << s;
}

// The comparison used above is not a rubber stamp: an RmsNorm that leaves the last n % 4
// columns unnormalised passes where it is right (n % 4 == 0) and is caught where it is not.
TEST_P(KernelTest, ComparisonCatchesAKernelWithATailBug) {
  std::mt19937_64 rng(Seed() + 6);
  for (auto [n, caught] : {std::pair{64, false}, {67, true}}) {
    const int rows = 3;
    const std::vector<float> x = Random(static_cast<size_t>(rows * n), rng), w = Random(static_cast<size_t>(n), rng);
    std::vector<float> want(x.size());
    cpu::RmsNorm(x.data(), w.data(), want.data(), rows, n, 1e-6f);
    DeviceBuffer<float> dx(x), dw(w), dy(x.size());
    for (int variant : {0, 1}) {
      dy.Poison();
      ASSERT_EQ(TailBugRmsNorm(dx.get(), dw.get(), dy.get(), rows, n, 1e-6f, variant), cudaSuccess);
      const bool close = Close(dy.Download(), want, [&](size_t i) { return kNormRel * std::fabs(want[i]); });
      EXPECT_EQ(close, variant == 0 || !caught) << "n " << n << " variant " << variant;
    }
  }
  // And an element the kernel never writes stays poisoned: NaN never compares close.
  EXPECT_FALSE(Close({NAN}, {0.0f}, [](size_t) { return 1e30; }));
}

INSTANTIATE_TEST_SUITE_P(BothOrders, KernelTest,
                         ::testing::Values(emu::ThreadOrder::kAscending, emu::ThreadOrder::kDescending),
                         [](const auto& info) {
                           return std::string(info.param == emu::ThreadOrder::kAscending ? "Ascending" : "Descending");
                         });

}  // namespace
}  // namespace switchyard::cuda::test
