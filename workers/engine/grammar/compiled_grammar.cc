#include "workers/engine/grammar/compiled_grammar.h"

#include <utility>
#include <vector>

namespace switchyard {

CompiledGrammar::CompiledGrammar(Grammar grammar, std::shared_ptr<const VocabularyTrie> vocab, int64_t vocab_size,
                                 size_t max_cached_masks)
    : grammar_(std::move(grammar)), vocab_(std::move(vocab)), vocab_size_(vocab_size), max_cached_(max_cached_masks) {}

std::shared_ptr<const TokenMask> CompiledGrammar::Mask(const GrammarState& state) const {
  std::string key = GrammarMatcher::Key(state);
  {
    absl::MutexLock lock(&mu_);
    auto it = masks_.find(key);
    if (it != masks_.end()) return it->second;
  }
  // Computed outside the lock: two threads may both compute a missing mask; both are equal.
  thread_local std::vector<GrammarState> scratch;
  auto mask = std::make_shared<TokenMask>(vocab_size_);
  ComputeTokenMask(grammar_, state, *vocab_, &scratch, mask.get());
  absl::MutexLock lock(&mu_);
  if (masks_.size() >= max_cached_) masks_.clear();
  masks_.emplace(std::move(key), mask);
  return mask;
}

}  // namespace switchyard
