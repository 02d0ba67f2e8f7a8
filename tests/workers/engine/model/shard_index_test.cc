#include "workers/engine/model/shard_index.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(ShardIndexTest, Parses) {
  auto i = ParseShardIndex(R"({"metadata":{"total_size":100},"weight_map":{"a":"model-00001-of-00002.safetensors",
      "b":"model-00002-of-00002.safetensors","c":"model-00001-of-00002.safetensors"}})", "index.json");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->total_size, 100u);
  EXPECT_EQ(i->Shards(), (std::vector<std::string>{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}));
  EXPECT_EQ(i->weight_map.at("b"), "model-00002-of-00002.safetensors");
}

TEST(ShardIndexTest, Errors) {
  auto err = [](const char* json) { return std::string(ParseShardIndex(json, "index.json").status().message()); };
  EXPECT_THAT(err(R"({"weight_map":{"a":"../../etc/passwd"}})"), HasSubstr("is not a plain file name"));
  EXPECT_THAT(err(R"({"weight_map":{"a":"sub/x.safetensors"}})"), HasSubstr("is not a plain file name"));
  EXPECT_THAT(err(R"({"weight_map":{"a":".."}})"), HasSubstr("is not a plain file name"));
  EXPECT_THAT(err(R"({"weight_map":{"a":7}})"), HasSubstr("weight_map['a'] must be a file name"));
  EXPECT_THAT(err(R"({"weight_map":{}})"), HasSubstr("weight_map is empty"));
  EXPECT_THAT(err(R"({"metadata":{}})"), HasSubstr("index.json: weight_map: required key is missing"));
  EXPECT_THAT(err(R"({"weight_map":[]})"), HasSubstr("weight_map: expected an object, got array"));
  EXPECT_THAT(err(R"({"metadata":{"total_size":-1},"weight_map":{"a":"x"}})"), HasSubstr("total_size: negative"));
  EXPECT_THAT(err("{"), HasSubstr("not valid JSON"));
}

TEST(ShardIndexTest, MissingShardFileIsNamed) {
  testing::ScratchDir dir;
  dir.Write("model.safetensors.index.json", R"({"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})");
  dir.Write("model-00001-of-00002.safetensors", "x");
  auto i = LoadShardIndex(dir.path());
  EXPECT_EQ(i.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(i.status().message()), HasSubstr("model.safetensors.index.json names shard 'model-00002-of-00002.safetensors', which is not in"));
}

}  // namespace
}  // namespace switchyard
