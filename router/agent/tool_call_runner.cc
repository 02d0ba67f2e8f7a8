#include "router/agent/tool_call_runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

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

std::vector<v1::ToolResult> RunToolCalls(const tools::ToolRegistry& registry, const std::vector<v1::ToolCall>& calls,
                                         const tools::ToolContext& context, int32_t step,
                                         const std::function<void(const v1::ToolResult&)>& on_done) {
  std::vector<v1::ToolResult> results(calls.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < calls.size(); i = next.fetch_add(1)) {
      results[i] = RunToolCall(registry, calls[i], context, step);
      if (on_done) on_done(results[i]);
    }
  };
  const size_t helpers = std::min<size_t>(calls.size(), kMaxParallelToolCalls) - (calls.empty() ? 0 : 1);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (size_t i = 0; i < helpers; ++i) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace switchyard
