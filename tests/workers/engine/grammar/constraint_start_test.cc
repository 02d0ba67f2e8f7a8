// A grammar that starts after a trigger token (SamplingParams::grammar_starts_after_token, Qwen3's
// </think>): tokens are free until the trigger, the grammar holds after it. TokenConstraint on
// a synthetic vocabulary; Sequence (the Engine's path) on Qwen3's tokenizer with made-up logits,
// so the model "reasons", closes with </think> and is then held to a tool call; Generator on
// the tiny random-weight fixture, which never writes </think>, so its output stays free.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/chat/output_parser.h"
#include "workers/engine/grammar/grammar_cache.h"
#include "workers/engine/grammar/json_schema_grammar.h"
#include "workers/engine/grammar/token_constraint.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"
#include "workers/engine/sched/sequence.h"

namespace switchyard {
namespace {

TEST(TokenConstraintStart, FreeUntilTheTriggerThenTheGrammar) {
  const std::vector<std::string> pieces = {"tr", "ue", "true", "false", "hello", "", "</think>", ""};
  std::vector<bool> excluded(pieces.size(), false);
  const int32_t trigger = 6;
  const int32_t end = 5;
  excluded[static_cast<size_t>(end)] = true;
  auto vocab = std::make_shared<const VocabularyTrie>(VocabularyTrie::Build(pieces, excluded));
  auto g = CompileJsonSchema(R"({"type": "boolean"})", "t");
  ASSERT_TRUE(g.ok());
  const int64_t n = static_cast<int64_t>(pieces.size());
  auto compiled = std::make_shared<const CompiledGrammar>(std::move(*g), vocab, n);
  TokenConstraint c(compiled, {end}, trigger);
  std::vector<float> logits(static_cast<size_t>(n), 1.0f);
  c.ApplyMask(logits.data(), n);
  for (float v : logits) EXPECT_EQ(v, 1.0f);  // waiting: nothing masked
  EXPECT_FALSE(c.active());
  ASSERT_TRUE(c.Accept(4).ok());    // "hello": refused by the grammar, free before the trigger
  ASSERT_TRUE(c.Accept(end).ok());  // even an end token
  EXPECT_FALSE(c.accepted());
  EXPECT_FALSE(c.finished());
  ASSERT_TRUE(c.Accept(trigger).ok());
  EXPECT_TRUE(c.active());
  c.ApplyMask(logits.data(), n);
  for (int32_t id = 0; id < n; ++id) {
    EXPECT_EQ(std::isfinite(logits[static_cast<size_t>(id)]), id == 0 || id == 2 || id == 3) << id;  // tr, true, false
  }
  EXPECT_FALSE(c.Accept(4).ok());
  ASSERT_TRUE(c.Accept(2).ok());
  EXPECT_TRUE(c.accepted());
  ASSERT_TRUE(c.Accept(end).ok());
  EXPECT_TRUE(c.finished());

  TokenConstraint now(compiled, {end});  // -1: from the first token
  EXPECT_TRUE(now.active());
  EXPECT_FALSE(now.Accept(4).ok());
}

class QwenConstraintStart : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::QwenTokenizerDir();
    if (!dir) GTEST_SKIP() << "no Qwen3 tokenizer files (../shared/fixtures or scripts/setup.sh)";
    auto tok = Tokenizer::Load(*dir + "/tokenizer.json");
    ASSERT_TRUE(tok.ok()) << tok.status();
    tok_ = std::move(*tok);
    think_end_ = *tok_->TokenId("</think>");
    im_end_ = *tok_->TokenId("<|im_end|>");
  }
  std::shared_ptr<const CompiledGrammar> AddCall(GrammarCache& cache) {
    auto g = cache.ForToolCalls(std::vector<ToolSchema>{
        {"add", R"({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                   "required": ["a", "b"]})"}});
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? *g : nullptr;
  }

  std::unique_ptr<Tokenizer> tok_;
  int32_t think_end_ = -1;
  int32_t im_end_ = -1;
};

// The logits row a "model" that wants `token` gives: everything 0, `token` 10.
std::vector<float> Wanting(int32_t token, int64_t vocab) {
  std::vector<float> row(static_cast<size_t>(vocab), 0.0f);
  row[static_cast<size_t>(token)] = 10.0f;
  return row;
}

TEST_F(QwenConstraintStart, SequenceReasonsFreelyThenIsHeldToTheCall) {
  constexpr int64_t kVocab = 151936;
  GrammarCache cache(tok_.get(), kVocab);
  auto pool = KvBlockPool::Create(KvCacheShape{.layers = 1, .kv_heads = 1, .head_dim = 1}, 1);
  ASSERT_TRUE(pool.ok()) << pool.status();
  std::string text;
  FinishReason reason = FinishReason::kNone;
  EngineRequest r;
  r.prompt = *tok_->Encode("<|im_start|>assistant\n", {.parse_special = true});
  r.sampling.temperature = 0.0f;  // greedy: the wanted token when allowed, else the lowest allowed id
  r.sampling.max_tokens = 200;
  r.sampling.stop_token_ids = {im_end_};
  r.sampling.grammar = AddCall(cache);
  r.sampling.grammar_starts_after_token = think_end_;
  r.on_output = [&](SequenceOutput o) {
    text += o.text;
    if (o.finished) reason = o.reason;
  };
  Sequence seq(std::move(r), pool->get(), *tok_, kVocab);

  std::vector<int32_t> wanted = {*tok_->TokenId("<think>")};
  auto reasoning = tok_->Encode("\nAdd 2 and 3.\n");
  ASSERT_TRUE(reasoning.ok());
  wanted.insert(wanted.end(), reasoning->begin(), reasoning->end());
  wanted.push_back(think_end_);
  const int32_t hello = (*tok_->Encode("hello"))[0];
  bool finished = false;
  for (size_t step = 0; step < 200 && !finished; ++step) {
    const int32_t want = step < wanted.size() ? wanted[step] : hello;
    std::vector<float> row = Wanting(want, kVocab);
    const int32_t got = seq.Sample(row.data());
    if (step < wanted.size()) {
      ASSERT_EQ(got, want) << "step " << step << ": reasoning must be free";
    } else {
      ASSERT_NE(got, hello) << "step " << step << ": the grammar must hold after </think>";
    }
    finished = seq.Accept(got, 100000);
  }
  ASSERT_TRUE(finished) << text;
  EXPECT_EQ(reason, FinishReason::kStop) << text;  // the call's end, then <|im_end|>, the only token left
  ASSERT_EQ(text.rfind("<think>\nAdd 2 and 3.\n</think><tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": ", 0), 0u)
      << text;

  OutputParser parser;
  std::vector<OutputEvent> events = parser.Push(text);
  for (auto& e : parser.Finish()) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 2u) << text;
  EXPECT_EQ(events[0].kind, OutputEvent::Kind::kReasoning);
  EXPECT_EQ(events[0].text, "Add 2 and 3.");
  EXPECT_EQ(events[1].kind, OutputEvent::Kind::kToolCall);
  EXPECT_EQ(events[1].name, "add");
}

TEST_F(QwenConstraintStart, GeneratorIsFreeUntilTheTrigger) {
  SWITCHYARD_REQUIRE_SHARED();
  auto dir = testing::FixtureDir("qwen3-tiny-dense");
  if (!dir) GTEST_SKIP() << "no qwen3-tiny-dense fixture";
  auto model = LoadModel(*dir + "/hf", LoadOptions{.progress = nullptr, .prefault = false});
  ASSERT_TRUE(model.ok()) << model.status();
  auto runner = Qwen3Runner::Create(**model, RunnerOptions{.threads = 2});
  ASSERT_TRUE(runner.ok()) << runner.status();
  auto pool = MakeKvPool(**runner, KvPoolSpec{(*runner)->kv_shape(16), 16, KvMemory::kHost});
  ASSERT_TRUE(pool.ok()) << pool.status();
  GrammarCache cache(tok_.get(), (*runner)->vocab_size());
  Generator gen(**runner, *tok_, **pool);
  GenerateOptions o;
  o.sampling.temperature = 1.0f;
  o.sampling.top_k = 40;
  o.sampling.seed = 3;
  o.sampling.max_tokens = 20;
  o.sampling.stop_token_ids = {im_end_};
  o.sampling.grammar = AddCall(cache);
  const std::vector<int32_t> prompt = *tok_->Encode("Add 2 and 3.");
  // From the first token: the call's opening is forced.
  auto held = gen.Generate(prompt, o, nullptr);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->text.rfind("<tool_call>\n{\"name\": \"add\"", 0), 0u) << held->text;
  // Waiting for </think>, which the random model does not write: nothing is forced.
  o.sampling.grammar_starts_after_token = think_end_;
  auto free = gen.Generate(prompt, o, nullptr);
  ASSERT_TRUE(free.ok()) << free.status();
  EXPECT_EQ(free->text.find("<tool_call>"), std::string::npos) << free->text;
  o.sampling.grammar = nullptr;
  o.sampling.grammar_starts_after_token = -1;
  auto unconstrained = gen.Generate(prompt, o, nullptr);
  ASSERT_TRUE(unconstrained.ok());
  EXPECT_EQ(free->tokens, unconstrained->tokens);  // same seed, no mask: the same tokens
}

}  // namespace
}  // namespace switchyard
