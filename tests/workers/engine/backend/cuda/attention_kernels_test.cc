// The CUDA backend's attention kernels (kernels/attention.h), run on the CUDA emulator, against
// the CPU backend: Attention against cpu::Attention, KvWrite against KvBlockPool::Write.
//
// Each case fills a CPU KvBlockPool (two layers, every slot of every block first filled with
// larger random "garbage", then each sequence's positions written with its own values) whose
// sequences hold shuffled, non-contiguous blocks, copies the pool's bytes to the device as they
// are, and runs one batch mixing decode tokens and prefill chunks, in shuffled order: a sequence
// of length 1, decode at positions that are not multiples of the block size, a prefill chunk in
// the middle of a sequence, a prefill from position 0, and a long sequence that split-K cuts into
// several chunks, the last one partial. Each runs one pass and split-K with chunks of 64 and of 40
// positions (not a multiple of the 32-position tile, and a grid with splits no token reaches),
// f32 and f16 caches, both thread orders, outputs and workspace poisoned (NaN) before each run.
// The seed is printed; SWITCHYARD_TEST_SEED replays one.
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/kernel_test_util.h"
#include "workers/engine/backend/cpu/attention.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/backend/cuda/kernels/attention.h"
#include "workers/engine/backend/cuda/kernels/attention_kernels.cuh"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::cuda::test {
namespace {

struct Shape {
  int heads, kv_heads, dim, block_size;
};

std::string Name(const Shape& s) {
  return "heads " + std::to_string(s.heads) + " kv_heads " + std::to_string(s.kv_heads) + " dim " +
         std::to_string(s.dim) + " block_size " + std::to_string(s.block_size);
}

constexpr int kLayers = 2, kLayer = 1;  // layer 1: a kernel that ignores the layer reads layer 0's values

// A CPU pool with sequences in it, its bytes on the device, and a batch of tokens over them.
class Batch {
 public:
  // `long_length`: the long sequence's length (its last three positions are in the batch).
  Batch(const Shape& s, DType dtype, int long_length, std::mt19937_64& rng) : s_(s) {
    // Sequences: the positions of the batch's tokens in each; a sequence's length is its last + 1.
    const std::vector<std::vector<int>> seqs = {
        {0},                                                     // length 1: a first decode step
        {37},                                                    // decode, 37 % block_size != 0 here
        {20, 21, 22, 23, 24, 25, 26, 27, 28, 29},                // a prefill chunk after 20 cached positions
        {long_length - 3, long_length - 2, long_length - 1},     // the long one: split-K's chunks
        {0, 1, 2, 3, 4, 5, 6},                                   // a prefill from the start
    };
    std::vector<int> lengths, nblocks;
    int total_blocks = 0;
    for (const auto& p : seqs) {
      lengths.push_back(p.back() + 1);
      nblocks.push_back((p.back() + s.block_size) / s.block_size);
      total_blocks += nblocks.back();
    }
    const int spare = 5;  // blocks no sequence holds, full of garbage
    KvCacheShape shape{kLayers, s.kv_heads, s.dim, s.block_size, dtype};
    pool_ = std::move(*KvBlockPool::Create(shape, total_blocks + spare));
    const int64_t per_pos = static_cast<int64_t>(s.kv_heads) * s.dim;
    for (int layer = 0; layer < kLayers; ++layer) {
      for (int32_t b = 0; b < total_blocks + spare; ++b) {
        for (int slot = 0; slot < s.block_size; ++slot) {
          const std::vector<float> k = Random(static_cast<size_t>(per_pos), rng, 4.0f), v = Random(static_cast<size_t>(per_pos), rng, 4.0f);
          pool_->Write(layer, b, slot, k.data(), v.data());
        }
      }
    }
    // Shuffled, non-contiguous block tables.
    std::vector<int32_t> ids(static_cast<size_t>(total_blocks + spare));
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), rng);
    tables_.resize(seqs.size());
    size_t next = 0;
    for (size_t q = 0; q < seqs.size(); ++q) {
      for (int b = 0; b < nblocks[q]; ++b) tables_[q].push_back(ids[next++]);
      for (int layer = 0; layer < kLayers; ++layer) {
        for (int pos = 0; pos < lengths[q]; ++pos) {
          const std::vector<float> k = Random(static_cast<size_t>(per_pos), rng), v = Random(static_cast<size_t>(per_pos), rng);
          pool_->Write(layer, tables_[q][static_cast<size_t>(pos / s.block_size)], pos % s.block_size, k.data(), v.data());
        }
      }
    }
    // The batch: every token of every sequence, in shuffled order.
    std::vector<int> offsets;
    for (size_t q = 0; q < seqs.size(); ++q) {
      offsets.push_back(static_cast<int>(flat_tables_.size()));
      flat_tables_.insert(flat_tables_.end(), tables_[q].begin(), tables_[q].end());
    }
    for (size_t q = 0; q < seqs.size(); ++q) {
      for (int pos : seqs[q]) {
        token_seq_.push_back(static_cast<int>(q));
        positions_.push_back(pos);
      }
    }
    std::vector<size_t> order(positions_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<int> seq2 = token_seq_, pos2 = positions_;
    for (size_t i = 0; i < order.size(); ++i) token_seq_[i] = seq2[order[i]], positions_[i] = pos2[order[i]];
    for (int q : token_seq_) table_offsets_.push_back(offsets[static_cast<size_t>(q)]);
    max_context_ = *std::max_element(lengths.begin(), lengths.end());
    Upload();
  }

  int T() const { return static_cast<int>(positions_.size()); }
  int SequenceOf(int t) const { return token_seq_[static_cast<size_t>(t)]; }
  // Moves token t to `pos` (in its sequence's blocks), in place in the device's token map.
  void SetPosition(int t, int pos) {
    positions_[static_cast<size_t>(t)] = pos;
    ASSERT_EQ(cudaMemcpy(d_positions_->get(), positions_.data(), positions_.size() * sizeof(int32_t), cudaMemcpyHostToDevice),
              cudaSuccess);
  }
  int max_context() const { return max_context_; }
  KvBlockPool& pool() { return *pool_; }
  const std::vector<int32_t>& positions() const { return positions_; }

  // The pool's bytes, as they are in host memory.
  const std::byte* PoolBytes() {
    return pool_->shape().dtype == DType::kF16 ? reinterpret_cast<const std::byte*>(pool_->K16(0, 0))
                                               : reinterpret_cast<const std::byte*>(pool_->K(0, 0));
  }
  size_t PoolSize() const { return static_cast<size_t>(pool_->shape().BlockBytes() * pool_->num_blocks()); }

  // Copies the pool to the device (again: after the CPU wrote to it).
  void Upload() {
    cache_ = std::make_unique<DeviceBuffer<std::byte>>(PoolSize());
    ASSERT_EQ(cudaMemcpy(cache_->get(), PoolBytes(), PoolSize(), cudaMemcpyHostToDevice), cudaSuccess);
    d_positions_ = std::make_unique<DeviceBuffer<int32_t>>(positions_);
    d_offsets_ = std::make_unique<DeviceBuffer<int32_t>>(table_offsets_);
    d_tables_ = std::make_unique<DeviceBuffer<int32_t>>(flat_tables_);
  }
  std::vector<std::byte> DeviceCacheBytes() const { return cache_->Download(); }

  DeviceKvCache Cache() const {
    DeviceKvCache c;
    c.base = cache_->get();
    c.num_blocks = pool_->num_blocks();
    c.layers = kLayers;
    c.kv_heads = s_.kv_heads;
    c.head_dim = s_.dim;
    c.block_size = s_.block_size;
    c.f16 = pool_->shape().dtype == DType::kF16;
    return c;
  }
  DeviceTokens Tokens() const { return DeviceTokens{d_positions_->get(), d_offsets_->get(), d_tables_->get()}; }

  // cpu::Attention on the pool, layer kLayer.
  std::vector<float> CpuAttention(const std::vector<float>& q, float scale) {
    std::vector<cpu::AttentionToken> toks;
    for (int t = 0; t < T(); ++t) {
      toks.push_back({&tables_[static_cast<size_t>(token_seq_[static_cast<size_t>(t)])], positions_[static_cast<size_t>(t)]});
    }
    std::vector<float> out(q.size());
    cpu::AttentionArgs a{q.data(), out.data(), T(), s_.heads, s_.kv_heads, s_.dim, scale, kLayer, pool_.get(), toks.data()};
    ThreadPool threads(2);
    cpu::Attention(a, threads);
    return out;
  }

  // The block holding position `pos` of token t's sequence.
  int32_t BlockOf(int t, int pos) const {
    return tables_[static_cast<size_t>(token_seq_[static_cast<size_t>(t)])][static_cast<size_t>(pos / s_.block_size)];
  }

  // Key element i of kv head g at position j of token t's sequence (layer kLayer), as f32.
  float Key(int t, int g, int i, int j) {
    const int32_t b = BlockOf(t, j);
    const int64_t idx = (static_cast<int64_t>(g) * s_.dim + i) * s_.block_size + j % s_.block_size;
    return pool_->shape().dtype == DType::kF16 ? F16ToF32(pool_->K16(kLayer, b)[idx]) : pool_->K(kLayer, b)[idx];
  }
  float Value(int t, int g, int i, int j) {
    const int32_t b = BlockOf(t, j);
    const int64_t idx = (static_cast<int64_t>(g) * s_.block_size + j % s_.block_size) * s_.dim + i;
    return pool_->shape().dtype == DType::kF16 ? F16ToF32(pool_->V16(kLayer, b)[idx]) : pool_->V(kLayer, b)[idx];
  }

  // The tolerance for every output of (token t, head h): what separates two correct f32
  // computations of the same attention, derived from the data (eps = 2^-24):
  //  - a score s_j = scale * q . k_j: each side's dot product errs by at most (terms summed in
  //    sequence) * eps * sum_i |q_i k_ji| (the CPU sums up to d terms in one lane, the GPU d/4
  //    in each of four), plus the products by scale (and log2 e): both sides <= (5d/4 + 10) eps A,
  //    A = scale * max_j sum_i |q_i k_ji|; subtracting the max (|s - max| <= 2A) and rounding
  //    exp's argument add <= 4 eps A per side;
  //  - exp: the CPU's polynomial < 2e-7 relative, exp2f 2 ulp, the split-K rescale once more;
  //  - an error of delta (relative) in each weight moves the output by <= 2 delta Vmax
  //    (o and every v_j lie within Vmax = max |v_ji|);
  //  - the two sums over n positions (weights, weighted values) err by <= n eps each, per side.
  double Tolerance(const std::vector<float>& q, float scale, int t, int h) {
    const int group = s_.heads / s_.kv_heads, g = h / group, d = s_.dim;
    const int n = positions_[static_cast<size_t>(t)] + 1;
    const float* qh = q.data() + (static_cast<int64_t>(t) * s_.heads + h) * d;
    double a = 0.0, vmax = 0.0;
    for (int j = 0; j < n; ++j) {
      double dot = 0.0;
      for (int i = 0; i < d; ++i) {
        dot += std::fabs(static_cast<double>(qh[i]) * Key(t, g, i, j));
        vmax = std::max(vmax, static_cast<double>(std::fabs(Value(t, g, i, j))));
      }
      a = std::max(a, dot * scale);
    }
    const double eps = 0x1p-24;
    const double delta = (1.25 * d + 10 + 8) * eps * a + 1e-6;
    return vmax * (2 * delta + 4.0 * (n + 32) * eps);
  }

 private:
  Shape s_;
  std::unique_ptr<KvBlockPool> pool_;
  std::vector<std::vector<int32_t>> tables_;
  std::vector<int32_t> flat_tables_, positions_, table_offsets_;
  std::vector<int> token_seq_;
  int max_context_ = 0;
  std::unique_ptr<DeviceBuffer<std::byte>> cache_;
  std::unique_ptr<DeviceBuffer<int32_t>> d_positions_, d_offsets_, d_tables_;
};

// Passes when every output of (t, h) is within tol(t, h) of the CPU's; NaN always fails.
template <class Tol>
::testing::AssertionResult Close(const std::vector<float>& got, const std::vector<float>& want, int heads, int dim,
                                 Tol tol) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "size " << got.size() << " vs " << want.size();
  const int64_t rows = static_cast<int64_t>(got.size()) / dim;
  for (int64_t r = 0; r < rows; ++r) {
    const double bound = tol(static_cast<int>(r / heads), static_cast<int>(r % heads));
    for (int i = 0; i < dim; ++i) {
      const size_t x = static_cast<size_t>(r * dim + i);
      const double diff = std::fabs(static_cast<double>(got[x]) - want[x]);
      if (!(diff <= bound)) {
        return ::testing::AssertionFailure() << "token " << r / heads << " head " << r % heads << " element " << i
                                             << ": got " << got[x] << ", want " << want[x] << " (|diff| " << diff
                                             << " > " << bound << ")";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs the kernel variant kEndOffset (0: Attention itself) with outputs and workspace poisoned.
template <int kEndOffset>
std::vector<float> RunGpu(Batch& batch, const Shape& s, const DeviceBuffer<float>& q, float scale, int force_chunk,
                          int max_context, AttentionPlan* plan_out = nullptr) {
  DeviceBuffer<float> out(q.size());
  out.Poison();
  const AttentionPlan plan = PlanAttention(batch.T(), s.kv_heads, max_context, 132, force_chunk);
  if (plan_out != nullptr) *plan_out = plan;
  const int64_t ws_floats = plan.WorkspaceFloats(batch.T(), s.heads, s.dim);
  DeviceBuffer<float> ws(static_cast<size_t>(ws_floats));
  ws.Poison();
  DeviceAttentionArgs a;
  a.q = q.get();
  a.out = out.get();
  a.T = batch.T();
  a.heads = s.heads;
  a.scale = scale;
  a.layer = kLayer;
  a.cache = batch.Cache();
  a.tokens = batch.Tokens();
  a.max_context = max_context;
  const absl::Status st = attention_internal::RunAttention<kEndOffset>(a, plan, ws.get(), ws_floats, nullptr);
  EXPECT_TRUE(st.ok()) << st;
  return out.Download();
}

class AttentionKernelTest : public EmuTest, public ::testing::WithParamInterface<emu::ThreadOrder> {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    emu::SetThreadOrder(GetParam());
  }
};

// Group sizes 1, 2, 3 and 16 (the most supported), every supported head_dim, block sizes that
// are and are not powers of two, smaller and larger than the 32-position tile.
const std::vector<Shape> kShapes = {
    {4, 2, 64, 16}, {3, 1, 128, 8}, {16, 1, 16, 5}, {2, 2, 80, 32}, {4, 4, 96, 16}, {6, 3, 32, 12},
};

TEST_P(AttentionKernelTest, MatchesCpuOnePassAndSplitK) {
  const uint64_t seed = Seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (const Shape& s : kShapes) {
    for (DType dtype : {DType::kF32, DType::kF16}) {
      SCOPED_TRACE(Name(s) + (dtype == DType::kF16 ? " f16" : " f32"));
      const int long_length = 203;  // 4 chunks of 64 (the last 11 long) or 6 of 40
      Batch batch(s, dtype, long_length, rng);
      const std::vector<float> q = Random(static_cast<size_t>(batch.T()) * s.heads * s.dim, rng);
      const float scale = 1.0f / std::sqrt(static_cast<float>(s.dim));
      const std::vector<float> want = batch.CpuAttention(q, scale);
      std::vector<std::vector<double>> tol(static_cast<size_t>(batch.T()), std::vector<double>(static_cast<size_t>(s.heads)));
      for (int t = 0; t < batch.T(); ++t) {
        for (int h = 0; h < s.heads; ++h) tol[static_cast<size_t>(t)][static_cast<size_t>(h)] = batch.Tolerance(q, scale, t, h);
      }
      auto bound = [&](int t, int h) { return tol[static_cast<size_t>(t)][static_cast<size_t>(h)]; };
      DeviceBuffer<float> dq(q);
      // One pass (a chunk as long as the context), then split-K with chunks of 64 (the policy's
      // choice here) and 40; the last with a grid bound past every token, so some splits have
      // nothing to do.
      struct Mode {
        int chunk, max_context, splits;
      };
      for (Mode m : {Mode{batch.max_context(), batch.max_context(), 1}, Mode{0, batch.max_context(), 4},
                     Mode{40, batch.max_context() + 90, 8}}) {
        SCOPED_TRACE("chunk " + std::to_string(m.chunk) + " max_context " + std::to_string(m.max_context));
        AttentionPlan plan;
        const std::vector<float> got = RunGpu<0>(batch, s, dq, scale, m.chunk, m.max_context, &plan);
        EXPECT_EQ(plan.splits, m.splits);
        EXPECT_TRUE(Close(got, want, s.heads, s.dim, bound));
      }
    }
  }
}

// The comparison is not a rubber stamp: a kernel whose tokens miss their own position (the
// classic causal off-by-one) fails it, in one pass and split-K alike, while the same code
// without the bug passes.
TEST_P(AttentionKernelTest, ComparisonCatchesAnOffByOnePosition) {
  std::mt19937_64 rng(Seed() + 1);
  const Shape s{4, 2, 64, 16};
  Batch batch(s, DType::kF16, 150, rng);
  const std::vector<float> q = Random(static_cast<size_t>(batch.T()) * s.heads * s.dim, rng);
  const float scale = 0.125f;
  const std::vector<float> want = batch.CpuAttention(q, scale);
  auto bound = [&](int t, int h) { return batch.Tolerance(q, scale, t, h); };
  DeviceBuffer<float> dq(q);
  for (int chunk : {0, 48}) {
    EXPECT_TRUE(Close(RunGpu<0>(batch, s, dq, scale, chunk, batch.max_context()), want, s.heads, s.dim, bound));
    EXPECT_FALSE(Close(RunGpu<-1>(batch, s, dq, scale, chunk, batch.max_context()), want, s.heads, s.dim, bound));
  }
  // And NaN (a poisoned output nobody wrote) never passes.
  EXPECT_FALSE(Close({NAN}, {0.0f}, 1, 1, [](int, int) { return 1e30; }));
}

// A token past the grid's bound gets NaN, never an attention silently cut short.
TEST_P(AttentionKernelTest, PositionsPastMaxContextGiveNaN) {
  std::mt19937_64 rng(Seed() + 2);
  const Shape s{2, 1, 32, 16};
  Batch batch(s, DType::kF32, 100, rng);
  const std::vector<float> q = Random(static_cast<size_t>(batch.T()) * s.heads * s.dim, rng);
  DeviceBuffer<float> dq(q);
  const int bound = 50;  // positions 97..99 (the long sequence) are past it
  for (int chunk : {0, 16}) {
    const std::vector<float> got = RunGpu<0>(batch, s, dq, 0.2f, chunk, bound);
    for (int t = 0; t < batch.T(); ++t) {
      const bool past = batch.positions()[static_cast<size_t>(t)] >= bound;
      for (int i = 0; i < s.heads * s.dim; ++i) {
        EXPECT_EQ(std::isnan(got[static_cast<size_t>(t * s.heads * s.dim + i)]), past) << "token " << t << " chunk " << chunk;
      }
    }
  }
}

// KvWrite stores what KvBlockPool::Write stores, bit for bit: random bit patterns of every
// exponent (subnormals, infinities, NaNs) and the f16 rounding's hard cases (ties, the largest
// finite half, overflow, the smallest subnormal and below), in both dtypes; every other byte of
// the cache (other layers, other slots) untouched.
TEST_P(AttentionKernelTest, KvWriteMatchesKvBlockPoolWriteBitForBit) {
  std::mt19937_64 rng(Seed() + 3);
  for (const Shape& s : {Shape{4, 2, 64, 16}, Shape{3, 3, 80, 5}}) {
    for (DType dtype : {DType::kF32, DType::kF16}) {
      SCOPED_TRACE(Name(s) + (dtype == DType::kF16 ? " f16" : " f32"));
      Batch batch(s, dtype, 45, rng);
      const size_t n = static_cast<size_t>(batch.T()) * s.kv_heads * s.dim;
      std::vector<float> k(n), v(n);
      const std::vector<float> special = {0.0f, -0.0f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65504.0f, 65519.0f,
                                          65520.0f, 1e6f, -1e6f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-26f, 0x1.8p-24f,
                                          3 * 0x1p-25f, 6.1e-5f, INFINITY, -INFINITY, NAN, -NAN};
      std::uniform_int_distribution<uint32_t> bits;
      for (size_t i = 0; i < n; ++i) {
        for (std::vector<float>* x : {&k, &v}) {
          const uint32_t u = bits(rng);
          float f;
          std::memcpy(&f, &u, sizeof f);
          const int kind = static_cast<int>(bits(rng) % 4);
          (*x)[i] = kind == 0 ? f : kind == 1 ? special[bits(rng) % special.size()] : std::ldexp(Random(1, rng)[0], static_cast<int>(bits(rng) % 50) - 30);
        }
      }
      DeviceBuffer<float> dk(k), dv(v);
      ASSERT_TRUE(KvWrite(batch.Cache(), kLayer, batch.Tokens(), batch.T(), dk.get(), dv.get(), nullptr).ok());
      // The CPU's writes, on the pool whose bytes the device started from.
      for (int t = 0; t < batch.T(); ++t) {
        const int pos = batch.positions()[static_cast<size_t>(t)];
        const int32_t b = batch.BlockOf(t, pos);
        batch.pool().Write(kLayer, b, pos % s.block_size, k.data() + static_cast<size_t>(t) * s.kv_heads * s.dim,
                           v.data() + static_cast<size_t>(t) * s.kv_heads * s.dim);
      }
      const std::vector<std::byte> got = batch.DeviceCacheBytes();
      ASSERT_EQ(got.size(), batch.PoolSize());
      const std::byte* want = batch.PoolBytes();
      size_t first_diff = got.size();
      for (size_t i = 0; i < got.size() && first_diff == got.size(); ++i) {
        if (got[i] != want[i]) first_diff = i;
      }
      EXPECT_EQ(first_diff, got.size()) << "first differing byte";
    }
  }
}

// What a runner does for decode: capture one step (KvWrite, then split-K Attention) in a CUDA
// graph once, then replay it for later steps after writing only device buffers: new q, k and v,
// and tokens at new positions. Each replay matches the CPU doing the same step.
TEST_P(AttentionKernelTest, CapturedGraphReplaysWithNewPositionsAndValues) {
  std::mt19937_64 rng(Seed() + 5);
  const Shape s{4, 2, 64, 16};
  Batch batch(s, DType::kF16, 120, rng);
  const int T = batch.T();
  const size_t nq = static_cast<size_t>(T) * s.heads * s.dim, nkv = static_cast<size_t>(T) * s.kv_heads * s.dim;
  DeviceBuffer<float> dq(nq), dk(nkv), dv(nkv), out(nq);
  const int bound = 160;  // the graph's context bound
  const AttentionPlan plan = PlanAttention(T, s.kv_heads, bound, 132, 48);
  ASSERT_EQ(plan.splits, 4);
  DeviceBuffer<float> ws(static_cast<size_t>(plan.WorkspaceFloats(T, s.heads, s.dim)));
  const float scale = 0.125f;
  DeviceAttentionArgs a;
  a.q = dq.get();
  a.out = out.get();
  a.T = T;
  a.heads = s.heads;
  a.scale = scale;
  a.layer = kLayer;
  a.cache = batch.Cache();
  a.tokens = batch.Tokens();
  a.max_context = bound;
  cudaStream_t stream = nullptr;
  ASSERT_EQ(cudaStreamCreate(&stream), cudaSuccess);
  ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal), cudaSuccess);
  ASSERT_TRUE(KvWrite(batch.Cache(), kLayer, batch.Tokens(), T, dk.get(), dv.get(), stream).ok());
  ASSERT_TRUE(Attention(a, plan, ws.get(), static_cast<int64_t>(ws.size()), stream).ok());
  cudaGraph_t graph = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(stream, &graph), cudaSuccess);
  cudaGraphExec_t exec = nullptr;
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
  for (int step = 0; step < 2; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    if (step == 1) {  // the two decode-only sequences advance by one position
      for (int t = 0; t < T; ++t) {
        if (batch.SequenceOf(t) <= 1) batch.SetPosition(t, batch.positions()[static_cast<size_t>(t)] + 1);
      }
    }
    const std::vector<float> q = Random(nq, rng), k = Random(nkv, rng), v = Random(nkv, rng);
    dq.Upload(q);
    dk.Upload(k);
    dv.Upload(v);
    out.Poison();
    ws.Poison();
    ASSERT_EQ(cudaGraphLaunch(exec, stream), cudaSuccess) << ErrorText(cudaGetLastError());
    ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
    for (int t = 0; t < T; ++t) {
      const int pos = batch.positions()[static_cast<size_t>(t)];
      batch.pool().Write(kLayer, batch.BlockOf(t, pos), pos % s.block_size, k.data() + static_cast<size_t>(t) * s.kv_heads * s.dim,
                         v.data() + static_cast<size_t>(t) * s.kv_heads * s.dim);
    }
    const std::vector<float> want = batch.CpuAttention(q, scale);
    EXPECT_TRUE(Close(out.Download(), want, s.heads, s.dim, [&](int t, int h) { return batch.Tolerance(q, scale, t, h); }));
  }
  EXPECT_EQ(cudaGraphExecDestroy(exec), cudaSuccess);
  EXPECT_EQ(cudaGraphDestroy(graph), cudaSuccess);
  EXPECT_EQ(cudaStreamDestroy(stream), cudaSuccess);
}

TEST_P(AttentionKernelTest, BadArgumentsAreInvalidArgument) {
  std::mt19937_64 rng(Seed() + 4);
  const Shape s{4, 2, 64, 16};
  Batch batch(s, DType::kF32, 40, rng);
  DeviceBuffer<float> q(static_cast<size_t>(batch.T()) * s.heads * s.dim), out(q.size()), ws(1 << 16);
  DeviceAttentionArgs good;
  good.q = q.get();
  good.out = out.get();
  good.T = batch.T();
  good.heads = s.heads;
  good.scale = 0.125f;
  good.layer = kLayer;
  good.cache = batch.Cache();
  good.tokens = batch.Tokens();
  good.max_context = batch.max_context();
  const AttentionPlan one;
  EXPECT_TRUE(Attention(good, one, nullptr, 0, nullptr).ok());
  auto bad = [&](DeviceAttentionArgs a, const AttentionPlan& plan = AttentionPlan{}, int64_t ws_floats = 1 << 16) {
    return Attention(a, plan, ws.get(), ws_floats, nullptr).code() == absl::StatusCode::kInvalidArgument;
  };
  DeviceAttentionArgs a = good;
  a.heads = 5;  // not a multiple of kv_heads
  EXPECT_TRUE(bad(a));
  a = good;
  a.heads = 2 * 17;  // 17 query heads per kv head
  EXPECT_TRUE(bad(a));
  for (int d : {0, 8, 48, 100, 192, 256}) {
    a = good;
    a.cache.head_dim = d;
    EXPECT_TRUE(bad(a)) << d;
    EXPECT_FALSE(AttentionHeadDimSupported(d));
  }
  a = good;
  a.layer = kLayers;
  EXPECT_TRUE(bad(a));
  a = good;
  a.max_context = 0;
  EXPECT_TRUE(bad(a));
  a = good;
  a.cache.block_size = 0;
  EXPECT_TRUE(bad(a));
  a = good;
  a.tokens.positions = nullptr;
  EXPECT_TRUE(bad(a));
  // Plans that do not cover max_context exactly, or whose workspace is missing or short.
  EXPECT_TRUE(bad(good, AttentionPlan{2, 8}));                           // 16 < max_context
  EXPECT_TRUE(bad(good, AttentionPlan{3, batch.max_context()}));         // a split past the end
  const AttentionPlan split = PlanAttention(batch.T(), s.kv_heads, batch.max_context(), 132, 16);
  ASSERT_GT(split.splits, 1);
  EXPECT_TRUE(bad(good, split, split.WorkspaceFloats(batch.T(), s.heads, s.dim) - 1));
  EXPECT_EQ(Attention(good, split, nullptr, 1 << 16, nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Attention(good, split, ws.get(), split.WorkspaceFloats(batch.T(), s.heads, s.dim), nullptr).ok());
  a = good;
  a.T = 0;
  EXPECT_TRUE(Attention(a, one, nullptr, 0, nullptr).ok()) << "no tokens: nothing to do";
  EXPECT_EQ(KvWrite(batch.Cache(), kLayers, batch.Tokens(), 1, q.get(), q.get(), nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KvWrite(batch.Cache(), 0, batch.Tokens(), -1, q.get(), q.get(), nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  for (int d : {16, 32, 64, 80, 96, 128}) EXPECT_TRUE(AttentionHeadDimSupported(d)) << d;
}

INSTANTIATE_TEST_SUITE_P(BothOrders, AttentionKernelTest,
                         ::testing::Values(emu::ThreadOrder::kAscending, emu::ThreadOrder::kDescending),
                         [](const auto& info) {
                           return std::string(info.param == emu::ThreadOrder::kAscending ? "Ascending" : "Descending");
                         });

// The split-K policy (no kernel runs): one pass for short contexts or batches that already
// fill the GPU; otherwise splits towards 4 blocks per SM, chunks of >= 64 positions, a multiple
// of 32, at most 64 splits, covering max_context exactly.
TEST(AttentionPlanTest, SplitPolicy) {
  auto check = [](int T, int kvh, int ctx, int splits, int chunk) {
    const AttentionPlan p = PlanAttention(T, kvh, ctx, 132);
    EXPECT_EQ(p.splits, splits) << T << " " << kvh << " " << ctx;
    EXPECT_EQ(p.chunk, chunk) << T << " " << kvh << " " << ctx;
    if (p.splits > 1) {
      EXPECT_GE(static_cast<int64_t>(p.splits) * p.chunk, ctx);
      EXPECT_LT(static_cast<int64_t>(p.splits - 1) * p.chunk, ctx);
    }
  };
  check(1, 8, 64, 1, 0);         // short: one pass
  check(1, 8, 512, 8, 64);       // 8 blocks -> 8 splits of the smallest chunk
  check(1, 8, 1024, 16, 64);     // one decode token at Qwen3's usual contexts
  check(1, 8, 4096, 64, 64);     // 66 splits would reach 528 blocks: at most 64
  check(1, 8, 100000, 64, 1568); // at most 64 splits
  check(64, 8, 4096, 2, 2048);   // 512 blocks: 2 splits reach 528
  check(66, 8, 4096, 1, 0);      // 528 blocks fill the GPU
  check(1, 1, 1000, 16, 64);     // ceil(1000 / 64) = 16 splits, chunk 63 -> 64
  const AttentionPlan forced = PlanAttention(3, 2, 203, 132, 64);
  EXPECT_EQ(forced.splits, 4);
  EXPECT_EQ(forced.chunk, 64);
  EXPECT_EQ(forced.WorkspaceFloats(3, 4, 64), 3 * 4 * 4 * 66);
  EXPECT_EQ(PlanAttention(3, 2, 64, 132, 64).splits, 1) << "one chunk is one pass";
}

}  // namespace
}  // namespace switchyard::cuda::test
