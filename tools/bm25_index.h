// Bm25Index: Okapi BM25 ranking (k1 = 1.2, b = 0.75) over document chunks, terms from
// TokenizeWords. idf = ln(1 + (N - df + 0.5) / (df + 0.5)), which stays positive for terms in
// most chunks (Lucene's form). Query terms count once each.
//
// Immutable after construction; Search is const and safe from several threads.
#ifndef SWITCHYARD_TOOLS_BM25_INDEX_H_
#define SWITCHYARD_TOOLS_BM25_INDEX_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "tools/document_chunker.h"

namespace switchyard::tools {

struct Bm25Hit {
  size_t chunk = 0;  // index into chunks()
  double score = 0;
};

class Bm25Index {
 public:
  static constexpr double kK1 = 1.2;
  static constexpr double kB = 0.75;

  explicit Bm25Index(std::vector<DocumentChunk> chunks);

  // The best `top_k` chunks with a score above 0, best first; ties in chunk order.
  std::vector<Bm25Hit> Search(absl::string_view query, size_t top_k) const;
  const std::vector<DocumentChunk>& chunks() const { return chunks_; }

 private:
  struct Posting {
    size_t chunk;
    int term_frequency;
  };
  std::vector<DocumentChunk> chunks_;
  std::vector<int> chunk_length_;  // terms per chunk
  double average_length_ = 0;
  absl::flat_hash_map<std::string, std::vector<Posting>> postings_;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_BM25_INDEX_H_
