// AddedTokenMatcher: finds the literals of a tokenizer's added tokens (<|im_start|>, <think>,
// <tool_call>, ...) in text, leftmost-longest as tokenizers' Aho-Corasick matcher does, with
// their lstrip / rstrip / single_word flags. Text between matches goes on to BPE.
// Thread safety: immutable after construction.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_ADDED_TOKENS_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_ADDED_TOKENS_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace switchyard {

struct AddedToken {
  int32_t id = -1;
  std::string content;
  bool special = false;
  bool single_word = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(const std::vector<AddedToken>& tokens);

  // One piece of text: either an added token (id >= 0) or plain text (id == -1).
  struct Piece {
    absl::string_view text;
    int32_t id;
  };
  // Splits `text` into plain runs and added tokens. Whitespace absorbed by lstrip / rstrip
  // belongs to neither side, as in tokenizers. With `allowed`, a literal counts only where it
  // lies entirely inside one of those (sorted, disjoint) byte ranges; elsewhere it is text.
  void Split(absl::string_view text, std::vector<Piece>* out,
             const std::vector<std::pair<uint32_t, uint32_t>>* allowed = nullptr) const;

 private:
  struct Entry {
    std::string content;
    int32_t id;
    bool single_word, lstrip, rstrip;
  };
  // Entries by first byte, longest first, so the first hit at a position is the longest.
  std::array<std::vector<Entry>, 256> by_first_{};
  bool any_ = false;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_ADDED_TOKENS_H_
