// Loading tokenizer.json files we did not write: a small byte-level BPE built in the test, and
// every way such a file can be wrong or beyond what we support, each with its error.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/small_tokenizer.h"
#include "tests/support/test_paths.h"
#include "workers/engine/tokenizer/byte_level.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using json = nlohmann::json;
using testing::SmallTokenizer;

absl::Status LoadError(const json& j) {
  auto t = Tokenizer::FromJson(j.dump(), "tok.json");
  return t.ok() ? absl::OkStatus() : t.status();
}

TEST(TokenizerJsonTest, SmallByteLevelBpe) {
  auto t = Tokenizer::FromJson(SmallTokenizer().dump(), "tok.json");
  ASSERT_TRUE(t.ok()) << t.status();
  auto ids = (*t)->Encode("hello world<|end|>");
  ASSERT_TRUE(ids.ok());
  // "hello" -> he + ll + o -> hell + o; " world" -> Ġw + o r l d
  EXPECT_THAT(*ids, ElementsAre(258, 'o', 259, 'o', 'r', 'l', 'd', 260));
  EXPECT_EQ((*t)->Decode(*ids), "hello world<|end|>");
  EXPECT_EQ((*t)->Decode(*ids, true), "hello world");
}

TEST(TokenizerJsonTest, OlderStringMergesAndGpt2ByteLevel) {
  json j = SmallTokenizer();
  j["model"]["merges"] = json::array({"h e", "l l", "he ll", "\xC4\xA0 w"});
  j["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}};
  auto t = Tokenizer::FromJson(j.dump(), "tok.json");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->pre_tokenizer_name(), "pcre2");
  EXPECT_THAT(*(*t)->Encode("hello world"), ElementsAre(258, 'o', 259, 'o', 'r', 'l', 'd'));
}

TEST(TokenizerJsonTest, MalformedFilesAreRejectedWithTheReason) {
  struct Case {
    const char* what;
    std::function<void(json&)> edit;
    absl::StatusCode code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"unsupported model", [](json& j) { j["model"]["type"] = "WordPiece"; },
       absl::StatusCode::kUnimplemented, "tok.json: model type 'WordPiece'"},
      {"unsupported normalizer", [](json& j) { j["normalizer"] = {{"type", "NFKC"}}; },
       absl::StatusCode::kUnimplemented, "normalizer 'NFKC' is not supported"},
      {"unsupported pre-tokenizer", [](json& j) { j["pre_tokenizer"] = {{"type", "Metaspace"}}; },
       absl::StatusCode::kUnimplemented, "pre-tokenizer 'Metaspace' is not supported"},
      {"split behavior", [](json& j) { j["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Removed"; },
       absl::StatusCode::kUnimplemented, "Split behavior 'Removed'"},
      {"bad regex", [](json& j) { j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(x"; },
       absl::StatusCode::kInvalidArgument, "does not compile"},
      {"decoder", [](json& j) { j["decoder"] = {{"type", "WordPiece"}}; },
       absl::StatusCode::kUnimplemented, "decoder 'WordPiece'"},
      {"byte fallback", [](json& j) { j["model"]["byte_fallback"] = true; },
       absl::StatusCode::kUnimplemented, "byte_fallback"},
      {"merge of unknown token", [](json& j) { j["model"]["merges"].push_back(json::array({"zz", "q"})); },
       absl::StatusCode::kInvalidArgument, "model.merges[4]: 'zz' is not in the vocabulary"},
      {"merge result missing", [](json& j) { j["model"]["merges"].push_back(json::array({"q", "q"})); },
       absl::StatusCode::kInvalidArgument, "merge #4 makes a token that is not in the vocabulary"},
      {"merge shape", [](json& j) { j["model"]["merges"].push_back(42); },
       absl::StatusCode::kInvalidArgument, "model.merges[4]: expected"},
      {"missing byte", [](json& j) { j["model"]["vocab"].erase("a"); },
       absl::StatusCode::kInvalidArgument, "no token for the single byte 0x61"},
      {"vocab id", [](json& j) { j["model"]["vocab"]["a"] = "one"; },
       absl::StatusCode::kInvalidArgument, "token 'a' has no valid id"},
      {"added token without id", [](json& j) { j["added_tokens"][0].erase("id"); },
       absl::StatusCode::kInvalidArgument, "tok.json: added_tokens[0].id: required key is missing"},
      {"added token empty", [](json& j) { j["added_tokens"][0]["content"] = ""; },
       absl::StatusCode::kInvalidArgument, "added_tokens[0].content: empty"},
      {"no model", [](json& j) { j.erase("model"); },
       absl::StatusCode::kInvalidArgument, "tok.json: model: required key is missing"},
      {"vocab not object", [](json& j) { j["model"]["vocab"] = json::array(); },
       absl::StatusCode::kInvalidArgument, "model.vocab: expected an object, got array"},
  };
  for (const Case& c : cases) {
    json j = SmallTokenizer();
    c.edit(j);
    absl::Status s = LoadError(j);
    EXPECT_EQ(s.code(), c.code) << c.what << ": " << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.message)) << c.what;
  }
}

TEST(TokenizerJsonTest, FileErrors) {
  testing::ScratchDir dir;
  EXPECT_EQ(Tokenizer::Load(dir.File("tokenizer.json")).status().code(), absl::StatusCode::kNotFound);
  dir.Write("tokenizer.json", "{\"model\": ");
  auto t = Tokenizer::Load(dir.File("tokenizer.json"));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("tokenizer.json: not valid JSON"));
}

}  // namespace
}  // namespace switchyard
