#include "tools/bm25_index.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "tools/word_tokenizer.h"

namespace switchyard::tools {

Bm25Index::Bm25Index(std::vector<DocumentChunk> chunks) : chunks_(std::move(chunks)) {
  chunk_length_.reserve(chunks_.size());
  double total = 0;
  for (size_t c = 0; c < chunks_.size(); ++c) {
    absl::flat_hash_map<std::string, int> tf;
    const std::vector<WordToken> tokens = TokenizeWords(chunks_[c].text);
    for (const WordToken& t : tokens) ++tf[t.term];
    for (auto& [term, count] : tf) postings_[term].push_back({c, count});
    chunk_length_.push_back(static_cast<int>(tokens.size()));
    total += static_cast<double>(tokens.size());
  }
  average_length_ = chunks_.empty() ? 0 : total / static_cast<double>(chunks_.size());
}

std::vector<Bm25Hit> Bm25Index::Search(absl::string_view query, size_t top_k) const {
  std::vector<double> score(chunks_.size(), 0.0);
  absl::flat_hash_set<std::string> seen;
  const double n = static_cast<double>(chunks_.size());
  for (const WordToken& t : TokenizeWords(query)) {
    if (!seen.insert(t.term).second) continue;
    auto it = postings_.find(t.term);
    if (it == postings_.end()) continue;
    const double df = static_cast<double>(it->second.size());
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const Posting& p : it->second) {
      const double tf = p.term_frequency;
      const double norm = kK1 * (1.0 - kB + kB * chunk_length_[p.chunk] / average_length_);
      score[p.chunk] += idf * tf * (kK1 + 1.0) / (tf + norm);
    }
  }
  std::vector<Bm25Hit> hits;
  for (size_t c = 0; c < score.size(); ++c) {
    if (score[c] > 0) hits.push_back({c, score[c]});
  }
  auto better = [](const Bm25Hit& a, const Bm25Hit& b) { return a.score != b.score ? a.score > b.score : a.chunk < b.chunk; };
  if (hits.size() > top_k) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(top_k), hits.end(), better);
    hits.resize(top_k);
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

}  // namespace switchyard::tools
