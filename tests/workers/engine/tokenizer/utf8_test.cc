#include "workers/engine/tokenizer/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

std::string Lossy(absl::string_view s) {
  std::string out;
  utf8::AppendLossy(s, true, &out);
  return out;
}

constexpr const char* kFffd = "\xEF\xBF\xBD";

TEST(Utf8Test, ValidPrefix) {
  EXPECT_EQ(utf8::ValidPrefixLength("plain ascii text, long enough for the fast path"), 47u);
  EXPECT_EQ(utf8::ValidPrefixLength("caf\xC3\xA9"), 5u);
  EXPECT_EQ(utf8::ValidPrefixLength("ab\xC3"), 2u);            // truncated
  EXPECT_EQ(utf8::ValidPrefixLength("ab\xED\xA0\x80"), 2u);    // surrogate
  EXPECT_EQ(utf8::ValidPrefixLength("\xC0\xAF"), 0u);          // overlong
  EXPECT_EQ(utf8::ValidPrefixLength("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8::ValidPrefixLength("\xF0\x9F\x9A\x80"), 4u);
}

// Expected values follow Rust's String::from_utf8_lossy (one U+FFFD per maximal subpart).
TEST(Utf8Test, LossyMatchesRust) {
  EXPECT_EQ(Lossy("Hello\xF0\x90\x80World"), std::string("Hello") + kFffd + "World");
  EXPECT_EQ(Lossy("\xE2\x82"), kFffd);
  EXPECT_EQ(Lossy("\xF1\x80\x80\x41"), std::string(kFffd) + "A");
  EXPECT_EQ(Lossy("\xC0\xAF"), std::string(kFffd) + kFffd);        // C0 never starts a character
  EXPECT_EQ(Lossy("\xED\xA0\x80"), std::string(kFffd) + kFffd + kFffd);  // ED A0: A0 out of range
  EXPECT_EQ(Lossy("\xE0\x80\xBF"), std::string(kFffd) + kFffd + kFffd);
  EXPECT_EQ(Lossy("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(Lossy("a\xFF" "b"), std::string("a") + kFffd + "b");
}

TEST(Utf8Test, StreamingHoldsIncompleteTail) {
  std::string out;
  EXPECT_EQ(utf8::AppendLossy("ab\xF0\x9F", false, &out), 2u);
  EXPECT_EQ(out, "ab");
  out.clear();
  EXPECT_EQ(utf8::AppendLossy("\xF0\x9F\x9A\x80!", false, &out), 5u);
  EXPECT_EQ(out, "\xF0\x9F\x9A\x80!");
  out.clear();
  // Known to be invalid already: emitted at once.
  EXPECT_EQ(utf8::AppendLossy("\xF0\x41", false, &out), 2u);
  EXPECT_EQ(out, std::string(kFffd) + "A");
}

TEST(Utf8Test, AppendCodePoint) {
  std::string s;
  for (uint32_t cp : {0x41u, 0xE9u, 0x4EBAu, 0x1F680u}) utf8::AppendCodePoint(cp, &s);
  EXPECT_EQ(s, "A\xC3\xA9\xE4\xBA\xBA\xF0\x9F\x9A\x80");
  int len;
  EXPECT_EQ(utf8::DecodeAt(s, 6, &len), 0x1F680u);
  EXPECT_EQ(len, 4);
}

}  // namespace
}  // namespace switchyard
