// switchyard-template: prints exactly the fixture's rendered chat prompt; refuses bad input.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

using testing::Slurp;

TEST(TemplateCliTest, PrintsTheFixturePromptsByteForByte) {
  SWITCHYARD_REQUIRE_SHARED();
  testing::ScratchDir dir;
  const auto prompts = nlohmann::ordered_json::parse(Slurp(*testing::SharedDir() + "/oracle/prompts/default.json"))["prompts"];
  const auto refs = nlohmann::json::parse(Slurp(*testing::FixtureDir("qwen3-tiny-moe") + "/ref.json"))["prompts"];
  int checked = 0;
  for (const auto& p : prompts) {
    if (p.value("kind", "") != "chat") continue;
    dir.Write("m.json", p["messages"].dump());
    std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard-template --model ", *testing::FixtureDir("qwen3-tiny-moe"),
                                   "/hf --messages ", dir.File("m.json"));
    if (p.contains("tools")) {
      dir.Write("t.json", p["tools"].dump());
      absl::StrAppend(&cmd, " --tools ", dir.File("t.json"));
    }
    if (p["kwargs"].contains("enable_thinking")) {
      absl::StrAppend(&cmd, " --enable-thinking ", p["kwargs"]["enable_thinking"].get<bool>() ? "true" : "false");
    }
    absl::StrAppend(&cmd, " > ", dir.File("out.txt"));
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    for (const auto& r : refs) {
      if (r["id"] == p["id"]) {
        EXPECT_EQ(Slurp(dir.File("out.txt")), r["text"].get<std::string>()) << p["id"];
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 5);
}

TEST(TemplateCliTest, ErrorsAndExitCodes) {
  SWITCHYARD_REQUIRE_SHARED();
  testing::ScratchDir dir;
  const std::string bin = testing::BinDir() + "/switchyard-template";
  const std::string model = *testing::FixtureDir("qwen3-tiny-dense") + "/hf";
  auto run = [&](const std::string& args) {
    const int rc = std::system(absl::StrCat(bin, " ", args, " > ", dir.File("o"), " 2> ", dir.File("e")).c_str());
    return std::pair<int, std::string>{WEXITSTATUS(rc), Slurp(dir.File("e"))};
  };
  dir.Write("m.json", R"([{"role":"user","content":"hi"}])");
  dir.Write("bad.json", R"([{"role":"robot","content":"hi"}])");
  auto [c1, e1] = run("--messages " + dir.File("m.json"));
  EXPECT_EQ(c1, 2);
  EXPECT_THAT(e1, HasSubstr("--model is required"));
  auto [c2, e2] = run(absl::StrCat("--model ", model, " --messages ", dir.File("m.json"), " --enable-thinking maybe"));
  EXPECT_EQ(c2, 2);
  EXPECT_THAT(e2, HasSubstr("--enable-thinking: 'maybe'"));
  auto [c3, e3] = run(absl::StrCat("--model ", model, " --messages ", dir.File("bad.json")));
  EXPECT_EQ(c3, 1);
  EXPECT_THAT(e3, HasSubstr("messages[0].role: 'robot'"));
  auto [c4, e4] = run(absl::StrCat("--model ", model, " --messages ", dir.File("m.json"), " --no-generation-prompt"));
  EXPECT_EQ(c4, 0);
  EXPECT_EQ(Slurp(dir.File("o")), "<|im_start|>user\nhi<|im_end|>\n");
}

}  // namespace
}  // namespace switchyard
