// ConfusionMatrix arithmetic and the JSON lines reader's errors.
#include "router/classify/confusion_matrix.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/classify/labeled_prompts.h"

namespace switchyard::classify {
namespace {

using ::testing::HasSubstr;

TEST(ConfusionMatrixTest, PrecisionRecallAccuracy) {
  ConfusionMatrix cm({"a", "b"});
  cm.Add(0, 0);
  cm.Add(0, 0);
  cm.Add(0, 1);
  cm.Add(1, 1);
  cm.Add(5, 0);  // ignored
  EXPECT_EQ(cm.total(), 4);
  EXPECT_EQ(cm.skipped(), 1);
  EXPECT_DOUBLE_EQ(cm.accuracy(), 0.75);
  EXPECT_DOUBLE_EQ(cm.precision(0), 1.0);
  EXPECT_DOUBLE_EQ(cm.recall(0), 2.0 / 3);
  EXPECT_DOUBLE_EQ(cm.precision(1), 0.5);
  EXPECT_DOUBLE_EQ(cm.recall(1), 1.0);
  EXPECT_EQ(cm.ToJson()["confusion"]["matrix"], nlohmann::json({{2, 1}, {0, 1}}));
  EXPECT_THAT(cm.ToText(), HasSubstr("accuracy 0.7500"));
  EXPECT_DOUBLE_EQ(ConfusionMatrix({"x"}).accuracy(), 0.0);
}

TEST(LabeledPromptsTest, ParsesFieldsAndSkipsBlankLines) {
  auto rows = ParseLabeledPrompts("{\"prompt\":\"p1\",\"label\":\"coder\",\"id\":\"x\"}\n\n"
                                  "{\"prompt\":\"p2\",\"origin\":\"gen#1\",\"split\":\"train\",\"label\":7}\n",
                                  "t.jsonl");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].label, "coder");
  EXPECT_EQ((*rows)[0].id, "x");
  EXPECT_EQ((*rows)[1].line, 3);
  EXPECT_EQ((*rows)[1].id, "gen#1");
  EXPECT_EQ((*rows)[1].split, "train");
  EXPECT_EQ((*rows)[1].label, "");  // not a string: ignored
}

TEST(LabeledPromptsTest, ErrorsNameFileAndLine) {
  EXPECT_THAT(ParseLabeledPrompts("[1,2]\n", "t.jsonl").status().message(), HasSubstr("t.jsonl:1: expected a JSON object"));
  EXPECT_THAT(ParseLabeledPrompts("{}\n{\"prompt\": 3}\n", "t.jsonl").status().message(),
              HasSubstr("t.jsonl:1: missing string field \"prompt\""));
  EXPECT_THAT(ParseLabeledPrompts("{\"prompt\": \"\xff\"}\n", "t.jsonl").status().message(),
              HasSubstr("t.jsonl:1: not valid JSON"));
  EXPECT_EQ(ReadLabeledPrompts("/nonexistent.jsonl").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace switchyard::classify
