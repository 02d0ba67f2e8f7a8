#include "workers/engine/util/json_reader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(JsonReaderTest, TypedReadsAndDefaults) {
  auto doc = JsonDocument::Parse(R"({"a": 64, "b": 64.0, "c": 1e6, "d": "x", "e": true, "n": null,
                                     "o": {"k": 2}})", "t.json");
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto root = (*doc)->RootObject();
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root->Int("a"), 64);
  EXPECT_EQ(*root->Int("b"), 64);
  EXPECT_EQ(*root->Double("c"), 1e6);
  EXPECT_EQ(*root->Double("a"), 64.0);
  EXPECT_EQ(*root->String("d"), "x");
  EXPECT_TRUE(*root->Bool("e"));
  EXPECT_EQ(*root->IntOr("n", 7), 7);       // null reads as absent
  EXPECT_EQ(*root->IntOr("missing", 9), 9);
  EXPECT_FALSE(root->Has("n"));
  EXPECT_TRUE(root->Find("n").has_value());
  auto o = root->Object("o");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->Int("k"), 2);
}

TEST(JsonReaderTest, ErrorsNameFileAndKey) {
  auto doc = JsonDocument::Parse(R"({"a": "64", "b": 1.5, "o": {"k": []}})", "config.json");
  ASSERT_TRUE(doc.ok());
  auto root = (*doc)->RootObject();
  auto a = root->Int("a");
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "config.json: a: expected an integer, got string");
  EXPECT_THAT(std::string(root->Int("b").status().message()), HasSubstr("expected an integer, got number"));
  EXPECT_EQ(root->Int("zz").status().message(), "config.json: zz: required key is missing");
  auto k = root->Object("o")->Int("k");
  EXPECT_EQ(k.status().message(), "config.json: o.k: expected an integer, got array");
}

TEST(JsonReaderTest, RejectsMalformedDocuments) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,2", "{\"a\": 1} trailing", "\xff\xfe"}) {
    auto doc = JsonDocument::Parse(bad, "bad.json");
    ASSERT_FALSE(doc.ok()) << bad;
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(doc.status().message()), HasSubstr("bad.json: not valid JSON"));
  }
  auto arr = JsonDocument::Parse("[1]", "x.json");
  ASSERT_TRUE(arr.ok());
  EXPECT_EQ((*arr)->RootObject().status().message(),
            "x.json: expected a JSON object at the top level, got array");
}

}  // namespace
}  // namespace switchyard
