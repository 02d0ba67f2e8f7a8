#include "tools/search_documents_tool.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "tools/bm25_index.h"

namespace switchyard::tools {
namespace {

// A query has a length bound so that constrained decoding ends it even on a weak model.
// No "minimum"/"maximum": the schema subset leaves them out (constrained decoding cannot honour
// them), so the range of top_k is checked by the executor and stated in the description.
constexpr char kSchema[] = R"({
  "type": "object",
  "properties": {
    "query": {"type": "string", "minLength": 1, "maxLength": 256, "description": "Words to look for."},
    "top_k": {"type": "integer", "description": "How many passages to return, 1 to 20 (default 5)."}
  },
  "required": ["query"],
  "additionalProperties": false
})";

absl::StatusOr<ToolOutput> Search(const nlohmann::json& args, const ToolContext& context) {
  if (absl::Status live = context.CheckLive(); !live.ok()) return live;
  double top_k = kSearchDefaultTopK;
  if (auto it = args.find("top_k"); it != args.end()) top_k = it->get<double>();  // integral: the schema said so
  if (top_k < 1 || top_k > kSearchMaxTopK) {
    return absl::InvalidArgumentError(absl::StrCat("top_k must be from 1 to ", kSearchMaxTopK));
  }
  if (context.documents.empty()) return absl::FailedPreconditionError("no documents are attached to this request");
  const Bm25Index& index = context.document_index->GetOrBuild(context.documents);
  nlohmann::json results = nlohmann::json::array();
  for (const Bm25Hit& hit : index.Search(args.at("query").get<std::string>(), static_cast<size_t>(top_k))) {
    const DocumentChunk& c = index.chunks()[hit.chunk];
    results.push_back({{"document", c.document_name}, {"start", c.begin}, {"end", c.end},
                       {"score", std::round(hit.score * 1e4) / 1e4}, {"text", c.text}});
  }
  ToolOutput out;
  out.structured = {{"results", std::move(results)}};
  out.content = out.structured.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

}  // namespace

absl::StatusOr<Tool> MakeSearchDocumentsTool() {
  return Tool::Create("search_documents",
                      "Search the documents attached to this request (BM25 keyword ranking). Returns the best "
                      "matching passages with their document name, byte offsets and score.",
                      kSchema, Search);
}

}  // namespace switchyard::tools
