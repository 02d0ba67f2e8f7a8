// ToolContext: what one request gives the tools it runs — its deadline, its cancellation flag,
// the documents attached to it, and the tenant's sandbox limits. Built by the agent loop once per
// request and passed to every tool call of that request.
//
// Copies share the lazily built document index (see DocumentIndexCache): set `documents` before
// the first search_documents call and leave them alone afterwards.
#ifndef SWITCHYARD_TOOLS_TOOL_CONTEXT_H_
#define SWITCHYARD_TOOLS_TOOL_CONTEXT_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sandbox/sandbox_limits.h"
#include "tools/document.h"
#include "tools/document_index_cache.h"

namespace switchyard::tools {

struct ToolContext {
  absl::Time deadline = absl::InfiniteFuture();
  // Set by the request's owner when the client goes away; may be null (never cancelled).
  const std::atomic<bool>* cancelled = nullptr;
  std::vector<Document> documents;
  sandbox::SandboxLimits sandbox_limits;
  std::shared_ptr<DocumentIndexCache> document_index = std::make_shared<DocumentIndexCache>();
  // The call being run (the model's tool call id), so that a delegate can say in the trace which
  // call its sub-conversation answers. Set per call on a copy of the request's context.
  std::string tool_call_id;

  // Cancelled or DeadlineExceeded when a tool should not start (or go on); OK otherwise.
  absl::Status CheckLive(absl::Time now = absl::Now()) const {
    if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) {
      return absl::CancelledError("the request was cancelled");
    }
    if (now >= deadline) return absl::DeadlineExceededError("the request's deadline has passed");
    return absl::OkStatus();
  }
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_TOOL_CONTEXT_H_
