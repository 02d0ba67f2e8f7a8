// HeldPrefixKeys directly: each report replaces the last, the longest held prefix of a
// conversation, the bound (the worker's cap, most recent first), keys of the wrong size dropped.
#include "router/pools/held_prefix_keys.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using Keys = HeldPrefixKeys::Keys;

// A 32-byte key named by `n`.
std::string Key(int n) {
  std::string k = absl::StrCat("key-", n);
  k.resize(32, '.');
  return k;
}
Keys List(std::initializer_list<int> ns) {
  Keys out;
  for (int n : ns) out.Add(Key(n));
  return out;
}

TEST(HeldPrefixKeysTest, TheLongestHeldPrefixOfAConversation) {
  HeldPrefixKeys held;
  const Keys conversation = List({10, 11, 12, 13});  // prefix_keys of a 4-message conversation
  EXPECT_EQ(held.LongestHeldPrefix(conversation), 0u);
  held.Replace(List({11, 99}));
  EXPECT_EQ(held.LongestHeldPrefix(conversation), 2u);  // the cut after messages[1]
  held.Replace(List({13, 10}));
  EXPECT_EQ(held.LongestHeldPrefix(conversation), 4u);
  // Only keys of the conversation count, and a longer conversation is not held whole.
  EXPECT_EQ(held.LongestHeldPrefix(List({20, 21})), 0u);
  EXPECT_EQ(held.LongestHeldPrefix(List({10, 11, 12, 13, 14})), 4u);
  EXPECT_EQ(held.LongestHeldPrefix(Keys()), 0u);
}

TEST(HeldPrefixKeysTest, EachReportReplacesTheLast) {
  HeldPrefixKeys held;
  held.Replace(List({1, 2, 3}));
  EXPECT_EQ(held.size(), 3u);
  held.Replace(List({3, 4}));  // 1 and 2 were evicted
  EXPECT_EQ(held.size(), 2u);
  EXPECT_FALSE(held.Holds(Key(1)));
  EXPECT_TRUE(held.Holds(Key(3)));
  EXPECT_TRUE(held.Holds(Key(4)));
  held.Replace(Keys());  // a worker without a cache, or one that holds nothing now
  EXPECT_EQ(held.size(), 0u);
  EXPECT_FALSE(held.Holds(Key(3)));
}

TEST(HeldPrefixKeysTest, BoundedToTheMostRecentKeysOfTheWorkersCap) {
  HeldPrefixKeys held;
  Keys many;
  for (int i = 0; i < 300; ++i) many.Add(Key(i));  // most recently used first
  held.Replace(many);
  EXPECT_EQ(held.size(), kMaxHeldPrefixKeys);
  EXPECT_TRUE(held.Holds(Key(0)));
  EXPECT_TRUE(held.Holds(Key(255)));
  EXPECT_FALSE(held.Holds(Key(256)));
  EXPECT_FALSE(held.Holds(Key(299)));
}

TEST(HeldPrefixKeysTest, KeysOfAnotherSizeAreDropped) {
  HeldPrefixKeys held;
  Keys mixed = List({1});
  mixed.Add("short");
  mixed.Add(std::string(33, 'x'));
  mixed.Add(std::string());
  held.Replace(mixed);
  EXPECT_EQ(held.size(), 1u);
  EXPECT_TRUE(held.Holds(Key(1)));
  EXPECT_FALSE(held.Holds("short"));
}

}  // namespace
}  // namespace switchyard
