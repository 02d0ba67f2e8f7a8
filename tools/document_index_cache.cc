#include "tools/document_index_cache.h"

#include "tools/document_chunker.h"

namespace switchyard::tools {

const Bm25Index& DocumentIndexCache::GetOrBuild(const std::vector<Document>& documents) {
  absl::MutexLock lock(&mu_);
  if (index_ == nullptr) {
    index_ = std::make_unique<Bm25Index>(DocumentChunker().Chunk(documents));
    ++builds_;
  }
  return *index_;  // never replaced once built, so the reference outlives the lock
}

int DocumentIndexCache::builds() const {
  absl::MutexLock lock(&mu_);
  return builds_;
}

}  // namespace switchyard::tools
