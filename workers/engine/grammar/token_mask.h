// TokenMask: which token ids may come next, one bit per id of the model's vocabulary; and
// ComputeTokenMask, which finds them for a matcher state by walking the vocabulary trie with
// the automaton (a subtree is skipped as soon as its prefix is refused).
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_MASK_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_MASK_H_

#include <cstdint>
#include <vector>

#include "workers/engine/grammar/grammar.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/vocabulary_trie.h"

namespace switchyard {

class TokenMask {
 public:
  explicit TokenMask(int64_t size) : size_(size), bits_(static_cast<size_t>((size + 63) / 64)) {}
  void Allow(int32_t id) {
    if (id >= 0 && id < size_) bits_[static_cast<size_t>(id) >> 6] |= uint64_t{1} << (id & 63);
  }
  bool allowed(int32_t id) const {
    return id >= 0 && id < size_ && (bits_[static_cast<size_t>(id) >> 6] >> (id & 63) & 1) != 0;
  }
  int64_t size() const { return size_; }
  int64_t count() const;
  // Sets the logits of refused tokens (and of any past size()) to -inf; the sampler's rules
  // then run over the rest.
  void Apply(float* logits, int64_t n) const;

 private:
  int64_t size_;
  std::vector<uint64_t> bits_;
};

// Allows in *mask every token of `vocab` whose bytes `state` can consume (end tokens are the
// caller's). `scratch` holds one state per trie depth and is reused between calls.
void ComputeTokenMask(const Grammar& g, const GrammarState& state, const VocabularyTrie& vocab,
                      std::vector<GrammarState>* scratch, TokenMask* mask);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_MASK_H_
