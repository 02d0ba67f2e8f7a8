#include "router/agent/tool_call_runner.h"

#include "absl/time/clock.h"

namespace switchyard {

v1::ToolResult RunToolCall(const tools::ToolRegistry& registry, const v1::ToolCall& call, tools::ToolContext context,
                           int32_t step) {
  context.tool_call_id = call.id();
  const absl::Time start = absl::Now();
  const tools::ToolResult r = registry.Execute(call.name(), call.arguments_json(), context);
  v1::ToolResult out;
  out.set_tool_call_id(call.id());
  out.set_name(call.name());
  out.set_content(r.content);
  out.set_ok(r.ok);
  out.set_error(r.error);
  out.set_step(step);
  out.set_latency_ms(absl::ToInt64Milliseconds(absl::Now() - start));
  if (!r.structured.is_null()) out.set_structured_json(r.structured.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return out;
}

}  // namespace switchyard
