// Trainer: learns a separable toy problem, is deterministic byte for byte, rejects bad input.
#include "router/classify/trainer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/classify/classifier.h"

namespace switchyard::classify {
namespace {

const std::vector<std::string> kLabels = {"coder", "reasoning", "translation"};

std::vector<TrainingExample> Toy() {
  std::vector<TrainingExample> out;
  const char* code[] = {"write a python function", "fix this java bug", "regex for emails", "sql query for users",
                        "bash command to list files", "refactor this rust code"};
  const char* reason[] = {"how many apples are left", "solve for x", "is the argument valid",
                          "what is the probability", "plan my week", "prove the theorem"};
  const char* trans[] = {"translate into french", "say this in german", "render in spanish",
                         "how do you say hello in japanese", "translate to italian", "put this into dutch"};
  for (int rep = 0; rep < 3; ++rep) {
    for (const char* s : code) out.push_back({std::string(s) + " " + std::to_string(rep), 0});
    for (const char* s : reason) out.push_back({std::string(s) + " " + std::to_string(rep), 1});
    for (const char* s : trans) out.push_back({std::string(s) + " " + std::to_string(rep), 2});
  }
  return out;
}

TrainerOptions Small(uint64_t seed = 7) {
  TrainerOptions o;
  o.features.hash_bits = 12;
  o.epochs = 8;
  o.seed = seed;
  return o;
}

TEST(TrainerTest, SameDataAndSeedGiveIdenticalBytes) {
  absl::StatusOr<TrainingResult> a = Trainer(Small()).Train(kLabels, Toy(), Toy());
  absl::StatusOr<TrainingResult> b = Trainer(Small()).Train(kLabels, Toy(), Toy());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model.Serialize(), b->model.Serialize());
  absl::StatusOr<TrainingResult> c = Trainer(Small(8)).Train(kLabels, Toy(), Toy());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->model.Serialize(), c->model.Serialize()) << "the seed should change the shuffle";
}

TEST(TrainerTest, LearnsTheToyProblem) {
  absl::StatusOr<TrainingResult> r = Trainer(Small()).Train(kLabels, Toy(), Toy());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(r->epoch_loss.back(), r->epoch_loss.front());
  EXPECT_GT(r->model.temperature, 0.0f);
  absl::StatusOr<Classifier> c = Classifier::FromModel(r->model);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->label_name(c->Classify("translate into french please").label), "translation");
  EXPECT_EQ(c->label_name(c->Classify("write a python function please").label), "coder");
  EXPECT_EQ(c->label_name(c->Classify("solve for x please").label), "reasoning");
  EXPECT_THAT(r->model.metadata, ::testing::HasSubstr("AdaGrad"));
}

TEST(TrainerTest, RejectsBadInput) {
  EXPECT_EQ(Trainer(Small()).Train(kLabels, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Trainer(Small()).Train({}, Toy(), {}).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<TrainingExample> bad = Toy();
  bad[3].label = 3;
  EXPECT_EQ(Trainer(Small()).Train(kLabels, bad, {}).status().code(), absl::StatusCode::kInvalidArgument);
  TrainerOptions o = Small();
  o.epochs = 0;
  EXPECT_EQ(Trainer(o).Train(kLabels, Toy(), {}).status().code(), absl::StatusCode::kInvalidArgument);
  o = Small();
  o.features.hash_bits = 30;
  EXPECT_EQ(Trainer(o).Train(kLabels, Toy(), {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard::classify
