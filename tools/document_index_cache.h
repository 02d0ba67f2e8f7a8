// DocumentIndexCache: the BM25 index over a request's documents, built on the first search and
// reused by every later search of the same request.
//
// Thread safety: GetOrBuild may be called from several tool calls at once; one builds, the
// others wait for it (internal absl::Mutex).
#ifndef SWITCHYARD_TOOLS_DOCUMENT_INDEX_CACHE_H_
#define SWITCHYARD_TOOLS_DOCUMENT_INDEX_CACHE_H_

#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tools/bm25_index.h"
#include "tools/document.h"

namespace switchyard::tools {

class DocumentIndexCache {
 public:
  // The index of `documents`, built by the first call; later calls return it whatever they pass.
  const Bm25Index& GetOrBuild(const std::vector<Document>& documents) ABSL_LOCKS_EXCLUDED(mu_);
  int builds() const ABSL_LOCKS_EXCLUDED(mu_);  // how many times it was built (0 or 1); for tests

 private:
  mutable absl::Mutex mu_;
  std::unique_ptr<Bm25Index> index_ ABSL_GUARDED_BY(mu_);
  int builds_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_DOCUMENT_INDEX_CACHE_H_
