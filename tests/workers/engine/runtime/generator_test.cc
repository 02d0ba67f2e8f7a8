// Generator: sampling reproducibility, stop tokens and strings, length limits, teacher forcing
// and refusals, on a small random model with the real Qwen3 tokenizer.
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"

#include <memory>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_writer.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

class GeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape("tiny");
    o.shape.max_position_embeddings = 64;
    o.seed = 5;
    o.tokenizer_dir = *tok;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    auto m = LoadModel(dir_.path(), LoadOptions{.progress = nullptr, .prefault = false});
    ASSERT_TRUE(m.ok());
    model_ = std::move(*m);
    auto t = Tokenizer::Load(model_->tokenizer_json_path());
    ASSERT_TRUE(t.ok());
    tok_ = std::move(*t);
    runner_ = std::move(*Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2}));
    pool_ = std::move(*KvBlockPool::Create(runner_->kv_shape(16), 8));
    gen_ = std::make_unique<Generator>(*runner_, *tok_, *pool_);
    prompt_ = *tok_->Encode("Once upon a time");
  }
  GenerationResult Gen(const GenerateOptions& o, std::vector<GenerationStep>* steps = nullptr) {
    auto r = gen_->Generate(prompt_, o, [&](const GenerationStep& s) {
      if (steps) steps->push_back(s);
    });
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : GenerationResult{};
  }
  testing::ScratchDir dir_;
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<Qwen3Runner> runner_;
  std::unique_ptr<KvBlockPool> pool_;
  std::unique_ptr<Generator> gen_;
  std::vector<int32_t> prompt_;
};

TEST_F(GeneratorTest, SeededSamplingIsReproducible) {
  GenerateOptions o;
  o.sampling.temperature = 1.0f;
  o.sampling.top_k = 50;
  o.sampling.max_tokens = 20;
  o.sampling.seed = 123;
  const GenerationResult a = Gen(o), b = Gen(o);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.tokens.size(), 20u);
  EXPECT_EQ(a.finish_reason, "length");
  o.sampling.seed = 124;
  EXPECT_NE(Gen(o).tokens, a.tokens);
  EXPECT_EQ(pool_->free_blocks(), 8);  // every run gave its cache back
}

TEST_F(GeneratorTest, StreamedTextIsTheDecodedTokens) {
  GenerateOptions o;
  o.sampling.temperature = 0;
  o.sampling.max_tokens = 24;
  std::vector<GenerationStep> steps;
  const GenerationResult r = Gen(o, &steps);
  std::string streamed;
  for (const auto& s : steps) streamed += s.text;
  EXPECT_EQ(streamed, r.text);
  EXPECT_EQ(r.text, tok_->Decode(r.tokens, /*skip_special=*/true));
  ASSERT_EQ(steps.size(), 24u);
  for (const auto& s : steps) {
    ASSERT_EQ(s.top.size(), 5u);
    EXPECT_EQ(s.top[0].id, s.token);  // greedy takes the best
    EXPECT_GE(s.top[0].logit, s.top[1].logit);
    EXPECT_GT(s.top[0].prob, 0.0);
    EXPECT_LE(s.top[0].prob, 1.0);
  }
}

TEST_F(GeneratorTest, StopsOnStopTokenAndStopString) {
  GenerateOptions o;
  o.sampling.temperature = 0;
  o.sampling.max_tokens = 24;
  const GenerationResult free = Gen(o);
  ASSERT_GE(free.tokens.size(), 6u);
  // The fourth greedy token as a stop token: generation ends there, its text excluded.
  o.sampling.stop_token_ids = {free.tokens[3]};
  const GenerationResult stopped = Gen(o);
  EXPECT_EQ(stopped.finish_reason, "stop");
  EXPECT_EQ(stopped.tokens, std::vector<int32_t>(free.tokens.begin(), free.tokens.begin() + 4));
  EXPECT_EQ(stopped.text, tok_->Decode(std::vector<int32_t>(free.tokens.begin(), free.tokens.begin() + 3), true));
  // A stop string taken from the middle of the free-running text.
  const std::string text = free.text;
  ASSERT_GE(text.size(), 8u);
  GenerateOptions s = o;
  s.sampling.stop_token_ids.clear();
  size_t cut = text.size() / 2;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a character boundary
  s.sampling.stop_strings = {text.substr(cut, 3)};
  const GenerationResult ss = Gen(s);
  EXPECT_EQ(ss.finish_reason, "stop");
  EXPECT_EQ(ss.text, text.substr(0, text.find(s.sampling.stop_strings[0])));
}

TEST_F(GeneratorTest, TeacherForcingFeedsTheGivenTokens) {
  GenerateOptions o;
  o.force_tokens = {151645, 9707, 1879, 151643};  // stop tokens are not honoured while forcing
  o.sampling.stop_token_ids = {151645};
  o.sampling.max_tokens = 10;
  std::vector<GenerationStep> steps;
  const GenerationResult r = Gen(o, &steps);
  EXPECT_EQ(r.tokens, o.force_tokens);
  EXPECT_EQ(r.text, "Hello world");
  // Step logits are those of the model given the forced history: step 0 equals free greedy's.
  GenerateOptions g;
  g.sampling.temperature = 0;
  g.sampling.max_tokens = 1;
  std::vector<GenerationStep> free_steps;
  Gen(g, &free_steps);
  EXPECT_EQ(steps[0].top[0].id, free_steps[0].top[0].id);
  EXPECT_EQ(steps[0].top[0].logit, free_steps[0].top[0].logit);
}

TEST_F(GeneratorTest, LengthLimitsAndRefusals) {
  GenerateOptions o;
  o.sampling.temperature = 0;
  o.sampling.max_tokens = 1000;  // the 64-token context ends it first
  const GenerationResult r = Gen(o);
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_EQ(r.prompt_tokens.size() + r.tokens.size(), 64u);
  std::vector<int32_t> huge(64, 9707);
  auto too_long = gen_->Generate(huge, o, nullptr);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_long.status().message()), HasSubstr("prompt of 64 tokens leaves no room in the model's context of 64 tokens"));
  EXPECT_EQ(gen_->Generate({}, o, nullptr).status().code(), absl::StatusCode::kInvalidArgument);
  GenerateOptions bad = o;
  bad.sampling.top_p = 2;
  EXPECT_THAT(std::string(gen_->Generate(prompt_, bad, nullptr).status().message()), HasSubstr("top_p"));
  GenerateOptions forced = o;
  forced.force_tokens = {200000};
  EXPECT_THAT(std::string(gen_->Generate(prompt_, forced, nullptr).status().message()), HasSubstr("forced token 200000"));
  EXPECT_EQ(pool_->free_blocks(), 8);
}

}  // namespace
}  // namespace switchyard
