// KvBlockPool in both modes. A bookkeeping-only pool (KvMemory::kNone, the CUDA runner's) hands
// out the same block ids, lowest first, keeps the same accounting and refuses the same way when
// full, holds no memory however large its shape, and aborts with a message when anything reads
// or writes its K/V; a host pool stores what is written.
#include "workers/engine/kv/kv_block_pool.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

KvCacheShape Shape(DType dtype = DType::kF32) {
  return KvCacheShape{.layers = 2, .kv_heads = 2, .head_dim = 4, .block_size = 16, .dtype = dtype};
}

std::unique_ptr<KvBlockPool> Make(int64_t blocks, KvMemory memory, const KvCacheShape& shape = Shape()) {
  auto pool = KvBlockPool::Create(shape, blocks, memory);
  EXPECT_TRUE(pool.ok()) << pool.status();
  return pool.ok() ? std::move(*pool) : nullptr;
}

TEST(KvBlockPoolTest, BookkeepingPoolKeepsTheHostPoolsAccounting) {
  auto host = Make(8, KvMemory::kHost);
  auto book = Make(8, KvMemory::kNone);
  ASSERT_NE(host, nullptr);
  ASSERT_NE(book, nullptr);
  EXPECT_TRUE(host->has_memory());
  EXPECT_FALSE(book->has_memory());
  for (KvBlockPool* pool : {host.get(), book.get()}) {
    EXPECT_EQ(pool->num_blocks(), 8);
    EXPECT_EQ(pool->free_blocks(), 8);
    KvSequence a(pool), b(pool);
    ASSERT_TRUE(a.Reserve(40).ok());  // 3 blocks of 16
    EXPECT_EQ(a.blocks(), (std::vector<int32_t>{0, 1, 2}));
    ASSERT_TRUE(b.Reserve(16).ok());
    EXPECT_EQ(b.blocks(), (std::vector<int32_t>{3}));
    EXPECT_EQ(pool->free_blocks(), 4);
    // Five more blocks do not fit in the four left: refused, and nothing taken.
    const absl::Status full = b.Reserve(16 * 6);
    EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
    EXPECT_EQ(b.blocks().size(), 1u);
    EXPECT_EQ(pool->free_blocks(), 4);
    a.Release();
    EXPECT_EQ(pool->free_blocks(), 7);
    // Freed ids are handed out again.
    ASSERT_TRUE(b.Reserve(16 * 4).ok());
    EXPECT_EQ(b.blocks().size(), 4u);
    EXPECT_EQ(pool->free_blocks(), 4);
  }
}

// 2^22 blocks of 64 layers x 64 kv heads x 256 x 16 f32 positions: 512 TiB of K/V, more than a
// process can address. Bookkeeping-only, it costs the 16 MiB free list and nothing else; the
// same host pool cannot exist.
TEST(KvBlockPoolTest, BookkeepingPoolAllocatesNoKvMemory) {
  const KvCacheShape huge{.layers = 64, .kv_heads = 64, .head_dim = 256, .block_size = 16, .dtype = DType::kF32};
  const int64_t blocks = int64_t{1} << 22;
  auto book = KvBlockPool::Create(huge, blocks, KvMemory::kNone);
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ((*book)->free_blocks(), blocks);
  KvSequence seq(book->get());
  ASSERT_TRUE(seq.Reserve(16 * 1000).ok());
  EXPECT_EQ((*book)->free_blocks(), blocks - 1000);
  EXPECT_EQ(KvBlockPool::Create(huge, blocks, KvMemory::kHost).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(KvBlockPoolTest, BookkeepingPoolRefusesTheSameShapes) {
  KvCacheShape bad = Shape();
  bad.head_dim = 0;
  EXPECT_EQ(KvBlockPool::Create(bad, 8, KvMemory::kNone).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KvBlockPool::Create(Shape(), 0, KvMemory::kNone).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KvBlockPool::Create(Shape(DType::kBF16), 8, KvMemory::kNone).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KvBlockPoolTest, HostPoolStoresWhatIsWritten) {
  auto pool = Make(4, KvMemory::kHost);
  ASSERT_NE(pool, nullptr);
  const std::vector<float> k = {1, 2, 3, 4, 5, 6, 7, 8}, v = {-1, -2, -3, -4, -5, -6, -7, -8};
  pool->Write(1, 2, 5, k.data(), v.data());
  // K is [kv_heads][head_dim][block_size]; V is [kv_heads][block_size][head_dim].
  EXPECT_EQ(pool->K(1, 2)[(1 * 4 + 3) * 16 + 5], 8.0f);
  EXPECT_EQ(pool->V(1, 2)[(1 * 16 + 5) * 4 + 3], -8.0f);
}

// Reading or writing K/V of a bookkeeping-only pool is a bug in the caller: it stops the process
// with a message naming it, never a pointer into nothing.
TEST(KvBlockPoolDeathTest, BookkeepingPoolKvAccessAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f32 = Make(4, KvMemory::kNone);
  auto f16 = Make(4, KvMemory::kNone, Shape(DType::kF16));
  ASSERT_NE(f32, nullptr);
  ASSERT_NE(f16, nullptr);
  const std::vector<float> kv(8, 1.0f);
  EXPECT_DEATH(f32->K(0, 1), "bookkeeping-only pool");
  EXPECT_DEATH(f32->V(0, 1), "lives in device memory");
  EXPECT_DEATH(f16->K16(1, 0), "bookkeeping-only pool");
  EXPECT_DEATH(f16->V16(1, 0), "bookkeeping-only pool");
  EXPECT_DEATH(f32->Write(0, 0, 0, kv.data(), kv.data()), "bookkeeping-only pool");
  EXPECT_DEATH(f16->Write(0, 0, 0, kv.data(), kv.data()), "bookkeeping-only pool");
}

}  // namespace
}  // namespace switchyard
