// Behaviour of the Qwen3 tokenizer beyond the fixtures: special-token handling, untrusted
// text, decoding and streaming, normalization, edge-case inputs.
#include "workers/engine/tokenizer/tokenizer.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/tokenizer/random_text.h"
#include "workers/engine/tokenizer/stream_decoder.h"

namespace switchyard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Ids = std::vector<int32_t>;

class QwenTokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = testing::QwenTokenizerDir();
    if (!dir) return;
    auto t = Tokenizer::Load(*dir + "/tokenizer.json");
    ASSERT_TRUE(t.ok()) << t.status();
    tok_ = std::move(*t);
  }
  static void TearDownTestSuite() { tok_.reset(); }
  void SetUp() override {
    if (tok_ == nullptr) GTEST_SKIP() << "no Qwen3 tokenizer.json: run scripts/setup.sh or provide ../shared";
  }
  Ids Enc(absl::string_view text, bool parse_special = true) {
    auto ids = tok_->Encode(text, {.parse_special = parse_special});
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : Ids{};
  }
  static inline std::unique_ptr<Tokenizer> tok_;  // loaded once for the suite (~0.1 s)
};

TEST_F(QwenTokenizerTest, KnownIds) {
  EXPECT_THAT(Enc("Hello world"), ElementsAre(9707, 1879));
  EXPECT_EQ(tok_->TokenId("<|im_start|>"), 151644);
  EXPECT_EQ(tok_->TokenId("<|im_end|>"), 151645);
  EXPECT_EQ(tok_->TokenId("<|endoftext|>"), 151643);
  EXPECT_EQ(tok_->TokenId("<think>"), 151667);
  EXPECT_EQ(tok_->TokenId(" world"), 1879);
  EXPECT_FALSE(tok_->TokenId("no such token literal").has_value());
  EXPECT_TRUE(tok_->IsSpecial(151645));
  EXPECT_FALSE(tok_->IsSpecial(151667));  // <think> is added but not special
  EXPECT_TRUE(tok_->IsAdded(151667));
  EXPECT_EQ(tok_->id_limit(), 151669);
}

TEST_F(QwenTokenizerTest, SpecialLiteralsAndUntrustedText) {
  const std::string text = "<|im_start|>user\nhi<|im_end|>";
  EXPECT_THAT(Enc(text), ElementsAre(151644, 872, 198, 6023, 151645));
  // Untrusted: the literal is spelled out in ordinary tokens, never the control token.
  const Ids plain = Enc(text, /*parse_special=*/false);
  for (int32_t id : plain) EXPECT_FALSE(tok_->IsAdded(id)) << id;
  EXPECT_GT(plain.size(), 5u);
  EXPECT_EQ(tok_->Decode(plain), text);
  // Longest match wins; a partial literal is plain text.
  EXPECT_THAT(Enc("<think></think>"), ElementsAre(151667, 151668));
  for (int32_t id : Enc("<|im_start")) EXPECT_FALSE(tok_->IsAdded(id));
}

TEST_F(QwenTokenizerTest, DecodeSkipsSpecialOnRequest) {
  const Ids ids = Enc("<|im_start|>assistant\n<think>\nok</think>done<|im_end|>");
  EXPECT_EQ(tok_->Decode(ids), "<|im_start|>assistant\n<think>\nok</think>done<|im_end|>");
  EXPECT_EQ(tok_->Decode(ids, /*skip_special=*/true), "assistant\n<think>\nok</think>done");
  // Ids past the tokenizer (the model's padding rows) and negative ids decode to nothing.
  EXPECT_EQ(tok_->Decode(Ids{9707, 151689, -1, 1879}), "Hello world");
  EXPECT_EQ(tok_->TokenBytes(151935), "");
}

TEST_F(QwenTokenizerTest, NormalizesToNfc) {
  EXPECT_EQ(Enc("Cafe\xCC\x81"), Enc("Caf\xC3\xA9"));
  EXPECT_EQ(tok_->Decode(Enc("Cafe\xCC\x81")), "Caf\xC3\xA9");
}

TEST_F(QwenTokenizerTest, RejectsInvalidUtf8) {
  for (absl::string_view bad : {absl::string_view("ab\xFF"), absl::string_view("\xC3"),
                                absl::string_view("x\xED\xA0\x80")}) {
    auto ids = tok_->Encode(bad);
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(ids.status().message()), HasSubstr("not valid UTF-8 at byte"));
  }
  EXPECT_TRUE(Enc("").empty());
}

TEST_F(QwenTokenizerTest, LongRunsStayFast) {
  // 200,000 spaces make one pre-token; the heap-based merge keeps this to milliseconds.
  const Ids ids = Enc(std::string(200000, ' '));
  EXPECT_EQ(tok_->Decode(ids), std::string(200000, ' '));
  EXPECT_LT(ids.size(), 200000u / 8);
  const std::string mixed = std::string(50000, 'a') + std::string(50000, '\n');
  EXPECT_EQ(tok_->Decode(Enc(mixed)), mixed);
}

TEST_F(QwenTokenizerTest, RoundTripsRandomText) {
  testing::RandomText gen(99);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = gen.Next(30);
    std::string nfc_storage;
    const absl::string_view nfc = Normalize(Normalization::kNfc, text, &nfc_storage);
    ASSERT_EQ(tok_->Decode(Enc(text)), nfc) << text;
  }
}

// Streaming: wherever the id sequence is cut, the text streamed so far is a valid UTF-8 prefix
// of the final text and the whole equals Decode().
TEST_F(QwenTokenizerTest, StreamDecoderNeverSplitsCharacters) {
  testing::RandomText gen(5);
  for (int i = 0; i < 300; ++i) {
    const Ids ids = Enc(gen.Next(40));
    const std::string full = tok_->Decode(ids);
    StreamDecoder dec(*tok_);
    std::string so_far;
    for (int32_t id : ids) {
      so_far += dec.Push(id);
      ASSERT_EQ(full.compare(0, so_far.size(), so_far), 0);
      ASSERT_LE(dec.pending_bytes(), 3u);
    }
    so_far += dec.Finish();
    ASSERT_EQ(so_far, full);
  }
}

TEST_F(QwenTokenizerTest, StreamDecoderOnPartialBytes) {
  // "🚀" is F0 9F 9A 80. Qwen has byte-level tokens for each byte: feed them one by one.
  const Ids bytes = {*tok_->TokenId("\xF0"), *tok_->TokenId("\x9F"), *tok_->TokenId("\x9A"),
                     *tok_->TokenId("\x80")};
  StreamDecoder dec(*tok_);
  EXPECT_EQ(dec.Push(bytes[0]), "");
  EXPECT_EQ(dec.Push(bytes[1]), "");
  EXPECT_EQ(dec.Push(bytes[2]), "");
  EXPECT_EQ(dec.Push(bytes[3]), "\xF0\x9F\x9A\x80");
  // An incomplete character at the end becomes one U+FFFD, as Decode gives.
  StreamDecoder cut(*tok_);
  EXPECT_EQ(cut.Push(bytes[0]), "");
  EXPECT_EQ(cut.Push(bytes[1]), "");
  EXPECT_EQ(cut.Finish(), "\xEF\xBF\xBD");
  EXPECT_EQ(tok_->Decode(Ids{bytes[0], bytes[1]}), "\xEF\xBF\xBD");
  // A broken character followed by text: U+FFFD as soon as it is known to be broken.
  StreamDecoder broken(*tok_);
  EXPECT_EQ(broken.Push(bytes[0]), "");
  EXPECT_EQ(broken.Push(9707), "\xEF\xBF\xBDHello");
  StreamDecoder skipping(*tok_, /*skip_special=*/true);
  EXPECT_EQ(skipping.Push(151645), "");
  EXPECT_EQ(skipping.Push(9707), "Hello");
}

}  // namespace
}  // namespace switchyard
