// FeatureExtractor: normalization, the features it emits, truncation, and hash stability (a
// shipped model is only valid while the hashing does not change).
#include "router/classify/feature_extractor.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard::classify {
namespace {

using ::testing::Contains;
using ::testing::Not;

struct NameLog {
  static constexpr bool kWantsNames = true;
  std::vector<std::string> names;
  std::vector<uint32_t> buckets;
  std::map<FeatureGroup, int> per_group;
  void Named(FeatureGroup g, uint32_t bucket, absl::string_view name) {
    names.emplace_back(name);
    buckets.push_back(bucket);
    ++per_group[g];
  }
};

struct Plain {
  std::vector<uint32_t> buckets;
  void operator()(FeatureGroup, uint32_t bucket) { buckets.push_back(bucket); }
};

NameLog Extract(absl::string_view text, FeatureConfig config = {}) {
  NameLog sink;
  FeatureExtractor(config).Extract(text, sink);
  return sink;
}

TEST(FeatureExtractorTest, WordsBigramsAndEdgesAreLowercased) {
  const NameLog f = Extract("Translate INTO French");
  EXPECT_THAT(f.names, Contains("w:translate"));
  EXPECT_THAT(f.names, Contains("w:french"));
  EXPECT_THAT(f.names, Contains("w2:into french"));
  EXPECT_THAT(f.names, Contains("head:translate"));
  EXPECT_THAT(f.names, Contains("tail:french"));
  EXPECT_THAT(f.names, Contains("c:\"tran\""));
  EXPECT_THAT(f.names, Not(Contains("w:INTO")));
}

TEST(FeatureExtractorTest, UnicodeLettersFoldAndDigitsOfAnyScriptBecomeZero) {
  const NameLog f = Extract("ÜBERSETZE 2024 ٤٥");
  EXPECT_THAT(f.names, Contains("w:übersetze"));
  EXPECT_THAT(f.names, Contains("w:0000"));
  EXPECT_THAT(f.names, Contains("w:00"));  // Arabic-Indic digits
}

TEST(FeatureExtractorTest, HanAndKanaCharactersAreWordsOfTheirOwn) {
  const NameLog f = Extract("翻译成英文");
  EXPECT_THAT(f.names, Contains("w:翻"));
  EXPECT_THAT(f.names, Contains("w2:翻 译"));
  EXPECT_THAT(f.names, Contains("w2:英 文"));
  EXPECT_THAT(f.names, Contains("s:script=han"));
}

TEST(FeatureExtractorTest, CharacterNgramCountsFollowTheConfiguredRange) {
  // "abcd": 4 unigrams + 3 bigrams + 2 trigrams + 1 four-gram.
  EXPECT_EQ(Extract("abcd").per_group[FeatureGroup::kChar], 10);
  FeatureConfig c;
  c.char_min_n = 3;
  c.char_max_n = 4;
  EXPECT_EQ(Extract("abcd", c).per_group[FeatureGroup::kChar], 3);
}

TEST(FeatureExtractorTest, WhitespaceRunsCollapseButLineBreaksAndIndentationRemain) {
  EXPECT_EQ(Extract("a  \t b").buckets, Extract("a b").buckets);
  const NameLog code = Extract("if x:\n    return y");
  EXPECT_THAT(code.names, Contains("c:\":\\n r\""));  // colon, line break, indentation, 'r'
  EXPECT_NE(Extract("a\nb").buckets, Extract("a b").buckets);
}

TEST(FeatureExtractorTest, StructuralFeaturesDescribeCode) {
  const NameLog code = Extract("def f(x):\n    y = x * 2\n    return y\n");
  EXPECT_THAT(code.names, Contains("s:indented_lines=6"));  // 2 of 3 lines indented
  EXPECT_THAT(code.names, Contains("s:lines=3"));
  const NameLog prose = Extract("Why is the sky blue?");
  EXPECT_THAT(prose.names, Contains("s:ends_with_question=1"));
  EXPECT_THAT(prose.names, Contains("s:script=latin"));
}

TEST(FeatureExtractorTest, InvalidUtf8IsReplacedNotFatal) {
  static const char kBytes[] = "\xff\xfe abc \xe2\x82 def \xc0\xaf";
  const NameLog f = Extract(std::string(kBytes, sizeof(kBytes) - 1));
  EXPECT_THAT(f.names, Contains("w:abc"));
  EXPECT_THAT(f.names, Contains("w:def"));
  EXPECT_THAT(f.names, Contains("c:\"\xef\xbf\xbd\""));  // U+FFFD
}

TEST(FeatureExtractorTest, NamedAndPlainExtractionAgree) {
  const std::string text = "Écris une fonction Python qui inverse une liste.\n  x = [1, 2]  # 注释";
  Plain plain;
  FeatureExtractor(FeatureConfig{}).Extract(text, plain);
  EXPECT_EQ(plain.buckets, Extract(text).buckets);
}

TEST(FeatureExtractorTest, LongPromptsReadOnlyTheirHeadAndTail) {
  FeatureConfig c;
  c.max_bytes = 256;
  const std::string head = "Translate into German: " + std::string(200, 'a');
  const std::string tail = std::string(200, 'z') + " thanks";
  const NameLog one = Extract(head + std::string(10000, 'x') + tail, c);
  const NameLog two = Extract(head + std::string(50000, 'y') + tail, c);
  EXPECT_EQ(one.buckets, two.buckets);
  EXPECT_THAT(one.names, Contains("head:translate"));
  EXPECT_THAT(one.names, Contains("tail:thanks"));
  EXPECT_LT(one.buckets.size(), 4u * 300u);
}

TEST(FeatureExtractorTest, TruncationNeverSplitsACharacter) {
  FeatureConfig c;
  c.max_bytes = 64;
  // 3-byte characters: whatever the cut, no U+FFFD may appear.
  std::string text;
  for (int i = 0; i < 100; ++i) text += "翻";
  for (int shift = 0; shift < 3; ++shift) {
    const NameLog f = Extract(std::string(shift, 'a') + text, c);
    EXPECT_THAT(f.names, Not(Contains("c:\"\xef\xbf\xbd\""))) << "shift " << shift;
  }
}

TEST(FeatureExtractorTest, HashingIsStable) {
  // Golden buckets: if these change, every shipped model silently breaks. Retrain instead.
  NameLog f = Extract("hello");
  ASSERT_FALSE(f.names.empty());
  std::map<std::string, uint32_t> bucket;
  for (size_t i = 0; i < f.names.size(); ++i) bucket[f.names[i]] = f.buckets[i];
  EXPECT_EQ(bucket["w:hello"], 232401u);
  EXPECT_EQ(bucket["c:\"hell\""], 121097u);
}

}  // namespace
}  // namespace switchyard::classify
