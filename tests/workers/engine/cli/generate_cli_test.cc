// switchyard-generate as a user runs it: the --json document, teacher forcing, streaming text
// and the errors for bad input.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/runtime/fixture_reference.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

using Output = testing::ToolOutput;

Output RunGenerate(const std::string& args) { return testing::RunTool("switchyard-generate", args); }

std::string Quote(const std::string& s) { return absl::StrCat("'", s, "'"); }  // prompts here have no quotes

TEST(GenerateCliTest, JsonGreedyMatchesTheFixture) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-moe");
  const auto refs = testing::ReadReference(dir + "/ref.json");
  const auto& ref = refs[0];  // en_plain
  Output o = RunGenerate(absl::StrCat("--model ", dir, "/hf --prompt ", Quote(ref.text),
                                      " --temperature 0 --max-tokens 16 --json --threads 2"));
  ASSERT_EQ(o.code, 0) << o.err;
  const nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["prompt_tokens"].get<std::vector<int32_t>>(), ref.tokens_hf);
  std::vector<int32_t> want;
  for (const auto& s : ref.greedy) want.push_back(s.token);
  EXPECT_EQ(j["tokens"].get<std::vector<int32_t>>(), want);
  ASSERT_EQ(j["steps"].size(), 16u);
  for (size_t s = 0; s < 16; ++s) {
    const auto& top = j["steps"][s]["top"];
    ASSERT_EQ(top.size(), 5u);
    for (size_t k = 0; k < 5; ++k) {
      EXPECT_EQ(top[k]["id"].get<int32_t>(), ref.greedy[s].top[k].id) << "step " << s;
      EXPECT_NEAR(top[k]["logit"].get<double>(), ref.greedy[s].top[k].logit, 1e-3) << "step " << s;
    }
    const double p0 = top[0]["prob"].get<double>();
    EXPECT_NEAR(std::log(p0), ref.greedy[s].top[0].logit - ref.greedy[s].lse, 1e-3);
  }
  EXPECT_EQ(j["finish_reason"], "length");
}

TEST(GenerateCliTest, ForceTokensTeacherForces) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dir = *testing::FixtureDir("qwen3-tiny-dense");
  const auto refs = testing::ReadReference(dir + "/ref.json");
  const auto& ref = refs[2];  // zh
  std::vector<int32_t> forced;
  for (const auto& s : ref.greedy) forced.push_back(s.token);
  Output o = RunGenerate(absl::StrCat("--model ", dir, "/hf --prompt ", Quote(ref.text), " --json --force-tokens ",
                                      absl::StrJoin(forced, ",")));
  ASSERT_EQ(o.code, 0) << o.err;
  const nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["tokens"].get<std::vector<int32_t>>(), forced);
  for (size_t s = 0; s < forced.size(); ++s) {
    EXPECT_NEAR(j["steps"][s]["top"][0]["logit"].get<double>(), ref.greedy[s].top[0].logit, 1e-3);
  }
}

TEST(GenerateCliTest, StreamsTextAndReportsErrors) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string hf = *testing::FixtureDir("qwen3-tiny-dense") + "/hf";
  Output ok = RunGenerate(absl::StrCat("--model ", hf, " --prompt 'Hello' --max-tokens 8 --seed 9"));
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_FALSE(ok.out.empty());
  EXPECT_THAT(ok.err, HasSubstr("8 generated"));
  Output again = RunGenerate(absl::StrCat("--model ", hf, " --prompt 'Hello' --max-tokens 8 --seed 9"));
  EXPECT_EQ(again.out, ok.out);  // seeded sampling is reproducible across runs

  Output none = RunGenerate(absl::StrCat("--model ", hf));
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("give exactly one of --prompt and --messages"));
  Output bad = RunGenerate(absl::StrCat("--model ", hf, " --prompt x --top-p 1.5"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("top_p = 1.5 is outside (0, 1]"));
  Output forced = RunGenerate(absl::StrCat("--model ", hf, " --prompt x --force-tokens 1,abc"));
  EXPECT_EQ(forced.code, 2);
  EXPECT_THAT(forced.err, HasSubstr("--force-tokens: 'abc' is not a token id"));
  Output big = RunGenerate(absl::StrCat("--model ", hf, " --prompt x --force-tokens 999999"));
  EXPECT_EQ(big.code, 1);
  EXPECT_THAT(big.err, HasSubstr("forced token 999999 is outside the vocabulary"));
  Output missing = RunGenerate("--model /nonexistent --prompt x");
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent: not a model directory"));
}

}  // namespace
}  // namespace switchyard
