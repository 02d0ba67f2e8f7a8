// RunToolBatch: executes the router tools one model answer called, on the tool executor. The
// calls of one answer are independent by construction (the model wrote them before seeing any
// result), so they run in parallel, at most kMaxParallelToolCalls at a time, each on a copy of
// the run's ToolContext that names its call. `on_result` sees each result as its call ends
// (audit, streaming); `on_done` gets them all, in the calls' order, after the last on_result.
//
// No thread waits for another: each of up to kMaxParallelToolCalls tasks takes the next call
// until none is left, and whichever finishes the last call reports the batch.
// Thread safety: `on_result` runs on several tool threads at once and must be thread-safe;
// `on_done` runs once, on the tool thread that finished last.
#ifndef SWITCHYARD_ROUTER_AGENT_TOOL_BATCH_H_
#define SWITCHYARD_ROUTER_AGENT_TOOL_BATCH_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "router/agent/tool_pool.h"
#include "switchyard/v1/router.pb.h"
#include "tools/tool_context.h"
#include "tools/tool_registry.h"

namespace switchyard {

inline constexpr int kMaxParallelToolCalls = 8;

struct ToolBatchCallbacks {
  std::function<void(const v1::ToolResult&)> on_result;
  absl::AnyInvocable<void(std::vector<v1::ToolResult>) &&> on_done;
};

// `registry` must stay valid until on_done has returned. REQUIRES: !calls.empty().
void RunToolBatch(ToolExecutor& executor, const tools::ToolRegistry& registry, std::vector<v1::ToolCall> calls,
                  tools::ToolContext context, int32_t step, ToolBatchCallbacks callbacks);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_TOOL_BATCH_H_
