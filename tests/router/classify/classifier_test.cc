// The shipped model: clear cases get the right label, confidence and explanations behave, the
// held-out split and the evaluation set reach their bars, and retraining reproduces the file.
#include "router/classify/classifier.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/classify/confusion_matrix.h"
#include "router/classify/labeled_prompts.h"
#include "router/classify/shipped_model.h"
#include "tests/support/test_paths.h"

namespace switchyard::classify {
namespace {

using ::testing::HasSubstr;

std::string ModelPath() { return testing::SourceDir() + "/" + kShippedModelRelativePath; }
std::string DataPath() { return testing::SourceDir() + "/router/classify/training/data.jsonl"; }

const Classifier& Shipped() {
  static const absl::StatusOr<Classifier> c = Classifier::Load(ModelPath());
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", std::string(c.status().message()).c_str());
    std::abort();
  }
  return *c;
}

std::string LabelOf(absl::string_view prompt) { return Shipped().label_name(Shipped().Classify(prompt).label); }

TEST(ShippedClassifierTest, ClearCases) {
  EXPECT_EQ(LabelOf("Write a Python function that returns the n-th Fibonacci number."), "coder");
  EXPECT_EQ(LabelOf("def add(a, b):\n    return a - b\n\nWhy does this return the wrong result?"), "coder");
  EXPECT_EQ(LabelOf("SELECT name FROM users WHERE age > 30; -- make this faster"), "coder");
  EXPECT_EQ(LabelOf("Schreibe eine Bash-Schleife, die alle .txt-Dateien umbenennt."), "coder");
  EXPECT_EQ(LabelOf("A train leaves at 3 pm travelling at 80 km/h. How far has it gone by 6:30 pm?"), "reasoning");
  EXPECT_EQ(LabelOf("Which of the following is a prime number?\nA. 21\nB. 27\nC. 31\nD. 33"), "reasoning");
  EXPECT_EQ(LabelOf("Un panadero hace 120 panes y vende dos tercios. ¿Cuántos le quedan?"), "reasoning");
  EXPECT_EQ(LabelOf("Translate into French: The meeting has been moved to Thursday afternoon."), "translation");
  EXPECT_EQ(LabelOf("请把这句话翻译成英文：今天的天气非常好，我们去公园散步吧。"), "translation");
  EXPECT_EQ(LabelOf("Wie sagt man auf Englisch: Ich freue mich auf das Wochenende?"), "translation");
}

TEST(ShippedClassifierTest, HardCasesFollowTheLabelingRules) {
  // Translating code between programming languages is a coding task.
  EXPECT_EQ(LabelOf("Translate this Python to Rust:\n\ndef square(x):\n    return x * x"), "coder");
  // Translating the comments of code is a translation task.
  EXPECT_EQ(LabelOf("Translate the comments in this code into German, leave the code unchanged:\n"
                    "# compute the total price\ntotal = sum(prices)  # includes tax"),
            "translation");
}

TEST(ShippedClassifierTest, ConfidenceIsAProbability) {
  for (absl::string_view p : {"hello", "Translate into Spanish: good night", "", "2 + 2 = ?"}) {
    const Classification c = Shipped().Classify(p);
    float sum = 0;
    for (int k = 0; k < Shipped().num_labels(); ++k) sum += c.probabilities[k];
    EXPECT_NEAR(sum, 1.0f, 1e-5f) << p;
    EXPECT_GT(c.confidence, 1.0f / 3 - 1e-6f) << p;
    EXPECT_LE(c.confidence, 1.0f) << p;
    EXPECT_EQ(c.confidence, c.probabilities[c.label]);
    EXPECT_NE(c.runner_up, c.label);
  }
  EXPECT_GT(Shipped().Classify("Translate into Spanish: good night, see you tomorrow").confidence, 0.8f);
}

TEST(ShippedClassifierTest, ExplainNamesTheDecidingFeatures) {
  const std::string prompt = "Please translate this into German: the train leaves at noon.";
  std::vector<FeatureContribution> top = Shipped().Explain(prompt, 8);
  ASSERT_EQ(top.size(), 8u);
  EXPECT_GT(top[0].weight, 0.0);
  for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1].weight, top[i].weight);
  bool named_translate = false;
  for (const FeatureContribution& f : top) {
    EXPECT_FALSE(f.feature.empty());
    EXPECT_GE(f.occurrences, 1);
    if (f.feature.find("transl") != std::string::npos || f.feature.find("german") != std::string::npos) {
      named_translate = true;
    }
  }
  EXPECT_TRUE(named_translate) << "expected a 'translate' or 'german' feature among the top 8";
  // The contributions of all features add up to the logit margin over the runner-up.
  const Classification c = Shipped().Classify(prompt);
  double total = 0;
  for (const FeatureContribution& f : Shipped().Explain(prompt, -1)) total += f.weight;
  float logits[kMaxLabels];
  Shipped().Logits(prompt, logits);
  const double margin = (logits[c.label] - Shipped().model().bias[c.label] -
                         (logits[c.runner_up] - Shipped().model().bias[c.runner_up])) /
                        Shipped().model().temperature;
  EXPECT_NEAR(total, margin, 1e-3 * std::max(1.0, std::fabs(margin)));
}

TEST(ShippedClassifierTest, ArbitraryBytesAndHugePromptsAreFine) {
  static const char kJunk[] = "\xff\x00\xfe\xc3\x28\xe2\x82\x28\xf0\x28\x8c\xbc";
  const std::string junk(kJunk, sizeof(kJunk) - 1);
  const Classification c = Shipped().Classify(junk);
  EXPECT_GE(c.label, 0);
  EXPECT_LT(c.label, Shipped().num_labels());
  const std::string head = "Translate into Italian:\n";
  const std::string big = head + std::string(1 << 20, 'x') + "\nThe shop opens at nine.";
  const Classification b = Shipped().Classify(big);
  EXPECT_GE(b.label, 0);
}

TEST(ShippedClassifierTest, HeldOutSplitAccuracy) {
  absl::StatusOr<std::vector<LabeledPrompt>> rows = ReadLabeledPrompts(DataPath());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ConfusionMatrix cm(Shipped().labels());
  for (const LabeledPrompt& r : *rows) {
    if (r.split == "heldout") cm.Add(Shipped().LabelIndex(r.label), Shipped().Classify(r.prompt).label);
  }
  EXPECT_GT(cm.total(), 1000);
  EXPECT_EQ(cm.skipped(), 0);
  EXPECT_GE(cm.accuracy(), 0.97) << cm.ToText();
}

TEST(ShippedClassifierTest, EvaluationSetAccuracy) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string dev = *testing::SharedDir() + "/data/routing/dev.jsonl";
  if (!std::ifstream(dev)) GTEST_SKIP() << dev << " is absent";
  absl::StatusOr<std::vector<LabeledPrompt>> rows = ReadLabeledPrompts(dev);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ConfusionMatrix cm(Shipped().labels());
  for (const LabeledPrompt& r : *rows) cm.Add(Shipped().LabelIndex(r.label), Shipped().Classify(r.prompt).label);
  EXPECT_EQ(cm.skipped(), 0);
  EXPECT_GE(cm.accuracy(), 0.90) << cm.ToText();
}

TEST(ShippedClassifierTest, RetrainingReproducesTheShippedModel) {
  testing::ScratchDir dir;
  const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard-train-classifier --dev none --top-features 0",
                                       " --data ", DataPath(), " --out ", dir.File("model.bin"), " > ",
                                       dir.File("log"), " 2>&1");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "see " << cmd;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string retrained = slurp(dir.File("model.bin"));
  ASSERT_FALSE(retrained.empty()) << slurp(dir.File("log"));
  EXPECT_TRUE(retrained == slurp(ModelPath())) << "router/classify/model/classifier.bin is not what "
                                                  "router/classify/training/data.jsonl trains to; run "
                                                  "router/classify/training/retrain.sh --update";
}

TEST(ShippedModelPathTest, FindsTheRepositoryModel) {
  EXPECT_TRUE(std::ifstream(ShippedModelPath()).good()) << ShippedModelPath();
}

}  // namespace
}  // namespace switchyard::classify
