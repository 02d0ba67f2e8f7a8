// RunToolCalls: executes the router tools one model answer called. The calls of one answer are
// independent by construction (the model wrote them before seeing any result), so they run in
// parallel, at most kMaxParallelToolCalls at a time, each on a copy of the run's ToolContext
// that names its call. Results come back in the calls' order; `on_done` sees each one as it
// finishes (from the thread that ran it), for streaming and the audit log.
// Thread safety: a free function; `on_done` must be thread-safe.
#ifndef SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_
#define SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "switchyard/v1/router.pb.h"
#include "tools/tool_context.h"
#include "tools/tool_registry.h"

namespace switchyard {

inline constexpr int kMaxParallelToolCalls = 8;

// One call, on a copy of `context` naming it (ToolContext::tool_call_id = call.id()).
v1::ToolResult RunToolCall(const tools::ToolRegistry& registry, const v1::ToolCall& call, tools::ToolContext context,
                           int32_t step);

std::vector<v1::ToolResult> RunToolCalls(const tools::ToolRegistry& registry, const std::vector<v1::ToolCall>& calls,
                                         const tools::ToolContext& context, int32_t step,
                                         const std::function<void(const v1::ToolResult&)>& on_done);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_
