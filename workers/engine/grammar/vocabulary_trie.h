// VocabularyTrie: the vocabulary's token byte strings as a byte trie laid out in pre-order, so
// that the token-mask walk is a loop over arrays that skips a whole subtree when its prefix is
// refused. Built once per tokenizer (~151k tokens for Qwen3).
//
// Special tokens and tokens without bytes are left out (constraints never allow them, except
// end tokens which the mask adds by id). Tokens that are "plain string text" (no '"', '\\' or
// control bytes, and whole, valid UTF-8 characters) also go in a separate list by their code
// point count: inside a JSON string they are allowed whenever the length bound leaves room, so
// the mask adds them without walking, and walks only the trie of the other tokens.
// Thread safety: immutable after Build().
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_VOCABULARY_TRIE_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_VOCABULARY_TRIE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace switchyard {

class Tokenizer;

// A byte trie in pre-order: node k's subtree is [k, end(k)).
struct ByteTrie {
  std::vector<uint8_t> byte;      // the edge into node k
  std::vector<uint16_t> depth;    // bytes from the root (>= 1)
  std::vector<int32_t> end;       // one past node k's subtree
  std::vector<int32_t> tok_begin; // tokens ending at node k: ids[tok_begin[k], tok_begin[k + 1])
  std::vector<int32_t> ids;
  int32_t max_depth = 0;

  int32_t size() const { return static_cast<int32_t>(byte.size()); }
  // `tokens` are (id, bytes) pairs, bytes non-empty.
  static ByteTrie Build(std::vector<std::pair<int32_t, std::string>> tokens);
};

class VocabularyTrie {
 public:
  // `pieces[id]` is token id's bytes; `excluded[id]` (same size) leaves it out.
  static VocabularyTrie Build(absl::Span<const std::string> pieces, const std::vector<bool>& excluded);
  static VocabularyTrie FromTokenizer(const Tokenizer& tokenizer);

  const ByteTrie& all() const { return all_; }
  const ByteTrie& not_plain() const { return not_plain_; }
  // Plain-text tokens sorted by code point count; plain_ends()[c] is one past those of count c.
  const std::vector<int32_t>& plain_ids() const { return plain_ids_; }
  const std::vector<int32_t>& plain_ends() const { return plain_ends_; }
  int32_t id_limit() const { return id_limit_; }
  // Token id's bytes; empty for ids left out (special, unknown, out of range).
  absl::string_view piece(int32_t id) const {
    return id >= 0 && id < id_limit_ ? absl::string_view(pieces_[static_cast<size_t>(id)]) : absl::string_view();
  }

  // Code points if `bytes` is plain string text, else -1.
  static int32_t PlainLength(const std::string& bytes);

 private:
  ByteTrie all_;
  ByteTrie not_plain_;
  std::vector<int32_t> plain_ids_;
  std::vector<int32_t> plain_ends_;
  int32_t id_limit_ = 0;
  std::vector<std::string> pieces_;  // by id; empty when left out
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_VOCABULARY_TRIE_H_
