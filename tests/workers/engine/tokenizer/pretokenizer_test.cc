#include "workers/engine/tokenizer/pretokenizer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/tokenizer/random_text.h"

namespace switchyard {
namespace {

std::vector<std::string> Pieces(const PreTokenizer& p, const std::string& text) {
  std::vector<TextSpan> spans;
  p.Split(text, &spans);
  std::vector<std::string> out;
  for (const TextSpan& s : spans) out.push_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

using V = std::vector<std::string>;

TEST(Qwen2PreTokenizerTest, SplitsAsThePatternSays) {
  auto p = MakeQwen2PreTokenizer();
  EXPECT_EQ(Pieces(*p, "Hello world"), (V{"Hello", " world"}));
  EXPECT_EQ(Pieces(*p, "I've 'told he's"), (V{"I", "'ve", " '", "told", " he", "'s"}));
  EXPECT_EQ(Pieces(*p, "'SUP"), (V{"'S", "UP"}));
  EXPECT_EQ(Pieces(*p, "x 123"), (V{"x", " ", "1", "2", "3"}));
  EXPECT_EQ(Pieces(*p, "a  b"), (V{"a", " ", " b"}));
  EXPECT_EQ(Pieces(*p, "a   \n\n  b"), (V{"a", "   \n\n", " ", " b"}));
  EXPECT_EQ(Pieces(*p, "end   "), (V{"end", "   "}));
  EXPECT_EQ(Pieces(*p, "f(x);\n\ny"), (V{"f", "(x", ");\n\n", "y"}));
  EXPECT_EQ(Pieces(*p, " ?!\r\nz"), (V{" ?!\r\n", "z"}));
  EXPECT_EQ(Pieces(*p, "\tif"), (V{"\tif"}));
  EXPECT_EQ(Pieces(*p, "\xE4\xBA\xBA\xE5\xB7\xA5\xE3\x80\x82"), (V{"\xE4\xBA\xBA\xE5\xB7\xA5", "\xE3\x80\x82"}));
  EXPECT_EQ(Pieces(*p, ""), V{});
}

TEST(Qwen2PreTokenizerTest, OnigurumaWhitespace) {
  auto p = MakeQwen2PreTokenizer();
  // U+0085 is \s (a space run before "x"); U+FEFF is not (it is "other" and leads "x").
  EXPECT_EQ(Pieces(*p, "a\xC2\x85\xC2\x85x"), (V{"a", "\xC2\x85", "\xC2\x85x"}));
  EXPECT_EQ(Pieces(*p, "a\xEF\xBB\xBFx"), (V{"a", "\xEF\xBB\xBFx"}));
  EXPECT_EQ(Pieces(*p, "a \xEF\xBB\xBFx"), (V{"a", " \xEF\xBB\xBF", "x"}));
  // U+3000 IDEOGRAPHIC SPACE is a space and may lead a word.
  EXPECT_EQ(Pieces(*p, "a\xE3\x80\x80" "b"), (V{"a", "\xE3\x80\x80" "b"}));
}

// The hand-written splitter and PCRE2 running the very pattern from tokenizer.json must agree
// on every input.
TEST(Qwen2PreTokenizerTest, AgreesWithPcre2OnRandomText) {
  auto fast = MakeQwen2PreTokenizer();
  auto regex = MakeRegexPreTokenizer(kQwen2Pattern);
  ASSERT_TRUE(regex.ok()) << regex.status();
  testing::RandomText gen(20261124);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = gen.Next(i % 100 == 0 ? 400 : 24);
    ASSERT_EQ(Pieces(*fast, text), Pieces(**regex, text)) << "input #" << i << ": " << text;
  }
}

TEST(RegexPreTokenizerTest, RewritesWhitespaceAndReportsBadPatterns) {
  EXPECT_EQ(RewriteWhitespaceClasses(R"(a\s+[^\s\d]\S)"),
            R"(a[\x{9}-\x{d}\x{85}\p{Z}]+[^\x{9}-\x{d}\x{85}\p{Z}\d][^\x{9}-\x{d}\x{85}\p{Z}])");
  EXPECT_EQ(RewriteWhitespaceClasses(R"(\\s[]s]\s)"), R"(\\s[]s][\x{9}-\x{d}\x{85}\p{Z}])");
  auto bad = MakeRegexPreTokenizer("(unclosed");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  // A pattern that does not cover all text leaves the gaps as pieces of their own.
  auto digits = MakeRegexPreTokenizer(R"(\d+)");
  ASSERT_TRUE(digits.ok());
  EXPECT_EQ(Pieces(**digits, "ab12cd3"), (V{"ab", "12", "cd", "3"}));
}

}  // namespace
}  // namespace switchyard
