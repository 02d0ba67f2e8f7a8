// switchyard-bench and switchyard-membw as the benchmark scripts run them: the JSON they print
// (the paired roofline of --roofline included) and their errors for bad flags.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

using Output = testing::ToolOutput;
using testing::RunTool;

TEST(BenchCliTest, RooflinePairsEveryMeasuredDecodeStepWithAReadOfTheWeights) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string hf = *testing::FixtureDir("qwen3-tiny-dense") + "/hf";
  Output r = RunTool("switchyard-bench",
                     absl::StrCat("--model ", hf, " --prompt-tokens 8 --gen-tokens 4 --reps 2 --threads 2 --roofline"));
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["engine"], "switchyard");
  EXPECT_EQ(j["decode_all"].size(), 2u);
  EXPECT_GT(j["weight_bytes"].get<double>(), 0);
  const nlohmann::json& roof = j["roofline"];
  EXPECT_EQ(roof["passes"], 8);  // 4 steps x 2 measured repetitions; the warm-up's are dropped
  EXPECT_GT(roof["read_gb_s_median"].get<double>(), 0);
  EXPECT_GE(roof["read_gb_s_best"].get<double>(), roof["read_gb_s_median"].get<double>());
  EXPECT_GT(roof["decode_fraction_median"].get<double>(), 0);
  // Against the best pass the roofline is highest, so the fraction is the strictest.
  EXPECT_GT(roof["decode_fraction_of_best"].get<double>(), 0);

  Output plain = RunTool("switchyard-bench", absl::StrCat("--model ", hf, " --prompt-tokens 8 --gen-tokens 2 --reps 1"));
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_FALSE(nlohmann::json::parse(plain.out).contains("roofline"));

  Output mapped = RunTool("switchyard-bench", absl::StrCat("--model ", hf, " --weights mmap --roofline"));
  EXPECT_EQ(mapped.code, 2);
  EXPECT_THAT(mapped.err, HasSubstr("--roofline reads the weights' own pages: use --weights ram"));
  EXPECT_TRUE(mapped.out.empty());
}

TEST(BenchCliTest, MembwPrintsEveryPassItsMedianAndItsBest) {
  Output r = RunTool("switchyard-membw", "--mib 16 --threads 2 --passes 3");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::vector<double> passes = j["passes_gb_s"].get<std::vector<double>>();
  ASSERT_EQ(passes.size(), 3u);
  std::sort(passes.begin(), passes.end());
  EXPECT_GT(passes[0], 0);
  EXPECT_DOUBLE_EQ(j["read_gb_s"].get<double>(), passes[2]);
  EXPECT_DOUBLE_EQ(j["median_gb_s"].get<double>(), passes[1]);

  Output bad = RunTool("switchyard-membw", "--passes 0");
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("passes"));
  EXPECT_TRUE(bad.out.empty());
}

}  // namespace
}  // namespace switchyard
