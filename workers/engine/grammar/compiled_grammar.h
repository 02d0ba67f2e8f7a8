// CompiledGrammar: a Grammar bound to one tokenizer's vocabulary, with a cache of token masks by
// automaton state (states repeat across steps and across sequences that share the schema: the
// opening of every call, each key, each string position). Shared by all sequences using it.
// Thread safety: Mask() may be called from many threads at once.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_COMPILED_GRAMMAR_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_COMPILED_GRAMMAR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "workers/engine/grammar/grammar.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/token_mask.h"
#include "workers/engine/grammar/vocabulary_trie.h"

namespace switchyard {

class CompiledGrammar {
 public:
  // `vocab_size`: the model's logits row (may exceed the tokenizer's ids: padding rows).
  CompiledGrammar(Grammar grammar, std::shared_ptr<const VocabularyTrie> vocab, int64_t vocab_size,
                  size_t max_cached_masks = 256);

  const Grammar& grammar() const { return grammar_; }
  const VocabularyTrie& vocab() const { return *vocab_; }
  int64_t vocab_size() const { return vocab_size_; }

  // The tokens (without end tokens) whose bytes `state` can consume; cached.
  std::shared_ptr<const TokenMask> Mask(const GrammarState& state) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Grammar grammar_;
  std::shared_ptr<const VocabularyTrie> vocab_;
  int64_t vocab_size_;
  size_t max_cached_;
  mutable absl::Mutex mu_;
  // Cleared when full: simpler than LRU order, and a schema's hot states come back at once.
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const TokenMask>> masks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_COMPILED_GRAMMAR_H_
