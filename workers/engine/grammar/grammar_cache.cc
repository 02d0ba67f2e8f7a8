#include "workers/engine/grammar/grammar_cache.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

// The schema re-serialized (member order kept: it is the output's order); the text itself when
// it does not parse (compiling it fails anyway).
std::string Canonical(absl::string_view json) {
  auto j = nlohmann::ordered_json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? std::string(json) : j.dump();
}

}  // namespace

GrammarCache::GrammarCache(const Tokenizer* tokenizer, int64_t vocab_size, size_t capacity)
    : tokenizer_(tokenizer), vocab_size_(vocab_size), capacity_(capacity) {}

std::shared_ptr<const VocabularyTrie> GrammarCache::Vocab() {
  absl::MutexLock lock(&vocab_mu_);
  if (vocab_ == nullptr) vocab_ = std::make_shared<const VocabularyTrie>(VocabularyTrie::FromTokenizer(*tokenizer_));
  return vocab_;
}

std::shared_ptr<const CompiledGrammar> GrammarCache::Find(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void GrammarCache::Insert(const std::string& key, std::shared_ptr<const CompiledGrammar> g) {
  if (index_.contains(key)) return;  // another thread compiled it meanwhile
  lru_.emplace_front(key, std::move(g));
  index_[key] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

absl::StatusOr<std::shared_ptr<const CompiledGrammar>> GrammarCache::Get(
    const std::string& key, const std::function<absl::StatusOr<Grammar>()>& compile) {
  {
    absl::MutexLock lock(&mu_);
    if (auto g = Find(key)) return g;
  }
  auto grammar = compile();
  if (!grammar.ok()) return grammar.status();
  auto compiled = std::make_shared<const CompiledGrammar>(std::move(*grammar), Vocab(), vocab_size_);
  absl::MutexLock lock(&mu_);
  Insert(key, compiled);
  return Find(key);
}

absl::StatusOr<std::shared_ptr<const CompiledGrammar>> GrammarCache::ForJsonSchema(absl::string_view schema_json,
                                                                                  absl::string_view where) {
  // `where` is part of the key only through error messages, which are not cached.
  return Get(absl::StrCat("json\n", Canonical(schema_json)),
             [&] { return CompileJsonSchema(schema_json, where); });
}

absl::StatusOr<std::shared_ptr<const CompiledGrammar>> GrammarCache::ForToolCalls(absl::Span<const ToolSchema> tools) {
  std::string key = "tools";
  for (const ToolSchema& t : tools) absl::StrAppend(&key, "\n", t.name, "\n", Canonical(t.parameters));
  return Get(key, [&] { return CompileToolCallGrammar(tools); });
}

std::shared_ptr<const CompiledGrammar> GrammarCache::ForAnyJsonObject() {
  // Keys of the other kinds start with "json\n" or "tools": no collision.
  return *Get("any json object", []() -> absl::StatusOr<Grammar> { return AnyJsonObjectGrammar(); });
}

size_t GrammarCache::size() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

}  // namespace switchyard
