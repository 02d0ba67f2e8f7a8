// BpeModel: byte-level BPE over raw bytes, as the "BPE" model of a Hugging Face tokenizer.json
// defines it (no dropout, no byte fallback, no continuing-subword prefix).
//
// Tokens are kept as raw bytes (the byte-level spelling is undone at load), so a word is
// encoded straight from its UTF-8 bytes: start from one token per byte, then apply merges
// lowest rank first, leftmost first among equal ranks, exactly as tokenizers' Word::merge_all
// does with its binary heap. That is O(n log n) in the word length, so a 100,000-space run
// costs milliseconds, not the quadratic time of the textbook loop.
// Thread safety: immutable after Build(); EncodeWord is safe to call concurrently.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BPE_MODEL_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BPE_MODEL_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

class BpeModel {
 public:
  struct Token {
    std::string bytes;  // raw bytes, byte-level spelling undone
    int32_t id;
  };
  struct Merge {
    int32_t left, right;  // ids of the pair
  };

  // `merges` in rank order (rank = index) as ids into `vocab`; their merged token is looked
  // up by concatenating the two byte strings. InvalidArgument naming `source` when a merge
  // produces a token missing from the vocabulary or a byte has no single-byte token.
  static absl::StatusOr<BpeModel> Build(std::vector<Token> vocab, const std::vector<Merge>& merges,
                                        bool ignore_merges, absl::string_view source);

  // Appends the ids of `word` (raw bytes, non-empty) to *out.
  void EncodeWord(absl::string_view word, std::vector<int32_t>* out) const;

  // Id of a token by its raw bytes.
  const int32_t* Find(absl::string_view bytes) const;
  size_t vocab_size() const { return by_bytes_.size(); }
  size_t merge_count() const { return rules_.size(); }

 private:
  struct Rule {
    int32_t rank;
    int32_t merged;
  };
  static uint64_t Key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  const Rule* FindRule(int32_t a, int32_t b) const {
    auto it = rules_.find(Key(a, b));
    return it == rules_.end() ? nullptr : &it->second;
  }

  absl::flat_hash_map<std::string, int32_t> by_bytes_;
  absl::flat_hash_map<uint64_t, Rule> rules_;
  std::array<int32_t, 256> byte_token_{};
  bool ignore_merges_ = false;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BPE_MODEL_H_
