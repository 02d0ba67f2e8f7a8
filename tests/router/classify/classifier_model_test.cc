// ClassifierModel's file format: round trip, and a clear error naming the file and the field for
// every kind of damage.
#include "router/classify/classifier_model.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "router/classify/classifier.h"
#include "tests/support/test_paths.h"

namespace switchyard::classify {
namespace {

using ::testing::HasSubstr;

ClassifierModel Small() {
  ClassifierModel m;
  m.features.hash_bits = 8;
  m.labels = {"coder", "reasoning", "translation"};
  m.bias = {0.5f, -0.25f, 0.0f};
  m.weight_scale = 0.001f;
  m.temperature = 1.5f;
  m.metadata = "{\"note\":\"test\"}";
  m.weights.resize(256 * 3);
  for (size_t i = 0; i < m.weights.size(); ++i) m.weights[i] = static_cast<int16_t>((i * 7919) % 2001 - 1000);
  return m;
}

// Re-seals bytes after an edit so that the checksum does not hide the field check.
std::string Reseal(std::string bytes) {
  bytes.resize(bytes.size() - 8);
  const uint64_t c = ClassifierModel::Checksum(bytes);
  for (int i = 0; i < 8; ++i) bytes += static_cast<char>((c >> (8 * i)) & 0xff);
  return bytes;
}

TEST(ClassifierModelTest, RoundTripsByteForByte) {
  const std::string bytes = Small().Serialize();
  absl::StatusOr<ClassifierModel> m = ClassifierModel::Parse(bytes, "<memory>");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->labels, Small().labels);
  EXPECT_EQ(m->weights, Small().weights);
  EXPECT_EQ(m->bias, Small().bias);
  EXPECT_EQ(m->temperature, 1.5f);
  EXPECT_EQ(m->metadata, Small().metadata);
  EXPECT_EQ(m->Serialize(), bytes);
}

TEST(ClassifierModelTest, SaveAndLoad) {
  testing::ScratchDir dir;
  ASSERT_TRUE(Small().Save(dir.File("m.bin")).ok());
  absl::StatusOr<ClassifierModel> m = ClassifierModel::Load(dir.File("m.bin"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Serialize(), Small().Serialize());
}

TEST(ClassifierModelTest, MissingFileIsNotFoundNamingThePath) {
  absl::StatusOr<ClassifierModel> m = ClassifierModel::Load("/nonexistent/dir/model.bin");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(m.status().message(), HasSubstr("/nonexistent/dir/model.bin"));
}

TEST(ClassifierModelTest, NotAModelFile) {
  testing::ScratchDir dir;
  dir.Write("model.bin", "{\"this is\": \"json\"}\n");
  absl::StatusOr<Classifier> c = Classifier::Load(dir.File("model.bin"));
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr(dir.File("model.bin")));
  EXPECT_THAT(c.status().message(), HasSubstr("bad magic"));
}

TEST(ClassifierModelTest, CorruptionAndTruncationAreCaughtByTheChecksum) {
  std::string bytes = Small().Serialize();
  std::string flipped = bytes;
  flipped[100] ^= 0x10;
  EXPECT_THAT(ClassifierModel::Parse(flipped, "f.bin").status().message(), HasSubstr("checksum mismatch"));
  EXPECT_THAT(ClassifierModel::Parse(bytes.substr(0, bytes.size() / 2), "f.bin").status().message(),
              HasSubstr("f.bin"));
  EXPECT_FALSE(ClassifierModel::Parse(bytes.substr(0, 10), "f.bin").ok());
  EXPECT_FALSE(ClassifierModel::Parse("", "f.bin").ok());
}

TEST(ClassifierModelTest, FieldErrorsNameTheField) {
  const std::string good = Small().Serialize();
  {
    std::string b = good;
    b[8] = 9;  // version
    EXPECT_THAT(ClassifierModel::Parse(Reseal(b), "m").status().message(), HasSubstr("unsupported version 9"));
  }
  {
    std::string b = good;
    b[12] = 40;  // hash_bits
    EXPECT_THAT(ClassifierModel::Parse(Reseal(b), "m").status().message(), HasSubstr("hash_bits 40"));
  }
  {
    std::string b = good;
    b.insert(b.size() - 8, "xx");  // extra weight bytes
    EXPECT_THAT(ClassifierModel::Parse(Reseal(b), "m").status().message(), HasSubstr("weights: expected"));
  }
  {
    ClassifierModel m = Small();
    m.labels[1] = "Bad Label";
    EXPECT_THAT(ClassifierModel::Parse(m.Serialize(), "m").status().message(), HasSubstr("label"));
  }
  {
    ClassifierModel m = Small();
    m.labels[1] = "coder";
    EXPECT_THAT(ClassifierModel::Parse(m.Serialize(), "m").status().message(), HasSubstr("repeated"));
  }
  {
    ClassifierModel m = Small();
    m.temperature = 0;
    EXPECT_THAT(ClassifierModel::Parse(m.Serialize(), "m").status().message(), HasSubstr("temperature"));
  }
  {
    ClassifierModel m = Small();  // would make logits infinite: rejected, not NaN later
    m.bias[0] = 3e38f;
    EXPECT_THAT(ClassifierModel::Parse(m.Serialize(), "m").status().message(), HasSubstr("bias"));
    m = Small();
    m.weight_scale = 1e20f;
    EXPECT_THAT(ClassifierModel::Parse(m.Serialize(), "m").status().message(), HasSubstr("weight_scale"));
  }
}

TEST(ClassifierModelTest, FromModelChecksShapes) {
  ClassifierModel m = Small();
  m.weights.pop_back();
  EXPECT_EQ(Classifier::FromModel(m).status().code(), absl::StatusCode::kInvalidArgument);
  m = Small();
  m.bias.pop_back();
  EXPECT_EQ(Classifier::FromModel(m).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Classifier::FromModel(Small()).ok());
}

}  // namespace
}  // namespace switchyard::classify
