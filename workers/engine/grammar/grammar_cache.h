// GrammarCache: compiled grammars for one tokenizer, keyed by the schema's canonical text (its
// JSON re-serialized, so formatting differences share an entry), least recently used first out.
// Compiling a schema is cheap; the vocabulary trie (built once, on first use, ~0.2 s for
// Qwen3's 151k tokens) and the masks cached inside each CompiledGrammar are what the cache keeps.
//
//   GrammarCache cache(&tokenizer, runner.vocab_size());
//   auto g = cache.ForJsonSchema(schema, "response_format.json_schema");  // InvalidArgument if refused
//   params.grammar = *g;
//
// Thread safety: every method may be called from any thread.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_CACHE_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_CACHE_H_

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "workers/engine/grammar/compiled_grammar.h"
#include "workers/engine/grammar/json_schema_grammar.h"
#include "workers/engine/grammar/vocabulary_trie.h"

namespace switchyard {

class Tokenizer;

class GrammarCache {
 public:
  // `tokenizer` must outlive the cache; `vocab_size` is the model's logits row.
  GrammarCache(const Tokenizer* tokenizer, int64_t vocab_size, size_t capacity = 64);

  // CompileJsonSchema's errors.
  absl::StatusOr<std::shared_ptr<const CompiledGrammar>> ForJsonSchema(absl::string_view schema_json,
                                                                      absl::string_view where)
      ABSL_LOCKS_EXCLUDED(mu_);
  // CompileToolCallGrammar's errors.
  absl::StatusOr<std::shared_ptr<const CompiledGrammar>> ForToolCalls(absl::Span<const ToolSchema> tools)
      ABSL_LOCKS_EXCLUDED(mu_);

  // AnyJsonObjectGrammar(): OpenAI's json_object response format.
  std::shared_ptr<const CompiledGrammar> ForAnyJsonObject() ABSL_LOCKS_EXCLUDED(mu_);

  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::shared_ptr<const VocabularyTrie> Vocab() ABSL_LOCKS_EXCLUDED(mu_);
  std::shared_ptr<const CompiledGrammar> Find(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Insert(const std::string& key, std::shared_ptr<const CompiledGrammar> g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::shared_ptr<const CompiledGrammar>> Get(const std::string& key,
                                                            const std::function<absl::StatusOr<Grammar>()>& compile)
      ABSL_LOCKS_EXCLUDED(mu_);

  const Tokenizer* tokenizer_;
  int64_t vocab_size_;
  size_t capacity_;
  absl::Mutex vocab_mu_;  // held while the trie is built, so that it is built once
  std::shared_ptr<const VocabularyTrie> vocab_ ABSL_GUARDED_BY(vocab_mu_);
  mutable absl::Mutex mu_;
  using Entry = std::pair<std::string, std::shared_ptr<const CompiledGrammar>>;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);  // most recently used first
  absl::flat_hash_map<std::string, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_CACHE_H_
