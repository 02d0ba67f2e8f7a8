// The CUDA backend's per-token model kernels (moe, embedding, sampling, gemv), run on the CUDA
// emulator against the CPU backend's computation on fresh random inputs (the seed is printed;
// SWITCHYARD_TEST_SEED replays one): shapes that are and are not multiples of the warp, block,
// vector and chunk sizes, pointers aligned and not (both code paths), outputs poisoned before
// every run (0xFF bytes: NaN for floats, -1 for ints), in both thread orders.
//
// Where the arithmetic is the CPU's exactly the checks are exact: router top-k ids (ties
// included), dispatch counts, offsets and permutation, gathers, embedding rows, arg-max.
// Elsewhere each tolerance is derived beside its check, for a GPU, not for the emulator. Two
// deliberately wrong variants (a GEMV that drops the last column, an arg-max that takes the last
// of equal values) show the checks catch real mistakes.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/kernel_test_util.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/backend/cuda/kernels/embedding.h"
#include "workers/engine/backend/cuda/kernels/gemv.h"
#include "workers/engine/backend/cuda/kernels/moe.h"
#include "workers/engine/backend/cuda/kernels/sampling.h"
#include "workers/engine/sampling/sampler.h"
#include "workers/engine/sampling/sampling_params.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::cuda::test {
namespace {

constexpr double kU = 0x1p-24;  // f32 unit roundoff

// Small integers: many exact ties.
std::vector<float> RandomTies(size_t n, std::mt19937_64& rng, int levels) {
  std::uniform_int_distribution<int> d(0, levels - 1);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(d(rng));
  return v;
}

// Bit-for-bit equality of float arrays (NaN-safe, -0 != +0).
::testing::AssertionResult SameBits(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "size " << got.size() << " vs " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0) {
      return ::testing::AssertionFailure() << "element " << i << ": got " << got[i] << ", want " << want[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// A device array of T whose data starts `offset` elements into its allocation (offset 1 breaks
// 16-byte alignment and forces the kernels' one-element paths), poisoned until uploaded.
template <class T>
class Placed {
 public:
  Placed(size_t n, int offset) : buf_(n + 8), n_(n), offset_(offset) { buf_.Poison(); }
  Placed(const std::vector<T>& v, int offset) : Placed(v.size(), offset) { Upload(v); }
  T* get() const { return buf_.get() + offset_; }
  void Upload(const std::vector<T>& v) {
    ASSERT_EQ(v.size(), n_);
    ASSERT_EQ(cudaMemcpy(get(), v.data(), n_ * sizeof(T), cudaMemcpyHostToDevice), cudaSuccess);
  }
  void Poison() { ASSERT_EQ(cudaMemset(get(), 0xff, n_ * sizeof(T)), cudaSuccess); }
  std::vector<T> Download() const {
    std::vector<T> v(n_);
    EXPECT_EQ(cudaMemcpy(v.data(), get(), n_ * sizeof(T), cudaMemcpyDeviceToHost), cudaSuccess);
    return v;
  }

 private:
  DeviceBuffer<T> buf_;
  size_t n_;
  int offset_;
};

class ModelKernelTest : public EmuTest, public ::testing::WithParamInterface<emu::ThreadOrder> {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    emu::SetThreadOrder(GetParam());
  }
};

// ---------------------------------------------------------------------------------------------
// MoE router: the CPU's own router (cpu::RouterTopK, which Qwen3Runner::Moe calls), collected
// into the output containers.
struct Routed {
  std::vector<int32_t> ids;  // [T, k] in the CPU's order (p descending, id ascending)
  std::vector<float> weights;
  std::vector<std::vector<std::pair<int64_t, float>>> lists;  // per expert: (token, weight), tokens ascending
};

Routed CpuRouter(std::vector<float> router, int64_t T, int64_t E, int64_t k, bool norm_topk_prob) {
  Routed out;
  out.lists.resize(static_cast<size_t>(E));
  std::vector<int64_t> order, ids(static_cast<size_t>(k));
  std::vector<float> weights(static_cast<size_t>(k));
  for (int64_t t = 0; t < T; ++t) {
    cpu::RouterTopK(router.data() + t * E, E, k, norm_topk_prob, ids.data(), weights.data(), &order);
    for (int64_t j = 0; j < k; ++j) {
      const int64_t e = ids[static_cast<size_t>(j)];
      const float w = weights[static_cast<size_t>(j)];
      out.lists[static_cast<size_t>(e)].emplace_back(t, w);
      out.ids.push_back(static_cast<int32_t>(e));
      out.weights.push_back(w);
    }
  }
  return out;
}

struct RouterCase {
  int64_t T, E, k;
};
const std::vector<RouterCase> kRouterCases = {{1, 8, 2},   {5, 16, 4},   {37, 60, 4}, {13, 128, 8}, {9, 100, 3},
                                              {3, 33, 32}, {6, 256, 8},  {4, 200, 1}, {2, 2, 2},    {11, 255, 9}};

// Runs RouterTopK on `logits` and checks it against the CPU: ids exactly; weights within 8 ulp
// (a GPU's expf is within 2 ulp of glibc's, which moves p by <= 3 ulp after the f32 scale, the
// renormalising sum of <= 32 such values and the division add about 4 more; the emulator
// matches the CPU exactly).
void CheckRouter(const std::vector<float>& logits, const RouterCase& c, bool renorm) {
  const Routed want = CpuRouter(logits, c.T, c.E, c.k, renorm);
  DeviceBuffer<float> dl(logits), dw(static_cast<size_t>(c.T * c.k));
  DeviceBuffer<int32_t> di(static_cast<size_t>(c.T * c.k));
  dw.Poison();
  di.Poison();
  ASSERT_TRUE(RouterTopK(dl.get(), MoeShape{c.T, c.E, c.k}, renorm, di.get(), dw.get(), nullptr).ok());
  EXPECT_EQ(di.Download(), want.ids);
  EXPECT_TRUE(Close(dw.Download(), want.weights, [&](size_t i) { return 8 * kU * want.weights[i]; }));
}

TEST_P(ModelKernelTest, RouterTopKMatchesCpu) {
  std::mt19937_64 rng(Seed());
  SCOPED_TRACE("seed " + std::to_string(Seed()));
  for (const RouterCase& c : kRouterCases) {
    for (bool renorm : {true, false}) {
      SCOPED_TRACE("T " + std::to_string(c.T) + " E " + std::to_string(c.E) + " k " + std::to_string(c.k) +
                   (renorm ? " renormalized" : ""));
      CheckRouter(Random(static_cast<size_t>(c.T * c.E), rng, 2.0f), c, renorm);
    }
  }
}

// Equal logits give equal p on both sides, bit for bit; the CPU then takes the lower id first.
// Random small integers make ties everywhere: inside a lane's experts (e, e + 32), across
// lanes, and straddling the k-th place.
TEST_P(ModelKernelTest, RouterTopKTiesTakeTheLowerIdFirst) {
  std::mt19937_64 rng(Seed() + 1);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 1));
  for (const RouterCase& c : kRouterCases) {
    SCOPED_TRACE("T " + std::to_string(c.T) + " E " + std::to_string(c.E) + " k " + std::to_string(c.k));
    CheckRouter(RandomTies(static_cast<size_t>(c.T * c.E), rng, 3), c, true);
  }
  // All equal: ids 0..k-1 in order, weights 1/k.
  const RouterCase flat{2, 70, 5};
  const std::vector<float> same(static_cast<size_t>(flat.T * flat.E), 0.25f);
  CheckRouter(same, flat, true);
  // A hand-made row: the maxima at 40, 3 and 67 (all 5.0), then 1.0 at 8 and 72.
  std::vector<float> row(100, -1.0f);
  row[67] = row[3] = row[40] = 5.0f;
  row[72] = row[8] = 1.0f;
  DeviceBuffer<float> dl(row), dw(5);
  DeviceBuffer<int32_t> di(5);
  di.Poison();
  ASSERT_TRUE(RouterTopK(dl.get(), MoeShape{1, 100, 5}, false, di.get(), dw.get(), nullptr).ok());
  EXPECT_EQ(di.Download(), (std::vector<int32_t>{3, 40, 67, 8, 72}));
}

// With the live count on the device, tokens past it are left alone (a graph sized for the
// worst case, run for fewer tokens).
TEST_P(ModelKernelTest, RouterTopKReadsTheLiveTokenCountFromTheDevice) {
  std::mt19937_64 rng(Seed() + 2);
  const RouterCase c{13, 60, 4};
  const int32_t live = 9;
  const std::vector<float> logits = Random(static_cast<size_t>(c.T * c.E), rng);
  const Routed want = CpuRouter(logits, c.T, c.E, c.k, true);
  DeviceBuffer<float> dl(logits), dw(static_cast<size_t>(c.T * c.k));
  DeviceBuffer<int32_t> di(static_cast<size_t>(c.T * c.k)), dn(std::vector<int32_t>{live});
  di.Poison();
  ASSERT_TRUE(RouterTopK(dl.get(), MoeShape{c.T, c.E, c.k, dn.get()}, true, di.get(), dw.get(), nullptr).ok());
  const std::vector<int32_t> got = di.Download();
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], i < static_cast<size_t>(live * c.k) ? want.ids[i] : -1) << "slot " << i;
  }
}

// ---------------------------------------------------------------------------------------------
// Dispatch, gather and combine.

// What the CPU's per-expert lists say the dispatch buffers must hold.
struct WantDispatch {
  std::vector<int32_t> counts, offsets, pairs, rows;
};

WantDispatch CpuDispatch(const std::vector<int32_t>& ids, int64_t T, int64_t E, int64_t k) {
  WantDispatch w;
  std::vector<std::vector<int32_t>> lists(static_cast<size_t>(E));
  w.rows.assign(static_cast<size_t>(T * k), -1);
  for (int64_t p = 0; p < T * k; ++p) {  // tokens ascending, as Qwen3Runner::Moe appends them
    const int32_t e = ids[static_cast<size_t>(p)];
    if (e >= 0 && e < E) lists[static_cast<size_t>(e)].push_back(static_cast<int32_t>(p));
  }
  w.offsets.push_back(0);
  for (const auto& l : lists) {
    w.counts.push_back(static_cast<int32_t>(l.size()));
    for (int32_t p : l) {
      w.rows[static_cast<size_t>(p)] = static_cast<int32_t>(w.pairs.size());
      w.pairs.push_back(p);
    }
    w.offsets.push_back(static_cast<int32_t>(w.pairs.size()));
  }
  return w;
}

// Distinct experts per token, uniformly.
std::vector<int32_t> RandomChoices(int64_t T, int64_t E, int64_t k, std::mt19937_64& rng) {
  std::vector<int32_t> ids, all(static_cast<size_t>(E));
  for (int64_t t = 0; t < T; ++t) {
    std::iota(all.begin(), all.end(), 0);
    std::shuffle(all.begin(), all.end(), rng);
    ids.insert(ids.end(), all.begin(), all.begin() + k);
  }
  return ids;
}

// Device buffers of one dispatch, poisoned.
struct DispatchBuffers {
  DispatchBuffers(int64_t T, int64_t E, int64_t k)
      : counts(static_cast<size_t>(E)), offsets(static_cast<size_t>(E + 1)), pairs(static_cast<size_t>(T * k)),
        rows(static_cast<size_t>(T * k)) {
    counts.Poison();
    offsets.Poison();
    pairs.Poison();
    rows.Poison();
  }
  MoeDispatch View() const { return MoeDispatch{counts.get(), offsets.get(), pairs.get(), rows.get()}; }
  DeviceBuffer<int32_t> counts, offsets, pairs, rows;
};

// The CPU's combine: tmp = 0, then for each expert in ascending id, AxpyInPlace of each of its
// tokens' outputs (Qwen3Runner::Moe's last step). `ye` rows are in expert order (`rows`).
std::vector<float> CpuCombine(const std::vector<float>& ye, const std::vector<float>& weights, const WantDispatch& d, int64_t T, int64_t E,
                              int64_t k, int64_t h, std::vector<float>* bound) {
  std::vector<float> y(static_cast<size_t>(T * h), 0.0f);
  bound->assign(y.size(), 0.0);
  for (int64_t e = 0; e < E; ++e) {
    for (int32_t r = d.offsets[static_cast<size_t>(e)]; r < d.offsets[static_cast<size_t>(e + 1)]; ++r) {
      const int32_t p = d.pairs[static_cast<size_t>(r)];
      const int64_t t = p / k;
      const float w = weights[static_cast<size_t>(p)];
      cpu::AxpyInPlace(y.data() + t * h, w, ye.data() + r * h, h);
      for (int64_t i = 0; i < h; ++i) (*bound)[static_cast<size_t>(t * h + i)] += std::fabs(w * ye[static_cast<size_t>(r * h + i)]);
    }
  }
  return y;
}

struct DispatchCase {
  int64_t T, E, k, h;
};
const std::vector<DispatchCase> kDispatchCases = {{1, 8, 2, 64},    {7, 16, 4, 33},  {33, 60, 4, 100},
                                                  {50, 128, 8, 129}, {5, 4, 4, 8},   {40, 3, 1, 1},
                                                  {20, 250, 6, 260}, {3, 40, 32, 36}};

TEST_P(ModelKernelTest, DispatchGatherCombineMatchCpu) {
  std::mt19937_64 rng(Seed() + 3);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 3));
  for (const DispatchCase& c : kDispatchCases) {
    for (int offset : {0, 1}) {
      SCOPED_TRACE("T " + std::to_string(c.T) + " E " + std::to_string(c.E) + " k " + std::to_string(c.k) + " h " +
                   std::to_string(c.h) + " offset " + std::to_string(offset));
      const size_t pairs = static_cast<size_t>(c.T * c.k);
      const std::vector<int32_t> ids = RandomChoices(c.T, c.E, c.k, rng);
      std::vector<float> weights = Random(pairs, rng);
      for (float& w : weights) w = std::fabs(w);
      const WantDispatch want = CpuDispatch(ids, c.T, c.E, c.k);
      const MoeShape shape{c.T, c.E, c.k};
      DeviceBuffer<int32_t> di(ids);
      DeviceBuffer<float> dw(weights);
      DispatchBuffers d(c.T, c.E, c.k);
      ASSERT_TRUE(MoeDispatchBuild(di.get(), shape, d.View(), nullptr).ok());
      EXPECT_EQ(d.counts.Download(), want.counts);
      EXPECT_EQ(d.offsets.Download(), want.offsets);
      EXPECT_EQ(d.pairs.Download(), want.pairs);
      EXPECT_EQ(d.rows.Download(), want.rows);

      // Gather: row r of xe is token pairs[r] / k's row of x, exactly (bf16: x rounded once).
      const std::vector<float> x = Random(static_cast<size_t>(c.T * c.h), rng);
      std::vector<float> want_xe(pairs * static_cast<size_t>(c.h));
      std::vector<__nv_bfloat16> x16(x.size()), want_xe16(want_xe.size());
      for (size_t i = 0; i < x.size(); ++i) x16[i] = __float2bfloat16(x[i]);
      for (size_t r = 0; r < pairs; ++r) {
        const size_t t = static_cast<size_t>(want.pairs[r] / c.k), h = static_cast<size_t>(c.h);
        std::copy(x.begin() + t * h, x.begin() + (t + 1) * h, want_xe.begin() + r * h);
        std::copy(x16.begin() + t * h, x16.begin() + (t + 1) * h, want_xe16.begin() + r * h);
      }
      Placed<float> dx(x, offset), dxe(want_xe.size(), offset);
      Placed<__nv_bfloat16> dx16(x16, offset), dxe16(want_xe.size(), offset);
      ASSERT_TRUE(MoeGather(dx.get(), shape, c.h, d.View(), dxe.get(), nullptr).ok());
      EXPECT_TRUE(SameBits(dxe.Download(), want_xe));
      ASSERT_TRUE(MoeGather(dx.get(), shape, c.h, d.View(), dxe16.get(), nullptr).ok());
      std::vector<__nv_bfloat16> got16 = dxe16.Download();
      EXPECT_EQ(0, std::memcmp(got16.data(), want_xe16.data(), got16.size() * 2)) << "f32 -> bf16 gather";
      dxe16.Poison();
      ASSERT_TRUE(MoeGather(dx16.get(), shape, c.h, d.View(), dxe16.get(), nullptr).ok());
      got16 = dxe16.Download();
      EXPECT_EQ(0, std::memcmp(got16.data(), want_xe16.data(), got16.size() * 2)) << "bf16 -> bf16 gather";

      // Combine: the CPU's order, so the only difference is whether each w*y is fused into its
      // add (nvcc fuses; the CPU's AxpyInPlace may). Each of the k steps then differs by at most
      // one rounding of a product, u*|w*y|, carried through the later adds (each a relative u):
      // |diff| <= 2 * (k + 1) * u * sum_j |w_j y_j|.
      const std::vector<float> ye = Random(pairs * static_cast<size_t>(c.h), rng);
      std::vector<float> bound;
      const std::vector<float> want_y = CpuCombine(ye, weights, want, c.T, c.E, c.k, c.h, &bound);
      Placed<float> dye(ye, offset), dy(want_y.size(), offset);
      ASSERT_TRUE(MoeCombine(dye.get(), dw.get(), di.get(), shape, c.h, d.View(), dy.get(), nullptr).ok());
      const std::vector<float> got_y = dy.Download();
      EXPECT_TRUE(Close(got_y, want_y, [&](size_t i) { return 2.0 * (c.k + 1) * kU * bound[i] + 1e-30; }));
      // Reproducible: the other thread order gives the same bits.
      emu::SetThreadOrder(GetParam() == emu::ThreadOrder::kAscending ? emu::ThreadOrder::kDescending
                                                                     : emu::ThreadOrder::kAscending);
      dy.Poison();
      ASSERT_TRUE(MoeCombine(dye.get(), dw.get(), di.get(), shape, c.h, d.View(), dy.get(), nullptr).ok());
      EXPECT_TRUE(SameBits(dy.Download(), got_y));
      emu::SetThreadOrder(GetParam());
      // With power-of-two weights every w*y is exact, fused or not, so only the order of the
      // adds is left: it must be the CPU's, bit for bit (a combine summing the experts in any
      // other order fails here).
      std::vector<float> pow2(pairs);
      std::uniform_int_distribution<int> exponent(-3, 3);
      for (float& w : pow2) w = std::ldexp(1.0f, exponent(rng));
      DeviceBuffer<float> dw2(pow2);
      dy.Poison();
      ASSERT_TRUE(MoeCombine(dye.get(), dw2.get(), di.get(), shape, c.h, d.View(), dy.get(), nullptr).ok());
      EXPECT_TRUE(SameBits(dy.Download(), CpuCombine(ye, pow2, want, c.T, c.E, c.k, c.h, &bound)))
          << "power-of-two weights";
    }
  }
}

// The full router -> dispatch chain with the live count on the device and ids the CPU router
// chose (ties included): the buffers match the CPU's lists, and entries past the live tokens
// (the worst case's tail) are not touched.
TEST_P(ModelKernelTest, RouterThenDispatchWithLiveCount) {
  std::mt19937_64 rng(Seed() + 4);
  const int64_t T = 21, E = 40, k = 6, h = 24;
  const int32_t live = 17;
  const std::vector<float> logits = RandomTies(static_cast<size_t>(T * E), rng, 4);
  const Routed cpu = CpuRouter(logits, live, E, k, true);
  const MoeShape shape{T, E, k, nullptr};
  DeviceBuffer<int32_t> dn(std::vector<int32_t>{live}), di(static_cast<size_t>(T * k));
  DeviceBuffer<float> dl(logits), dw(static_cast<size_t>(T * k));
  di.Poison();
  MoeShape live_shape = shape;
  live_shape.num_tokens = dn.get();
  ASSERT_TRUE(RouterTopK(dl.get(), live_shape, true, di.get(), dw.get(), nullptr).ok());
  DispatchBuffers d(T, E, k);
  ASSERT_TRUE(MoeDispatchBuild(di.get(), live_shape, d.View(), nullptr).ok());
  const WantDispatch want = CpuDispatch(cpu.ids, live, E, k);
  EXPECT_EQ(d.counts.Download(), want.counts);
  EXPECT_EQ(d.offsets.Download(), want.offsets);
  std::vector<int32_t> pairs = d.pairs.Download(), rows = d.rows.Download();
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(pairs[i], i < want.pairs.size() ? want.pairs[i] : -1) << "row " << i;
    EXPECT_EQ(rows[i], i < want.rows.size() ? want.rows[i] : -1) << "pair " << i;
  }
  // Per expert, the CPU's lists: the same tokens in the same order with the same weights.
  const std::vector<float> w = dw.Download();
  for (int64_t e = 0; e < E; ++e) {
    const auto& list = cpu.lists[static_cast<size_t>(e)];
    ASSERT_EQ(static_cast<size_t>(want.counts[static_cast<size_t>(e)]), list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      const int32_t p = pairs[static_cast<size_t>(want.offsets[static_cast<size_t>(e)]) + i];
      EXPECT_EQ(p / k, list[i].first);
      EXPECT_NEAR(w[static_cast<size_t>(p)], list[i].second, 8 * kU * list[i].second);
    }
  }
  // The gather fills exactly offsets[E] rows and leaves the worst case's tail poisoned.
  const std::vector<float> x = Random(static_cast<size_t>(T * h), rng);
  DeviceBuffer<float> dx(x), dxe(static_cast<size_t>(T * k * h));
  dxe.Poison();
  ASSERT_TRUE(MoeGather(dx.get(), shape, h, d.View(), dxe.get(), nullptr).ok());
  const std::vector<float> xe = dxe.Download();
  for (size_t r = 0; r < static_cast<size_t>(T * k); ++r) {
    for (size_t i = 0; i < static_cast<size_t>(h); ++i) {
      const float g = xe[r * h + i];
      if (r < want.pairs.size()) {
        ASSERT_EQ(g, x[static_cast<size_t>(want.pairs[r] / k) * h + i]) << "row " << r;
      } else {
        ASSERT_TRUE(std::isnan(g)) << "row " << r << " past offsets[E] was written";
      }
    }
  }
  // The combine writes the live tokens only.
  DeviceBuffer<float> dye(Random(static_cast<size_t>(T * k * h), rng)), dy(static_cast<size_t>(T * h));
  dy.Poison();
  ASSERT_TRUE(MoeCombine(dye.get(), dw.get(), di.get(), live_shape, h, d.View(), dy.get(), nullptr).ok());
  const std::vector<float> y = dy.Download();
  for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(std::isnan(y[i]), i >= static_cast<size_t>(live * h)) << i;
}

// Ids outside [0, E) are routed nowhere and never read out of bounds; the combine skips them.
TEST_P(ModelKernelTest, DispatchDropsInvalidExpertIds) {
  const int64_t T = 3, E = 5, k = 2, h = 4;
  const std::vector<int32_t> ids = {4, -1, 0, 5, 2, 4};
  const WantDispatch want = CpuDispatch(ids, T, E, k);
  DeviceBuffer<int32_t> di(ids);
  DispatchBuffers d(T, E, k);
  ASSERT_TRUE(MoeDispatchBuild(di.get(), MoeShape{T, E, k}, d.View(), nullptr).ok());
  EXPECT_EQ(d.counts.Download(), (std::vector<int32_t>{1, 0, 1, 0, 2}));
  EXPECT_EQ(d.offsets.Download(), (std::vector<int32_t>{0, 1, 1, 2, 2, 4}));
  EXPECT_EQ(d.rows.Download(), want.rows);
  EXPECT_EQ(d.rows.Download(), (std::vector<int32_t>{2, -1, 0, -1, 1, 3}));
  std::vector<float> ye(static_cast<size_t>(T * k * h));
  for (size_t i = 0; i < ye.size(); ++i) ye[i] = static_cast<float>(i / h + 1);  // row r holds r + 1
  DeviceBuffer<float> dye(ye), dw(std::vector<float>{0.5f, 100.0f, 1.0f, 100.0f, 2.0f, 0.25f}),
      dy(static_cast<size_t>(T * h));
  dy.Poison();
  ASSERT_TRUE(MoeCombine(dye.get(), dw.get(), di.get(), MoeShape{T, E, k}, h, d.View(), dy.get(), nullptr).ok());
  // token 0: 0.5 * row 2 (3); token 1: 1 * row 0 (1); token 2: 2 * row 1 (2) + 0.25 * row 3 (4).
  EXPECT_EQ(dy.Download(), (std::vector<float>{1.5f, 1.5f, 1.5f, 1.5f, 1, 1, 1, 1, 5, 5, 5, 5}));
}

// ---------------------------------------------------------------------------------------------
// Embedding.

template <class T>
std::vector<T> FromBits(const std::vector<uint16_t>& bits) {
  std::vector<T> v(bits.size());
  std::memcpy(v.data(), bits.data(), bits.size() * 2);
  return v;
}

TEST_P(ModelKernelTest, EmbeddingMatchesCpu) {
  std::mt19937_64 rng(Seed() + 5);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 5));
  for (int64_t hidden : {1, 7, 8, 12, 64, 100, 1030}) {
    const int64_t vocab = hidden < 1000 ? 5000 : 600;  // the table's size, not the kernel, costs time here
    for (int offset : {0, 1}) {
      SCOPED_TRACE("hidden " + std::to_string(hidden) + " offset " + std::to_string(offset));
      const int64_t T = 9;
      std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(vocab - 1));
      std::vector<int32_t> ids(static_cast<size_t>(T));
      for (int32_t& id : ids) id = pick(rng);
      ids[3] = ids[1];  // a repeated token
      ids[4] = 0;
      ids[5] = static_cast<int32_t>(vocab - 1);
      const std::vector<float> table = Random(static_cast<size_t>(vocab * hidden), rng, 3.0f);
      std::vector<uint16_t> bf16(table.size()), f16(table.size());
      for (size_t i = 0; i < table.size(); ++i) {
        bf16[i] = F32ToBf16(table[i]);
        f16[i] = F32ToF16(table[i]);
      }
      const std::pair<DType, const void*> tables[] = {
          {DType::kF32, table.data()}, {DType::kBF16, bf16.data()}, {DType::kF16, f16.data()}};
      DeviceBuffer<int32_t> di(ids), derr(std::vector<int32_t>{0});
      Placed<float> dt32(table, offset);
      Placed<__nv_bfloat16> dt16(FromBits<__nv_bfloat16>(bf16), offset);
      Placed<__half> dth(FromBits<__half>(f16), offset);
      for (const auto& [type, host] : tables) {
        std::vector<float> want(static_cast<size_t>(T * hidden));
        for (int64_t t = 0; t < T; ++t) {
          const size_t row = static_cast<size_t>(ids[static_cast<size_t>(t)] * hidden);
          cpu::ToF32(static_cast<const char*>(host) + row * DTypeSize(type), type, want.data() + t * hidden, hidden);
        }
        Placed<float> dout(want.size(), offset);
        const EmbeddingArgs a{di.get(), T, nullptr, vocab, hidden, dout.get(), derr.get()};
        absl::Status s = type == DType::kF32    ? Embedding(a, dt32.get(), nullptr)
                         : type == DType::kBF16 ? Embedding(a, dt16.get(), nullptr)
                                                : Embedding(a, dth.get(), nullptr);
        ASSERT_TRUE(s.ok()) << s;
        EXPECT_TRUE(SameBits(dout.Download(), want)) << "dtype " << static_cast<int>(type);
      }
      EXPECT_EQ(derr.Download()[0], 0);
    }
  }
}

TEST_P(ModelKernelTest, EmbeddingFlagsOutOfRangeIdsWithoutReadingThem) {
  std::mt19937_64 rng(Seed() + 6);
  const int64_t vocab = 50, hidden = 16, T = 6, live = 5;
  const std::vector<int32_t> ids = {7, -1, 50, 49, std::numeric_limits<int32_t>::max(), 3};
  const std::vector<float> table = Random(static_cast<size_t>(vocab * hidden), rng);
  DeviceBuffer<int32_t> di(ids), derr(std::vector<int32_t>{0}), dn(std::vector<int32_t>{live});
  DeviceBuffer<float> dt(table), dout(static_cast<size_t>(T * hidden));
  dout.Poison();
  ASSERT_TRUE(Embedding(EmbeddingArgs{di.get(), T, dn.get(), vocab, hidden, dout.get(), derr.get()}, dt.get(), nullptr)
                  .ok());
  EXPECT_EQ(derr.Download()[0], 1);
  const std::vector<float> out = dout.Download();
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t i = 0; i < hidden; ++i) {
      const float g = out[static_cast<size_t>(t * hidden + i)];
      const int32_t id = ids[static_cast<size_t>(t)];
      if (t >= live) {
        EXPECT_TRUE(std::isnan(g)) << "token " << t << " is past the live count";
      } else if (id < 0 || id >= vocab) {
        EXPECT_EQ(g, 0.0f) << "token " << t;
      } else {
        EXPECT_EQ(g, table[static_cast<size_t>(id * hidden + i)]) << "token " << t;
      }
    }
  }
  // No flag for good ids, and the flag stays once set (the caller clears it).
  DeviceBuffer<int32_t> good(std::vector<int32_t>{1, 2});
  ASSERT_TRUE(Embedding(EmbeddingArgs{good.get(), 2, nullptr, vocab, hidden, dout.get(), derr.get()}, dt.get(), nullptr)
                  .ok());
  EXPECT_EQ(derr.Download()[0], 1);
}

// ---------------------------------------------------------------------------------------------
// Greedy arg-max against the CPU sampler's greedy path.

std::vector<int32_t> CpuGreedy(const std::vector<float>& logits, int64_t rows, int64_t vocab) {
  SamplingParams params;
  params.temperature = 0.0f;
  std::vector<int32_t> ids;
  for (int64_t r = 0; r < rows; ++r) {
    Sampler s(params, vocab);
    std::vector<float> row(logits.begin() + r * vocab, logits.begin() + (r + 1) * vocab);
    ids.push_back(s.Sample(row.data()));
  }
  return ids;
}

std::vector<int32_t> GpuGreedy(const std::vector<float>& logits, int64_t rows, int64_t vocab, int offset) {
  Placed<float> dl(logits, offset);
  DeviceBuffer<int32_t> ids(static_cast<size_t>(rows));
  const int64_t bytes = GreedyArgmaxScratchBytes(rows, vocab);
  DeviceBuffer<float> scratch(static_cast<size_t>(bytes / 4));
  ids.Poison();
  scratch.Poison();
  const absl::Status s = GreedyArgmax(dl.get(), rows, vocab, ids.get(), bytes > 0 ? scratch.get() : nullptr, nullptr);
  EXPECT_TRUE(s.ok()) << s;
  return ids.Download();
}

TEST_P(ModelKernelTest, GreedyArgmaxMatchesCpuSampler) {
  std::mt19937_64 rng(Seed() + 7);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 7));
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{1, 1},    {3, 7},    {5, 4096}, {2, 4097},
                                                           {4, 5000}, {3, 8191}, {2, 12289}, {1, 151936}};
  for (auto [rows, vocab] : shapes) {
    for (int offset : {0, 1}) {
      SCOPED_TRACE("rows " + std::to_string(rows) + " vocab " + std::to_string(vocab) + " offset " +
                   std::to_string(offset));
      if (vocab == 151936 && offset == 1) continue;  // one big row is enough for the emulator's time
      const std::vector<float> logits = Random(static_cast<size_t>(rows * vocab), rng, 4.0f);
      EXPECT_EQ(GpuGreedy(logits, rows, vocab, offset), CpuGreedy(logits, rows, vocab));
      // Ties: the maximum copied to several places (within one float4, across lanes, warps and
      // chunks); the lowest index wins.
      std::vector<float> tied = logits;
      std::uniform_int_distribution<int64_t> at(0, vocab - 1);
      for (int64_t r = 0; r < rows; ++r) {
        float* row = tied.data() + r * vocab;
        const float top = *std::max_element(row, row + vocab) + 1.0f;
        for (int i = 0; i < 4; ++i) row[at(rng)] = top;
        row[vocab - 1] = top;
      }
      EXPECT_EQ(GpuGreedy(tied, rows, vocab, offset), CpuGreedy(tied, rows, vocab));
      // Small integers: ties everywhere.
      const std::vector<float> ties = RandomTies(static_cast<size_t>(rows * vocab), rng, 5);
      EXPECT_EQ(GpuGreedy(ties, rows, vocab, offset), CpuGreedy(ties, rows, vocab));
    }
  }
}

// The documented special values, each against the CPU sampler too.
TEST_P(ModelKernelTest, GreedyArgmaxSpecialValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const int64_t vocab = 9000;  // three chunks
  std::vector<std::vector<float>> rows;
  auto row = [&](float fill) { return std::vector<float>(static_cast<size_t>(vocab), fill); };
  rows.push_back(row(-1.0f));  // -0 (index 5000) and +0 (index 7000) are equal: the lower wins
  rows.back()[7000] = 0.0f;
  rows.back()[5000] = -0.0f;
  rows.push_back(row(1.0f));  // a NaN at 0: the CPU returns 0 whatever follows
  rows.back()[0] = nan;
  rows.back()[6000] = 5.0f;
  rows.push_back(row(1.0f));  // NaNs elsewhere are skipped
  rows.back()[100] = nan;
  rows.back()[8999] = nan;
  rows.back()[4500] = 2.0f;
  rows.push_back(row(-inf));  // all -inf: 0
  rows.push_back(row(nan));   // all NaN: 0
  rows.push_back(row(0.0f));  // +inf twice: the first
  rows.back()[8191] = inf;
  rows.back()[4096] = inf;
  rows.push_back(row(-inf));  // one finite value among -inf, after a NaN
  rows.back()[1] = nan;
  rows.back()[8500] = -3.0f;
  std::vector<float> all;
  for (const auto& r : rows) all.insert(all.end(), r.begin(), r.end());
  const int64_t n = static_cast<int64_t>(rows.size());
  const std::vector<int32_t> want = CpuGreedy(all, n, vocab);
  EXPECT_EQ(want, (std::vector<int32_t>{5000, 0, 4500, 0, 0, 4096, 8500}));
  EXPECT_EQ(GpuGreedy(all, n, vocab, 0), want);
  EXPECT_EQ(GpuGreedy(all, n, vocab, 1), want);
}

// A wrong tie rule (the last of equal values, what a `>=` comparison gives) is caught by the
// tie cases above: the exact check is not a rubber stamp.
TEST_P(ModelKernelTest, ArgmaxCheckCatchesTheWrongTieRule) {
  std::mt19937_64 rng(Seed() + 8);
  const int64_t rows = 4, vocab = 5000;
  const std::vector<float> ties = RandomTies(static_cast<size_t>(rows * vocab), rng, 5);
  std::vector<int32_t> last_wins;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = ties.data() + r * vocab;
    int32_t best = 0;
    for (int32_t i = 1; i < vocab; ++i) best = row[i] >= row[best] ? i : best;
    last_wins.push_back(best);
  }
  const std::vector<int32_t> got = GpuGreedy(ties, rows, vocab, 0);
  EXPECT_EQ(got, CpuGreedy(ties, rows, vocab));
  EXPECT_NE(got, last_wins);
}

// ---------------------------------------------------------------------------------------------
// GEMV against cpu::Matmul's scalar kernel.

struct GemvRefs {
  std::vector<float> cpu;    // internal::MatmulRowsScalar
  std::vector<double> exact; // the same products summed in double (exact to ~2^-53 here)
  std::vector<double> abs;   // sum_k |x w|
};

GemvRefs GemvReference(const std::vector<float>& x, const std::vector<uint16_t>& w, int64_t T, int64_t K, int64_t M) {
  GemvRefs r;
  r.cpu.resize(static_cast<size_t>(T * M));
  MatmulArgs a{x.data(), T, K, w.data(), DType::kBF16, M, r.cpu.data()};
  internal::MatmulRowsScalar(a, 0, M);
  r.exact.assign(r.cpu.size(), 0.0);
  r.abs.assign(r.cpu.size(), 0.0);
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t m = 0; m < M; ++m) {
      double s = 0, sa = 0;
      for (int64_t k = 0; k < K; ++k) {
        const double p = static_cast<double>(x[static_cast<size_t>(t * K + k)]) * Bf16ToF32(w[static_cast<size_t>(m * K + k)]);
        s += p;
        sa += std::fabs(p);
      }
      r.exact[static_cast<size_t>(t * M + m)] = s;
      r.abs[static_cast<size_t>(t * M + m)] = sa;
    }
  }
  return r;
}

// Higham: an f32 sum whose longest chain of roundings is n (products included) is within
// n * u * sum |terms| of the exact sum. The GPU's chain: the head value, 8 per 16-byte step of
// its lane (ceil(K / 256) steps), the tail value, 5 shuffle levels, and the product: n_gpu.
// cpu::Matmul's scalar kernel sums K products in sequence: n_cpu = K + 1.
double GpuChain(int64_t K) { return 8.0 * static_cast<double>((K + 255) / 256) + 8.0; }

std::vector<uint16_t> RandomBf16(size_t n, std::mt19937_64& rng) {
  std::vector<uint16_t> w(n);
  for (uint16_t& b : w) b = F32ToBf16(std::normal_distribution<float>(0.0f, 0.5f)(rng));
  return w;
}

TEST_P(ModelKernelTest, GemvMatchesCpuMatmul) {
  std::mt19937_64 rng(Seed() + 9);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 9));
  const std::vector<std::pair<int64_t, int64_t>> km = {{1, 3},     {7, 5},   {8, 4},    {9, 1},    {64, 37},
                                                       {100, 9},   {1000, 6}, {1031, 7}, {2048, 13}, {4100, 5}};
  int64_t T = 1;
  for (auto [K, M] : km) {
    for (int xo : {0, 1}) {
      for (int wo : {0, 1, 3}) {
        T = T % kGemvMaxTokens + 1;  // every T from 1 to 8 comes round
        SCOPED_TRACE("T " + std::to_string(T) + " K " + std::to_string(K) + " M " + std::to_string(M) +
                     " x offset " + std::to_string(xo) + " w offset " + std::to_string(wo));
        const std::vector<float> x = Random(static_cast<size_t>(T * K), rng);
        const std::vector<uint16_t> w = RandomBf16(static_cast<size_t>(M * K), rng);
        const GemvRefs ref = GemvReference(x, w, T, K, M);
        Placed<float> dx(x, xo), dy(static_cast<size_t>(T * M), 0);
        Placed<__nv_bfloat16> dw(FromBits<__nv_bfloat16>(w), wo);
        const absl::Status s = Gemv(dx.get(), T, K, dw.get(), M, dy.get(), nullptr);
        ASSERT_TRUE(s.ok()) << s;
        const std::vector<float> got = dy.Download();
        const double n_gpu = GpuChain(K), n_cpu = static_cast<double>(K) + 1;
        EXPECT_TRUE(Close(got, ref.cpu, [&](size_t i) { return (n_gpu + n_cpu) * kU * ref.abs[i] + 1e-30; }))
            << "against cpu::Matmul";
        std::vector<float> exact(ref.exact.begin(), ref.exact.end());
        EXPECT_TRUE(Close(got, exact, [&](size_t i) { return n_gpu * kU * ref.abs[i] + 2 * kU * std::fabs(exact[i]) + 1e-30; }))
            << "against the exact sum";
      }
    }
  }
}

// GemvMany: q, k and v (or gate and up) of one x in one launch give exactly what a Gemv of
// each gives, bit for bit, for row counts that do and do not fill the last block, and touch
// nothing past each y.
TEST_P(ModelKernelTest, GemvManyEqualsOneGemvPerProduct) {
  std::mt19937_64 rng(Seed() + 12);
  const std::vector<std::vector<int64_t>> shapes = {{37}, {64, 9}, {13, 4, 5}, {1, 0, 6}};
  int64_t T = 1;
  for (int64_t K : {64, 1031}) {
    for (const std::vector<int64_t>& ms : shapes) {
      T = T % kGemvMaxTokens + 1;
      SCOPED_TRACE("T " + std::to_string(T) + " K " + std::to_string(K) + " products " + std::to_string(ms.size()));
      const std::vector<float> x = Random(static_cast<size_t>(T * K), rng);
      DeviceBuffer<float> dx(x);
      std::vector<std::unique_ptr<DeviceBuffer<__nv_bfloat16>>> ws;
      std::vector<std::unique_ptr<DeviceBuffer<float>>> many, one;
      std::vector<GemvProduct> products;
      for (int64_t M : ms) {
        ws.push_back(std::make_unique<DeviceBuffer<__nv_bfloat16>>(
            FromBits<__nv_bfloat16>(RandomBf16(static_cast<size_t>(M * K), rng))));
        many.push_back(std::make_unique<DeviceBuffer<float>>(static_cast<size_t>(T * M + 1)));  // +1: a guard
        one.push_back(std::make_unique<DeviceBuffer<float>>(static_cast<size_t>(T * M)));
        many.back()->Poison();
        products.push_back(GemvProduct{ws.back()->get(), M, many.back()->get()});
        ASSERT_TRUE(Gemv(dx.get(), T, K, ws.back()->get(), M, one.back()->get(), nullptr).ok());
      }
      const absl::Status s = GemvMany(dx.get(), T, K, products, nullptr);
      ASSERT_TRUE(s.ok()) << s;
      for (size_t i = 0; i < ms.size(); ++i) {
        const std::vector<float> got = many[i]->Download(), want = one[i]->Download();
        for (size_t j = 0; j < want.size(); ++j) {
          ASSERT_EQ(std::memcmp(&got[j], &want[j], 4), 0) << "product " << i << " element " << j;
        }
        EXPECT_TRUE(std::isnan(got.back())) << "product " << i << ": written past its end";
      }
    }
  }
  DeviceBuffer<float> f(64);
  DeviceBuffer<__nv_bfloat16> b(64);
  const GemvProduct p{b.get(), 4, f.get()};
  EXPECT_EQ(GemvMany(f.get(), 1, 8, {}, nullptr).code(), absl::StatusCode::kInvalidArgument) << "no products";
  const std::vector<GemvProduct> four(4, p);
  EXPECT_EQ(GemvMany(f.get(), 1, 8, four, nullptr).code(), absl::StatusCode::kInvalidArgument) << "four products";
  EXPECT_EQ(GemvMany(f.get(), 9, 8, {&p, 1}, nullptr).code(), absl::StatusCode::kInvalidArgument) << "T > 8";
  const GemvProduct negative{b.get(), -1, f.get()};
  EXPECT_EQ(GemvMany(f.get(), 1, 8, {&negative, 1}, nullptr).code(), absl::StatusCode::kInvalidArgument);
}

// The tight check (against the exact sum, the GPU's own chain only) catches a GEMV that drops
// the last column of K, a one-term tail bug: the same kernel run over K - 1 columns of one row.
TEST_P(ModelKernelTest, GemvCheckCatchesADroppedTailColumn) {
  std::mt19937_64 rng(Seed() + 10);
  for (int64_t K : {1031, 1032, 4099}) {
    std::vector<float> x = Random(static_cast<size_t>(K), rng);
    std::vector<uint16_t> w = RandomBf16(static_cast<size_t>(K), rng);
    x.back() = 0.75f;   // a typical term: |x w| about the mean |x| |w| of the row times 2
    w.back() = F32ToBf16(0.5f);
    const GemvRefs ref = GemvReference(x, w, 1, K, 1);
    DeviceBuffer<float> dx(x), dy(1);
    DeviceBuffer<__nv_bfloat16> dw(FromBits<__nv_bfloat16>(w));
    const double tol = GpuChain(K) * kU * ref.abs[0] + 2 * kU * std::fabs(ref.exact[0]);
    for (int64_t cols : {K, K - 1}) {
      dy.Poison();
      ASSERT_TRUE(Gemv(dx.get(), 1, cols, dw.get(), 1, dy.get(), nullptr).ok());
      const double diff = std::fabs(dy.Download()[0] - ref.exact[0]);
      EXPECT_EQ(diff <= tol, cols == K) << "K " << K << " cols " << cols << " diff " << diff << " tol " << tol;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CUDA graphs: the decode step's MoE routing and the greedy pick, captured once for the worst
// case, replayed for different live token counts and inputs (sizes only in device memory), and
// checked against the CPU after every replay.
TEST_P(ModelKernelTest, CapturedGraphReplaysForEveryLiveTokenCount) {
  std::mt19937_64 rng(Seed() + 11);
  SCOPED_TRACE("seed " + std::to_string(Seed() + 11));
  const int64_t T = 8, E = 32, k = 4, h = 40, vocab = 5000;
  const MoeShape shape{T, E, k};
  DeviceBuffer<int32_t> dn(1), di(static_cast<size_t>(T * k)), dtok(static_cast<size_t>(T));
  DeviceBuffer<float> dl(static_cast<size_t>(T * E)), dw(static_cast<size_t>(T * k)), dx(static_cast<size_t>(T * h)),
      dxe(static_cast<size_t>(T * k * h)), dye(static_cast<size_t>(T * k * h)), dy(static_cast<size_t>(T * h)),
      dlogits(static_cast<size_t>(T * vocab)),
      scratch(static_cast<size_t>(GreedyArgmaxScratchBytes(T, vocab) / 4));
  DispatchBuffers d(T, E, k);
  MoeShape live_shape = shape;
  live_shape.num_tokens = dn.get();

  cudaStream_t stream = nullptr;
  ASSERT_EQ(cudaStreamCreate(&stream), cudaSuccess);
  ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal), cudaSuccess);
  ASSERT_TRUE(RouterTopK(dl.get(), live_shape, true, di.get(), dw.get(), stream).ok());
  ASSERT_TRUE(MoeDispatchBuild(di.get(), live_shape, d.View(), stream).ok());
  ASSERT_TRUE(MoeGather(dx.get(), shape, h, d.View(), dxe.get(), stream).ok());
  ASSERT_TRUE(MoeCombine(dye.get(), dw.get(), di.get(), live_shape, h, d.View(), dy.get(), stream).ok());
  ASSERT_TRUE(GreedyArgmax(dlogits.get(), T, vocab, dtok.get(), scratch.get(), stream).ok());
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(stream, &graph), cudaSuccess);
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph), cudaSuccess);

  for (int32_t live : {8, 3, 1, 6}) {
    SCOPED_TRACE("live " + std::to_string(live));
    const std::vector<float> router = Random(static_cast<size_t>(T * E), rng, 2.0f), x = Random(static_cast<size_t>(T * h), rng),
                             ye = Random(static_cast<size_t>(T * k * h), rng),
                             logits = Random(static_cast<size_t>(T * vocab), rng, 3.0f);
    dn.Upload({live});
    dl.Upload(router);
    dx.Upload(x);
    dye.Upload(ye);
    dlogits.Upload(logits);
    dy.Poison();
    ASSERT_EQ(cudaGraphLaunch(exec, stream), cudaSuccess);
    ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);

    const Routed cpu = CpuRouter(router, live, E, k, true);
    const WantDispatch want = CpuDispatch(cpu.ids, live, E, k);
    std::vector<int32_t> ids = di.Download();
    ids.resize(static_cast<size_t>(live * k));
    EXPECT_EQ(ids, cpu.ids);
    EXPECT_EQ(d.offsets.Download(), want.offsets);
    std::vector<float> weights = dw.Download(), bound;
    weights.resize(ids.size());
    const std::vector<float> want_y = CpuCombine(ye, weights, want, live, E, k, h, &bound);
    std::vector<float> y = dy.Download();
    for (size_t i = static_cast<size_t>(live * h); i < y.size(); ++i) ASSERT_TRUE(std::isnan(y[i])) << i;
    y.resize(want_y.size());
    EXPECT_TRUE(Close(y, want_y, [&](size_t i) { return 2.0 * (k + 1) * kU * bound[i] + 1e-30; }));
    EXPECT_EQ(dtok.Download(), CpuGreedy(logits, T, vocab));
  }
  EXPECT_EQ(cudaGraphExecDestroy(exec), cudaSuccess);
  EXPECT_EQ(cudaGraphDestroy(graph), cudaSuccess);
  EXPECT_EQ(cudaStreamDestroy(stream), cudaSuccess);
}

// ---------------------------------------------------------------------------------------------

TEST_P(ModelKernelTest, BadShapesAreInvalidArgument) {
  DeviceBuffer<float> f(64);
  DeviceBuffer<int32_t> i(64);
  DeviceBuffer<__nv_bfloat16> b(64);
  const MoeDispatch d{i.get(), i.get(), i.get(), i.get()};
  const auto code = [](const absl::Status& s) { return s.code(); };
  constexpr auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(RouterTopK(f.get(), MoeShape{1, 8, 9}, true, i.get(), f.get(), nullptr)), kBad) << "k > E";
  EXPECT_EQ(code(RouterTopK(f.get(), MoeShape{1, 257, 8}, true, i.get(), f.get(), nullptr)), kBad) << "E > 256";
  EXPECT_EQ(code(RouterTopK(f.get(), MoeShape{1, 64, 33}, true, i.get(), f.get(), nullptr)), kBad) << "k > 32";
  EXPECT_EQ(code(RouterTopK(f.get(), MoeShape{-1, 8, 2}, true, i.get(), f.get(), nullptr)), kBad);
  EXPECT_EQ(code(MoeDispatchBuild(i.get(), MoeShape{1, 0, 1}, d, nullptr)), kBad);
  EXPECT_EQ(code(MoeGather(f.get(), MoeShape{1, 8, 2}, 0, d, f.get(), nullptr)), kBad);
  EXPECT_EQ(code(MoeCombine(f.get(), f.get(), i.get(), MoeShape{1, 8, 2}, -4, d, f.get(), nullptr)), kBad);
  EXPECT_EQ(code(Embedding(EmbeddingArgs{i.get(), 1, nullptr, 0, 4, f.get(), nullptr}, f.get(), nullptr)), kBad);
  EXPECT_EQ(code(GreedyArgmax(f.get(), 1, 0, i.get(), nullptr, nullptr)), kBad);
  EXPECT_EQ(code(GreedyArgmax(f.get(), 1, 5000, i.get(), nullptr, nullptr)), kBad) << "no scratch for two chunks";
  EXPECT_EQ(code(Gemv(f.get(), 9, 8, b.get(), 4, f.get(), nullptr)), kBad) << "T > 8";
  EXPECT_EQ(code(Gemv(f.get(), 0, 8, b.get(), 4, f.get(), nullptr)), kBad);
  EXPECT_TRUE(RouterTopK(f.get(), MoeShape{0, 8, 2}, true, i.get(), f.get(), nullptr).ok()) << "no tokens";
  EXPECT_TRUE(GreedyArgmax(f.get(), 0, 5000, i.get(), nullptr, nullptr).ok()) << "no rows";
  EXPECT_EQ(GreedyArgmaxScratchBytes(1, 4096), 0);
  EXPECT_EQ(GreedyArgmaxScratchBytes(2, 151936), 8 * 2 * 38);
}

TEST_P(ModelKernelTest, LaunchFaultsBecomeStatusesNamingTheKernel) {
  DeviceBuffer<int32_t> ids(4);  // allocated first, so it cannot reuse the freed block
  float* freed = nullptr;
  ASSERT_EQ(cudaMalloc(&freed, 64 * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaFree(freed), cudaSuccess);
  const absl::Status s = GreedyArgmax(freed, 2, 16, ids.get(), nullptr, nullptr);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("GreedyArgmax: cudaErrorIllegalAddress"), std::string::npos) << s;
  EXPECT_NE(s.message().find("ArgmaxChunkKernel"), std::string::npos) << s;
}

INSTANTIATE_TEST_SUITE_P(BothOrders, ModelKernelTest,
                         ::testing::Values(emu::ThreadOrder::kAscending, emu::ThreadOrder::kDescending),
                         [](const auto& info) {
                           return std::string(info.param == emu::ThreadOrder::kAscending ? "Ascending" : "Descending");
                         });

}  // namespace
}  // namespace switchyard::cuda::test
