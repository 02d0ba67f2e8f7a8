// `switchyard classify` as a user runs it: output format, --explain, --eval, standard input, and
// exit code 2 with a message naming the file and line on bad input.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

using Output = testing::ToolOutput;

Output RunSwitchyard(const std::string& args, const std::string& stdin_file = "") {
  return testing::RunTool("switchyard", args, stdin_file);
}

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    v.push_back(nlohmann::json::parse(line.begin(), line.end()));
  }
  return v;
}

constexpr char kLabeled[] =
    R"({"id": "a", "prompt": "Write a Go function that reverses a slice of integers.", "label": "coder"}
{"id": "b", "prompt": "Translate into Spanish: where is the train station?", "label": "translation"}

{"id": "c", "prompt": "If 3x + 5 = 20, what is x?", "label": "reasoning"}
)";

TEST(ClassifyCliTest, PrintsOneJsonLinePerInput) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl", kLabeled);
  Output o = RunSwitchyard("classify " + dir.File("in.jsonl"));
  ASSERT_EQ(o.code, 0) << o.err;
  std::vector<nlohmann::json> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u);
  const char* want[] = {"coder", "translation", "reasoning"};
  const char* ids[] = {"a", "b", "c"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(lines[i]["label"], want[i]) << o.out;
    EXPECT_EQ(lines[i]["id"], ids[i]);
    const double conf = lines[i]["confidence"].get<double>();
    EXPECT_GT(conf, 0.33);
    EXPECT_LE(conf, 1.0);
    EXPECT_FALSE(lines[i].contains("features"));
  }
}

TEST(ClassifyCliTest, ExplainAddsFeatures) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl", R"({"prompt": "Translate into Spanish: where is the train station?"})" "\n");
  Output o = RunSwitchyard("classify --explain 3 " + dir.File("in.jsonl"));
  ASSERT_EQ(o.code, 0) << o.err;
  std::vector<nlohmann::json> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0]["features"].size(), 3u);
  EXPECT_TRUE(lines[0]["features"][0]["feature"].is_string());
  EXPECT_GT(lines[0]["features"][0]["weight"].get<double>(), 0);
  EXPECT_FALSE(lines[0].contains("id"));
}

TEST(ClassifyCliTest, ReadsStandardInput) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl", kLabeled);
  Output o = RunSwitchyard("classify -", dir.File("in.jsonl"));
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(Lines(o.out).size(), 3u);
}

TEST(ClassifyCliTest, EvalPrintsAccuracyAndConfusionMatrix) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl", kLabeled);
  Output o = RunSwitchyard("classify --eval " + dir.File("in.jsonl"));
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("rows 3  accuracy 1.0000"));
  EXPECT_THAT(o.out, HasSubstr("confusion (rows: true label, columns: predicted)"));
  EXPECT_THAT(o.out, HasSubstr("precision"));
  Output j = RunSwitchyard("classify --eval --json " + dir.File("in.jsonl"));
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json r = nlohmann::json::parse(j.out);
  EXPECT_EQ(r["rows"], 3);
  EXPECT_EQ(r["accuracy"], 1.0);
  EXPECT_EQ(r["confusion"]["labels"], nlohmann::json({"coder", "reasoning", "translation"}));
  EXPECT_EQ(r["confusion"]["matrix"], nlohmann::json({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
  EXPECT_EQ(r["per_label"]["coder"]["recall"], 1.0);
}

TEST(ClassifyCliTest, EvalBreaksAccuracyDownByAField) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl",
            R"({"prompt": "Write a Go function that reverses a slice.", "label": "coder", "kind": "gen"}
{"prompt": "Translate into Spanish: where is the station?", "label": "coder", "kind": "trap"}
{"prompt": "If 3x + 5 = 20, what is x?", "label": "reasoning", "kind": "gen"}
)");
  Output o = RunSwitchyard("classify --eval --by kind " + dir.File("in.jsonl"));
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("accuracy by kind"));
  EXPECT_THAT(o.out, HasSubstr("gen                                  2 rows  accuracy 1.0000"));
  EXPECT_THAT(o.out, HasSubstr("trap                                 1 rows  accuracy 0.0000  coder->translation 1"));
  Output j = RunSwitchyard("classify --eval --json --by kind " + dir.File("in.jsonl"));
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json r = nlohmann::json::parse(j.out);
  EXPECT_EQ(r["by"]["kind"]["gen"]["rows"], 2);
  EXPECT_EQ(r["by"]["kind"]["trap"]["accuracy"], 0.0);
  EXPECT_EQ(RunSwitchyard("classify --by kind " + dir.File("in.jsonl")).code, 2);
}

TEST(ClassifyCliTest, BadInputExitsWithTwoAndNamesTheLine) {
  testing::ScratchDir dir;
  dir.Write("bad.jsonl", "{\"prompt\": \"fine\"}\nthis is not json\n");
  Output o = RunSwitchyard("classify " + dir.File("bad.jsonl"));
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr(dir.File("bad.jsonl") + ":2: not valid JSON"));
  EXPECT_TRUE(o.out.empty());

  dir.Write("noprompt.jsonl", "{\"text\": \"hello\"}\n");
  o = RunSwitchyard("classify " + dir.File("noprompt.jsonl"));
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr(":1: missing string field \"prompt\""));

  o = RunSwitchyard("classify " + dir.File("missing.jsonl"));
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("missing.jsonl"));

  o = RunSwitchyard("classify");
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("missing input FILE.jsonl"));

  o = RunSwitchyard("classify --frobnicate x.jsonl");
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("unknown flag --frobnicate"));
}

TEST(ClassifyCliTest, EvalNeedsKnownLabels) {
  testing::ScratchDir dir;
  dir.Write("nolabel.jsonl", "{\"prompt\": \"a\", \"label\": \"coder\"}\n{\"prompt\": \"b\"}\n");
  Output o = RunSwitchyard("classify --eval " + dir.File("nolabel.jsonl"));
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr(":2: --eval needs a string \"label\""));
  dir.Write("unknown.jsonl", "{\"prompt\": \"a\", \"label\": \"poetry\"}\n");
  o = RunSwitchyard("classify --eval " + dir.File("unknown.jsonl"));
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("unknown label \"poetry\""));
}

TEST(ClassifyCliTest, BadModelExitsWithOneAndNamesTheModel) {
  testing::ScratchDir dir;
  dir.Write("in.jsonl", kLabeled);
  dir.Write("model.bin", "garbage");
  Output o = RunSwitchyard("classify --model " + dir.File("model.bin") + " " + dir.File("in.jsonl"));
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.err, HasSubstr(dir.File("model.bin")));
}

TEST(SwitchyardCliTest, HelpListsCommandsAndUnknownCommandsFail) {
  Output o = RunSwitchyard("--help");
  EXPECT_EQ(o.code, 0);
  EXPECT_THAT(o.out, HasSubstr("classify"));
  o = RunSwitchyard("frobnicate");
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("unknown command 'frobnicate'"));
  o = RunSwitchyard("classify --help");
  EXPECT_EQ(o.code, 0);
  EXPECT_THAT(o.out, HasSubstr("--eval"));
}

}  // namespace
}  // namespace switchyard
