// Tokenizer: a Hugging Face tokenizer.json of the byte-level BPE kind (Qwen2, Qwen2.5, Qwen3),
// reproducing `tokenizers` exactly: added tokens split out first, then NFC, the Split
// pre-tokenizer, byte-level BPE; decoding through the ByteLevel decoder with lossy UTF-8.
//
//   auto tok = Tokenizer::Load(dir + "/tokenizer.json");            // ~0.3 s for Qwen3's 11 MB
//   auto ids = (*tok)->Encode("<|im_start|>user\nhi<|im_end|>");    // special literals -> ids
//   auto safe = (*tok)->Encode(untrusted, {.parse_special = false}); // literals stay plain text
//   std::string text = (*tok)->Decode(*ids);
//
// Thread safety: immutable after Load(); Encode/Decode are safe to call concurrently.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_TOKENIZER_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "workers/engine/tokenizer/added_tokens.h"
#include "workers/engine/tokenizer/bpe_model.h"
#include "workers/engine/tokenizer/normalizer.h"
#include "workers/engine/tokenizer/pretokenizer.h"

namespace switchyard {

struct EncodeOptions {
  // true: literals of added tokens ("<|im_end|>", "<think>") become those tokens, as the
  // Hugging Face tokenizer does. false: every byte is plain text, for untrusted content.
  bool parse_special = true;
  // With parse_special: only literals lying inside these byte ranges count (a chat template's
  // own text); the same literal typed in a message stays text. Sorted, disjoint.
  const std::vector<TextSpan>* special_spans = nullptr;
};

class Tokenizer {
 public:
  // NotFound / InvalidArgument naming the file for a missing or malformed tokenizer.json;
  // Unimplemented naming the component for a normalizer, pre-tokenizer, model or decoder
  // this implementation does not support.
  static absl::StatusOr<std::unique_ptr<Tokenizer>> Load(const std::string& path);
  static absl::StatusOr<std::unique_ptr<Tokenizer>> FromJson(absl::string_view json,
                                                             absl::string_view source);

  // InvalidArgument if `text` is not valid UTF-8 (the message gives the byte offset).
  absl::StatusOr<std::vector<int32_t>> Encode(absl::string_view text,
                                              EncodeOptions options = {}) const;
  // Decodes as tokenizers' decode(ids, skip_special_tokens): invalid UTF-8 from partial byte
  // tokens becomes U+FFFD; ids outside the vocabulary decode to nothing.
  std::string Decode(absl::Span<const int32_t> ids, bool skip_special = false) const;

  // The raw bytes token `id` stands for (maybe part of a UTF-8 character); empty for ids the
  // tokenizer does not know (such as the padding rows past the vocabulary).
  absl::string_view TokenBytes(int32_t id) const;
  // The id of an added token by its literal ("<|im_end|>"), or of a vocabulary token by its
  // raw bytes.
  std::optional<int32_t> TokenId(absl::string_view literal) const;
  bool IsSpecial(int32_t id) const;
  bool IsAdded(int32_t id) const;
  // One past the largest id the tokenizer knows.
  int32_t id_limit() const { return static_cast<int32_t>(pieces_.size()); }
  const std::vector<AddedToken>& added_tokens() const { return added_; }
  absl::string_view pre_tokenizer_name() const { return pre_->name(); }

  // Only FromJson can name this type.
  class PassKey {
    friend class Tokenizer;
    PassKey() = default;
  };
  Tokenizer(PassKey, BpeModel model);

 private:
  void EncodePlain(absl::string_view text, std::vector<int32_t>* out) const;

  BpeModel model_;
  std::unique_ptr<PreTokenizer> pre_;
  Normalization normalization_ = Normalization::kNone;
  std::vector<AddedToken> added_;
  AddedTokenMatcher matcher_;
  absl::flat_hash_map<std::string, int32_t> added_by_content_;
  // By id: decoded bytes and flags (kSpecial, kAdded).
  std::vector<std::string> pieces_;
  std::vector<uint8_t> flags_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_TOKENIZER_H_
