// Token masks: on a small synthetic vocabulary (and on Qwen3's real one when present), the mask
// the trie walk computes equals the brute-force answer (advance a copy of the matcher by each
// token's bytes) at every state along many random paths; end tokens only when complete; the
// grammar cache shares compiled grammars.
#include "workers/engine/grammar/token_mask.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/grammar/grammar_cache.h"
#include "workers/engine/grammar/json_schema_grammar.h"
#include "workers/engine/grammar/token_constraint.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

const char* kSchema = R"({"type": "object", "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 4},
    "tags": {"type": "array", "items": {"enum": ["x", "yz"]}, "maxItems": 2},
    "n": {"type": "number"}, "ok": {"type": ["boolean", "null"]}},
    "required": ["name"]})";

std::vector<std::string> SyntheticPieces() {
  std::vector<std::string> p = {"{", "}", "[", "]", "\"", "\": ", ", ", ",", " ", "\"name", "\"tags\": [",
                                "name", "a", "ab", "abcde", "\\", "\\n", "\\u", "00", "e9", "d8", "\xC3", "\xA9",
                                "\xC3\xA9", "\xE2\x82", "\xAC", "0", "1", "12", "-", ".", ".5", "tr", "ue", "true",
                                "null", "false", "\"x\"", "\"yz\"]", "\"}", "\"}\n", "x", "yz", "n", "ok", "\": true}",
                                "\n", "<|im_end|>", ""};
  return p;
}

// Every token whose bytes keep `m` alive, by brute force.
std::vector<int32_t> BruteForce(const GrammarMatcher& m, const VocabularyTrie& v) {
  std::vector<int32_t> ids;
  for (int32_t id = 0; id < v.id_limit(); ++id) {
    GrammarMatcher copy = m;
    if (!v.piece(id).empty() && copy.Advance(v.piece(id))) ids.push_back(id);
  }
  return ids;
}

std::vector<int32_t> Allowed(const TokenMask& mask) {
  std::vector<int32_t> ids;
  for (int32_t id = 0; id < mask.size(); ++id) if (mask.allowed(id)) ids.push_back(id);
  return ids;
}

// Random walks through the grammar, comparing masks at each state.
void CheckRandomWalks(const Grammar& g, const VocabularyTrie& v, int walks, int steps) {
  std::mt19937 rng(7);
  std::vector<GrammarState> scratch;
  int checked = 0;
  for (int w = 0; w < walks; ++w) {
    GrammarMatcher m(&g);
    for (int s = 0; s < steps && !m.finished(); ++s) {
      TokenMask mask(v.id_limit());
      ComputeTokenMask(g, m.state(), v, &scratch, &mask);
      const std::vector<int32_t> expect = BruteForce(m, v);
      ASSERT_EQ(Allowed(mask), expect) << "walk " << w << " step " << s;
      ++checked;
      if (expect.empty()) break;
      ASSERT_TRUE(m.Advance(v.piece(expect[std::uniform_int_distribution<size_t>(0, expect.size() - 1)(rng)])));
    }
  }
  EXPECT_GT(checked, walks);
}

TEST(TokenMask, SyntheticVocabularyMatchesBruteForce) {
  const std::vector<std::string> pieces = SyntheticPieces();
  std::vector<bool> excluded(pieces.size(), false);
  excluded[pieces.size() - 2] = true;  // <|im_end|>: special
  const VocabularyTrie v = VocabularyTrie::Build(pieces, excluded);
  auto g = CompileJsonSchema(kSchema, "t");
  ASSERT_TRUE(g.ok()) << g.status();
  CheckRandomWalks(*g, v, 300, 60);
}

TEST(TokenMask, PlainLengthIsWholeValidCharacters) {
  EXPECT_EQ(VocabularyTrie::PlainLength("abc"), 3);
  EXPECT_EQ(VocabularyTrie::PlainLength("\xC3\xA9x"), 2);
  EXPECT_EQ(VocabularyTrie::PlainLength("\xC3"), -1);
  EXPECT_EQ(VocabularyTrie::PlainLength("a\"b"), -1);
  EXPECT_EQ(VocabularyTrie::PlainLength("a\\"), -1);
  EXPECT_EQ(VocabularyTrie::PlainLength("\n"), -1);
  EXPECT_EQ(VocabularyTrie::PlainLength("\xE0\x80\x80"), -1);  // overlong
}

TEST(TokenConstraint, EndTokensOnlyWhenCompleteAndApplyMasks) {
  const std::vector<std::string> pieces = SyntheticPieces();
  std::vector<bool> excluded(pieces.size(), false);
  const int32_t end = static_cast<int32_t>(pieces.size() - 2);
  excluded[static_cast<size_t>(end)] = true;
  auto vocab = std::make_shared<const VocabularyTrie>(VocabularyTrie::Build(pieces, excluded));
  auto g = CompileJsonSchema(R"({"type": "boolean"})", "t");
  ASSERT_TRUE(g.ok());
  const int64_t n = static_cast<int64_t>(pieces.size()) + 3;  // padding rows past the tokenizer
  auto compiled = std::make_shared<const CompiledGrammar>(std::move(*g), vocab, n);
  TokenConstraint c(compiled, {end});
  std::vector<float> logits(static_cast<size_t>(n), 1.0f);
  c.ApplyMask(logits.data(), n);
  for (int32_t id = 0; id < n; ++id) {
    const bool allowed = std::isfinite(logits[static_cast<size_t>(id)]);
    const std::string piece(vocab->piece(id));
    EXPECT_EQ(allowed, piece == "tr" || piece == "true" || piece == "false") << id << " " << piece;
  }
  EXPECT_FALSE(c.Accept(end).ok());  // not complete yet
  ASSERT_TRUE(c.Accept(static_cast<int32_t>(std::find(pieces.begin(), pieces.end(), "true") - pieces.begin())).ok());
  EXPECT_TRUE(c.accepted());
  std::fill(logits.begin(), logits.end(), 1.0f);
  c.ApplyMask(logits.data(), n);
  for (int32_t id = 0; id < n; ++id) EXPECT_EQ(std::isfinite(logits[static_cast<size_t>(id)]), id == end) << id;
  ASSERT_TRUE(c.Accept(end).ok());
  EXPECT_TRUE(c.finished());
}

TEST(GrammarCache, QwenVocabularyMasksAndSharing) {
  auto dir = testing::QwenTokenizerDir();
  if (!dir) GTEST_SKIP() << "no Qwen3 tokenizer files (../shared/fixtures or scripts/setup.sh)";
  auto tok = Tokenizer::Load(*dir + "/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.status();
  GrammarCache cache(tok->get(), 151936, 2);
  auto a = cache.ForJsonSchema(kSchema, "response_format.json_schema");
  ASSERT_TRUE(a.ok()) << a.status();
  // The same schema formatted differently is the same entry.
  auto b = cache.ForJsonSchema(R"({"type":"object","properties":{"name":{"type":"string","minLength":1,"maxLength":4},)"
                               R"("tags":{"type":"array","items":{"enum":["x","yz"]},"maxItems":2},"n":{"type":"number"},)"
                               R"("ok":{"type":["boolean","null"]}},"required":["name"]})",
                               "response_format.json_schema");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->get(), b->get());
  auto bad = cache.ForJsonSchema(R"({"type": "string", "pattern": "x"})", "response_format.json_schema");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cache.size(), 1u);
  CheckRandomWalks((*a)->grammar(), (*a)->vocab(), 3, 12);
  // Special tokens are never in a mask.
  GrammarMatcher m(&(*a)->grammar());
  auto mask = (*a)->Mask(m.state());
  EXPECT_FALSE(mask->allowed(*(*tok)->TokenId("<|im_end|>")));
  EXPECT_TRUE(mask->allowed(*(*tok)->TokenId("{")));
}

}  // namespace
}  // namespace switchyard
