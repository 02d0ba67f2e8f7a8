// Guardrails: built-in detectors, Luhn, exact redaction bytes, blocking, decisions, bad rules.
#include "policies/guardrails.h"

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

TEST(Luhn, KnownNumbers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));     // Visa test number
  EXPECT_TRUE(LuhnValid("4111 1111 1111 1111"));
  EXPECT_TRUE(LuhnValid("5500-0000-0000-0004"));  // Mastercard test number
  EXPECT_TRUE(LuhnValid("378282246310005"));      // Amex test number
  EXPECT_TRUE(LuhnValid("79927398713"));          // the classic example
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid("4111x111"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(Guardrails, RedactsEmailAddresses) {
  Guardrails g = Make({{"email", D::kInput, "", "email", A::kRedact, ""}});
  GuardrailOutcome o = g.Apply(D::kInput, "write to ann.lee+x@mail.example.com or bob@ex.org.");
  EXPECT_FALSE(o.blocked);
  EXPECT_EQ(o.text, "write to [redacted:email] or [redacted:email].");
  ASSERT_EQ(o.decisions.size(), 1u);
  EXPECT_EQ(o.decisions[0].rule, "email");
  EXPECT_EQ(o.decisions[0].action, A::kRedact);
  EXPECT_EQ(o.decisions[0].direction, D::kInput);
  EXPECT_EQ(o.decisions[0].spans, 2);
}

TEST(Guardrails, RedactsOnlyLuhnValidCardNumbers) {
  Guardrails g = Make({{"card", D::kInput, "", "card_number", A::kRedact, "[card]"}});
  GuardrailOutcome o = g.Apply(
      D::kInput, "pay 4111 1111 1111 1111, order 4111111111111112, id 12345678901234567890123, ref 5500-0000-0000-0004");
  EXPECT_EQ(o.text, "pay [card], order 4111111111111112, id 12345678901234567890123, ref [card]");
  ASSERT_EQ(o.decisions.size(), 1u);
  EXPECT_EQ(o.decisions[0].spans, 2);
}

TEST(Guardrails, NothingFiresNothingRecorded) {
  Guardrails g = Make({{"email", D::kInput, "", "email", A::kRedact, ""}});
  GuardrailOutcome o = g.Apply(D::kInput, "no address here, just @ and example.com");
  EXPECT_EQ(o.text, "no address here, just @ and example.com");
  EXPECT_TRUE(o.decisions.empty());
  EXPECT_TRUE(o.ToStatus(D::kInput).ok());
}

TEST(Guardrails, BlockStopsAndSaysWhichRule) {
  Guardrails g = Make({{"email", D::kOutput, "", "email", A::kRedact, ""},
                       {"secret", D::kOutput, "sk-[A-Za-z0-9]{8,}", "", A::kBlock, ""},
                       {"never-reached", D::kOutput, "x", "", A::kRedact, ""}});
  GuardrailOutcome o = g.Apply(D::kOutput, "mail a@b.io the key sk-ABCDEFGH12 and sk-12345678x");
  EXPECT_TRUE(o.blocked);
  EXPECT_EQ(o.blocked_by, "secret");
  EXPECT_EQ(o.text, "");
  ASSERT_EQ(o.decisions.size(), 2u);
  EXPECT_EQ(o.decisions[0].rule, "email");
  EXPECT_EQ(o.decisions[1].rule, "secret");
  EXPECT_EQ(o.decisions[1].spans, 2);
  const absl::Status s = o.ToStatus(D::kOutput);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "output blocked by guardrail rule 'secret'");
}

TEST(Guardrails, DirectionsAreSeparate) {
  Guardrails g = Make({{"email", D::kOutput, "", "email", A::kRedact, ""}});
  EXPECT_EQ(g.Apply(D::kInput, "a@b.io").text, "a@b.io");
  EXPECT_EQ(g.Apply(D::kOutput, "a@b.io").text, "[redacted:email]");
}

TEST(Guardrails, LaterRulesSeeEarlierRedactions) {
  Guardrails g = Make({{"word", D::kInput, "secret", "", A::kRedact, "XX"},
                       {"pair", D::kInput, "XXXX", "", A::kRedact, "[two]"}});
  EXPECT_EQ(g.Apply(D::kInput, "secretsecret!").text, "[two]!");
}

TEST(Guardrails, EmptyMatchesAreIgnored) {
  Guardrails g = Make({{"stars", D::kInput, "a*", "", A::kRedact, "_"}});
  GuardrailOutcome o = g.Apply(D::kInput, "baab");
  EXPECT_EQ(o.text, "b_b");
  ASSERT_EQ(o.decisions.size(), 1u);
  EXPECT_EQ(o.decisions[0].spans, 1);
}

TEST(Guardrails, BadRulesAreRefusedNamingTheRule) {
  auto bad = Guardrails::Create({{"broken", D::kInput, "(unclosed", "", A::kBlock, ""}});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("guardrail rule 'broken': invalid pattern: missing )"), std::string::npos)
      << bad.status();
  auto unknown = Guardrails::Create({{"ssn", D::kInput, "", "ssn", A::kBlock, ""}});
  EXPECT_EQ(unknown.status().message(), "guardrail rule 'ssn': unknown builtin 'ssn' (expected email or card_number)");
  auto both = Guardrails::Create({{"x", D::kInput, "a", "email", A::kBlock, ""}});
  EXPECT_EQ(both.status().message(), "guardrail rule 'x': give exactly one of pattern and builtin");
  auto dup = Guardrails::Create({{"x", D::kInput, "a", "", A::kBlock, ""}, {"x", D::kOutput, "b", "", A::kBlock, ""}});
  EXPECT_EQ(dup.status().message(), "guardrail rule 'x': duplicate rule name");
}

TEST(Guardrails, InvalidUtf8DoesNotBreakMatching) {
  Guardrails g = Make({{"email", D::kInput, "", "email", A::kRedact, ""}});
  EXPECT_EQ(g.Apply(D::kInput, std::string("\xff\xfe a@b.io \xc3")).text, std::string("\xff\xfe [redacted:email] \xc3"));
}

}  // namespace
}  // namespace switchyard
