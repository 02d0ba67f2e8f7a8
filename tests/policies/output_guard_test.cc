// OutputGuard: a streamed answer, cut into deltas anywhere, comes out exactly as the output rules
// applied to the whole answer would make it; nothing a block rule matches is released.
#include "policies/output_guard.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using D = GuardrailDirection;
using A = GuardrailAction;

Guardrails Make(std::vector<GuardrailRuleSpec> rules) {
  auto g = Guardrails::Create(std::move(rules));
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *std::move(g) : Guardrails();
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t j = 1; j < n; ++j) {
      if ((static_cast<unsigned char>(s[i + j]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Filler long enough that the guard releases text while the stream is still going.
std::string Prose(int words, std::mt19937& rng) {
  const char* vocab[] = {"the", "contract", "señor", "Müller", "данные", "party", "shall", "日本", "notify", "within"};
  std::string s;
  for (int i = 0; i < words; ++i) absl::StrAppend(&s, vocab[rng() % std::size(vocab)], " ");
  return s;
}

TEST(OutputGuard, AnySplitGivesWhatTheWholeTextGives) {
  const Guardrails rules = Make({{"email", D::kOutput, "", "email", A::kRedact, ""},
                                 {"card", D::kOutput, "", "card_number", A::kRedact, ""},
                                 {"ticket", D::kOutput, "TCK-[0-9]{6}", "", A::kRedact, "[ticket]"}});
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    const std::string text = absl::StrCat(Prose(60, rng), "write to ann.lee+x@mail.example.com, ", Prose(30, rng),
                                          "card 4111 1111 1111 1111 and 4111 1111 1111 1112, ", Prose(50, rng),
                                          "ticket TCK-123456 ", Prose(5, rng), "bob@ex.org");
    const GuardrailOutcome whole = rules.Apply(D::kOutput, text);
    OutputGuard guard(rules);
    std::string streamed;
    bool released_early = false;
    for (size_t at = 0; at < text.size();) {
      const size_t n = std::min<size_t>(text.size() - at, 1 + rng() % 24);
      const GuardrailOutcome o = guard.Push(absl::string_view(text).substr(at, n));
      ASSERT_FALSE(o.blocked);
      EXPECT_TRUE(ValidUtf8(o.text)) << round;
      released_early |= !o.text.empty();
      streamed += o.text;
      at += n;
    }
    const GuardrailOutcome last = guard.Finish();
    ASSERT_TRUE(ValidUtf8(last.text));
    streamed += last.text;
    ASSERT_EQ(streamed, whole.text) << "round " << round;
    EXPECT_TRUE(released_early) << "the guard held the whole answer back";
  }
}

TEST(OutputGuard, HoldsBackTheTailUntilFinish) {
  const Guardrails rules = Make({{"email", D::kOutput, "", "email", A::kRedact, ""}});
  OutputGuard guard(rules);
  EXPECT_EQ(guard.Push("short answer to alice@").text, "");
  EXPECT_EQ(guard.Push("example.com").text, "");
  EXPECT_EQ(guard.Finish().text, "short answer to [redacted:email]");
  // Text is released once kHoldBack bytes follow it, never a part of an address still growing.
  OutputGuard g2(rules);
  const std::string head(OutputGuard::kHoldBack, 'x');
  std::string out = g2.Push(head + " carol.d@exam").text;
  EXPECT_EQ(out, std::string(13, 'x'));
  out += g2.Push("ple.org").text;
  out += g2.Finish().text;
  EXPECT_EQ(out, head + " [redacted:email]");
  // A match reaching across the cut moves the cut before it.
  OutputGuard g3(rules);
  EXPECT_EQ(g3.Push("dave@example.com" + std::string(250, ' ')).text, "");  // cut at 10, inside the match
  EXPECT_EQ(g3.Push(" more").text, "");
  EXPECT_EQ(g3.Push(" and more").text, "[redacted:email]" + std::string(8, ' '));
}

TEST(OutputGuard, ABlockReleasesNothingOfTheMatchAndEndsTheStream) {
  const Guardrails rules = Make({{"secret", D::kOutput, "sk-[A-Za-z0-9]{16,}", "", A::kBlock, ""}});
  std::mt19937 rng(9);
  const std::string text = Prose(80, rng) + "the key is sk-ABCDEFGHijklmnop1234 " + Prose(80, rng);
  OutputGuard guard(rules);
  std::string released;
  bool blocked = false;
  for (size_t at = 0; at < text.size() && !blocked; at += 7) {
    const GuardrailOutcome o = guard.Push(absl::string_view(text).substr(at, 7));
    released += o.text;
    if (o.blocked) {
      blocked = true;
      EXPECT_EQ(o.blocked_by, "secret");
      EXPECT_EQ(o.ToStatus(D::kOutput).message(), "output blocked by guardrail rule 'secret'");
    }
  }
  if (!blocked) blocked = guard.Finish().blocked;
  EXPECT_TRUE(blocked);
  EXPECT_EQ(released.find("sk-"), std::string::npos);
  EXPECT_EQ(guard.Push("more").text, "");
  EXPECT_FALSE(guard.Finish().blocked);
}

}  // namespace
}  // namespace switchyard
