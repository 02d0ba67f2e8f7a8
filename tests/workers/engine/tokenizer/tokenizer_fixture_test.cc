// The tokenizer against the truth: tokens_hf of every prompt in ../shared/fixtures/*/ref.json,
// computed by the Hugging Face tokenizer on the real Qwen3 tokenizer.json.
#include <memory>
#include <string>
#include <vector>

#include "base/read_file.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/tokenizer/stream_decoder.h"
#include "workers/engine/tokenizer/tokenizer.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

struct Prompt {
  std::string id;
  std::string text;
  std::vector<int32_t> tokens_hf;
  bool roundtrip_hf;
};

std::vector<Prompt> ReadPrompts(const std::string& ref_path) {
  std::vector<Prompt> out;
  auto text = ReadFile(ref_path);
  EXPECT_TRUE(text.ok()) << text.status();
  auto doc = JsonDocument::Parse(*text, ref_path);
  EXPECT_TRUE(doc.ok()) << doc.status();
  simdjson::dom::array prompts;
  EXPECT_EQ((*doc)->root()["prompts"].get_array().get(prompts), simdjson::SUCCESS);
  for (JsonElement p : prompts) {
    Prompt pr;
    std::string_view s;
    EXPECT_EQ(p["id"].get_string().get(s), simdjson::SUCCESS);
    pr.id = std::string(s);
    EXPECT_EQ(p["text"].get_string().get(s), simdjson::SUCCESS);
    pr.text = std::string(s);
    simdjson::dom::array ids;
    EXPECT_EQ(p["tokens_hf"].get_array().get(ids), simdjson::SUCCESS);
    for (JsonElement id : ids) pr.tokens_hf.push_back(static_cast<int32_t>(id.get_int64().value()));
    bool rt = false;
    if (p["detok_roundtrip_hf"].get_bool().get(rt) != simdjson::SUCCESS) rt = false;
    pr.roundtrip_hf = rt;
    out.push_back(std::move(pr));
  }
  return out;
}

class TokenizerFixtureTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TokenizerFixtureTest, ReproducesTokensHfAndDecodesBack) {
  SWITCHYARD_REQUIRE_SHARED();
  auto dir = testing::FixtureDir(GetParam());
  ASSERT_TRUE(dir.has_value());
  auto tok = Tokenizer::Load(*dir + "/hf/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.status();
  EXPECT_EQ((*tok)->pre_tokenizer_name(), "qwen2");
  std::vector<Prompt> prompts = ReadPrompts(*dir + "/ref.json");
  ASSERT_EQ(prompts.size(), 21u);
  for (const Prompt& p : prompts) {
    auto ids = (*tok)->Encode(p.text);
    ASSERT_TRUE(ids.ok()) << p.id << ": " << ids.status();
    EXPECT_EQ(*ids, p.tokens_hf) << "prompt " << p.id;
    const std::string decoded = (*tok)->Decode(p.tokens_hf);
    if (p.roundtrip_hf) {
      EXPECT_EQ(decoded, p.text) << "prompt " << p.id;
    }
    // Streaming gives the same text, one token at a time.
    StreamDecoder stream(**tok);
    std::string streamed;
    for (int32_t id : p.tokens_hf) streamed += stream.Push(id);
    streamed += stream.Finish();
    EXPECT_EQ(streamed, decoded) << "prompt " << p.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TokenizerFixtureTest,
                         ::testing::Values("qwen3-tiny-dense", "qwen3-tiny-moe"));

}  // namespace
}  // namespace switchyard
