// RunToolCall: executes one router tool call — the registry checks the arguments against the
// tool's schema and runs it — and reports it as the ToolResult the client and the trace see.
// Thread safety: a free function; the registry's Execute is const and thread-safe.
#ifndef SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_
#define SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_

#include <cstdint>

#include "switchyard/v1/router.pb.h"
#include "tools/tool_context.h"
#include "tools/tool_registry.h"

namespace switchyard {

// One call, on a copy of `context` naming it (ToolContext::tool_call_id = call.id()).
v1::ToolResult RunToolCall(const tools::ToolRegistry& registry, const v1::ToolCall& call, tools::ToolContext context,
                           int32_t step);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_TOOL_CALL_RUNNER_H_
