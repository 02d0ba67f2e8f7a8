// SearchDocumentsTool: the search_documents built-in — BM25 over the documents attached to the
// request (ToolContext::documents), chunked by DocumentChunker, indexed once per request
// (ToolContext::document_index). Arguments {query, top_k: 1..20, default 5}. The content is JSON:
//   {"results": [{"document", "start", "end", "score", "text"}, ...]}   best first
// where start/end are byte offsets of `text` in that document. FailedPrecondition when the
// request has no documents.
#ifndef SWITCHYARD_TOOLS_SEARCH_DOCUMENTS_TOOL_H_
#define SWITCHYARD_TOOLS_SEARCH_DOCUMENTS_TOOL_H_

#include "absl/status/statusor.h"
#include "tools/tool.h"

namespace switchyard::tools {

inline constexpr int kSearchDefaultTopK = 5;
inline constexpr int kSearchMaxTopK = 20;

absl::StatusOr<Tool> MakeSearchDocumentsTool();

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_SEARCH_DOCUMENTS_TOOL_H_
