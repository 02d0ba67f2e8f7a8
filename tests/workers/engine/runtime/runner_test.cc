// Qwen3Runner behaviour beyond the fixture numbers: batching many sequences gives each the
// same logits as running it alone (bit for bit), with f32 and with bf16 activations, and bad
// inputs are refused cleanly.
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_writer.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

class RunnerTest : public ::testing::TestWithParam<std::tuple<const char*, bool>> {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape(std::get<0>(GetParam()));
    o.shape.vocab = 1000;
    o.shape.max_position_embeddings = 48;
    o.seed = 11;
    o.dtype = DType::kBF16;
    o.tokenizer_dir = *tok;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    auto m = LoadModel(dir_.path(), LoadOptions{.progress = nullptr, .prefault = false});
    ASSERT_TRUE(m.ok()) << m.status();
    model_ = std::move(*m);
    auto r = Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2, .bf16_activations = std::get<1>(GetParam())});
    ASSERT_TRUE(r.ok());
    runner_ = std::move(*r);
    auto pool = KvBlockPool::Create(runner_->kv_shape(4), 40);
    ASSERT_TRUE(pool.ok());
    pool_ = std::move(*pool);
  }
  std::vector<float> Run(std::vector<SequenceChunk> chunks) {
    std::vector<float> logits(static_cast<size_t>(Qwen3Runner::LogitRows(chunks) * runner_->vocab_size()));
    absl::Status s = runner_->Forward(chunks, logits.data());
    EXPECT_TRUE(s.ok()) << s;
    return logits;
  }
  testing::ScratchDir dir_;
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Qwen3Runner> runner_;
  std::unique_ptr<KvBlockPool> pool_;
};

TEST_P(RunnerTest, BatchedSequencesMatchSoloRunsExactly) {
  const int64_t V = runner_->vocab_size();
  const std::vector<std::vector<int32_t>> prompts = {{1, 2, 3, 4, 5, 6, 7}, {42}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11}};
  const std::vector<int32_t> next = {100, 200, 300};
  // Alone: prefill, then one decode step each.
  std::vector<std::vector<float>> solo_prefill, solo_decode;
  for (size_t i = 0; i < prompts.size(); ++i) {
    KvSequence s(pool_.get());
    solo_prefill.push_back(Run({SequenceChunk{&s, prompts[i], false}}));
    solo_decode.push_back(Run({SequenceChunk{&s, {&next[i], 1}, false}}));
  }
  // Together: all three prefills in one batch, then a batch mixing two decodes with a prefill
  // chunk continued (the third sequence gets its decode token as part of a longer chunk).
  KvSequence a(pool_.get()), b(pool_.get()), c(pool_.get());
  std::vector<float> pre = Run({{&a, prompts[0], false}, {&b, prompts[1], false}, {&c, prompts[2], false}});
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(std::vector<float>(pre.begin() + static_cast<long>(i) * V, pre.begin() + static_cast<long>(i + 1) * V), solo_prefill[i]) << i;
  }
  std::vector<float> dec = Run({{&a, {&next[0], 1}, false}, {&b, {&next[1], 1}, false}, {&c, {&next[2], 1}, false}});
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(std::vector<float>(dec.begin() + static_cast<long>(i) * V, dec.begin() + static_cast<long>(i + 1) * V), solo_decode[i]) << i;
  }
  EXPECT_EQ(a.length(), 8);
  EXPECT_EQ(c.length(), 12);
}

TEST_P(RunnerTest, ChunkedPrefillEqualsOnePass) {
  const int64_t V = runner_->vocab_size();
  const std::vector<int32_t> prompt = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  KvSequence whole(pool_.get()), parts(pool_.get());
  std::vector<float> all = Run({SequenceChunk{&whole, prompt, true}});
  std::vector<float> first = Run({SequenceChunk{&parts, absl::MakeConstSpan(prompt).subspan(0, 6), true}});
  std::vector<float> rest = Run({SequenceChunk{&parts, absl::MakeConstSpan(prompt).subspan(6), true}});
  first.insert(first.end(), rest.begin(), rest.end());
  ASSERT_EQ(first.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) ASSERT_NEAR(first[i], all[i], 1e-5) << "position " << i / static_cast<size_t>(V);
}

TEST_P(RunnerTest, RefusesBadInput) {
  std::vector<float> logits(static_cast<size_t>(runner_->vocab_size()));
  KvSequence s(pool_.get());
  const std::vector<int32_t> bad = {1, 1000};
  absl::Status st = runner_->Forward({SequenceChunk{&s, bad, false}}, logits.data());
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("token id 1000 is outside the vocabulary [0, 1000)"));
  EXPECT_EQ(s.length(), 0);
  const std::vector<int32_t> long_prompt(49, 3);
  st = runner_->Forward({SequenceChunk{&s, long_prompt, false}}, logits.data());
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("sequence of 49 tokens exceeds the model's context of 48 tokens"));
  // A pool too small for the prompt: ResourceExhausted, and the sequence is unchanged.
  auto tiny = KvBlockPool::Create(runner_->kv_shape(4), 2);
  ASSERT_TRUE(tiny.ok());
  KvSequence t(tiny->get());
  const std::vector<int32_t> twelve(12, 4);
  st = runner_->Forward({SequenceChunk{&t, twelve, false}}, logits.data());
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(t.length(), 0);
  const std::vector<int32_t> empty;
  EXPECT_EQ(runner_->Forward({SequenceChunk{&s, empty, false}}, logits.data()).code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Shapes, RunnerTest, ::testing::Combine(::testing::Values("tiny", "tiny-moe"), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<const char*, bool>>& i) {
                           return std::string(std::string(std::get<0>(i.param)) == "tiny" ? "dense" : "moe") +
                                  (std::get<1>(i.param) ? "_bf16_activations" : "");
                         });

}  // namespace
}  // namespace switchyard
