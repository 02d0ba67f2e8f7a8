#include "router/agent/tool_batch.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "router/agent/tool_call_runner.h"

namespace switchyard {
namespace {

struct Batch {
  Batch(const tools::ToolRegistry& r, std::vector<v1::ToolCall> c, tools::ToolContext ctx, int32_t s,
        ToolBatchCallbacks cb)
      : registry(r), calls(std::move(c)), context(std::move(ctx)), step(s), callbacks(std::move(cb)),
        results(calls.size()) {}

  const tools::ToolRegistry& registry;
  const std::vector<v1::ToolCall> calls;
  const tools::ToolContext context;
  const int32_t step;
  ToolBatchCallbacks callbacks;

  absl::Mutex mu;
  size_t next ABSL_GUARDED_BY(mu) = 0;
  size_t finished ABSL_GUARDED_BY(mu) = 0;
  std::vector<v1::ToolResult> results ABSL_GUARDED_BY(mu);
};

// One of the batch's parallel lanes: takes calls until none is left.
void Lane(const std::shared_ptr<Batch>& b) {
  for (;;) {
    size_t i;
    {
      absl::MutexLock lock(&b->mu);
      if (b->next == b->calls.size()) return;
      i = b->next++;
    }
    v1::ToolResult r = RunToolCall(b->registry, b->calls[i], b->context, b->step);
    b->callbacks.on_result(r);
    std::vector<v1::ToolResult> all;
    {
      absl::MutexLock lock(&b->mu);
      b->results[i] = std::move(r);
      if (++b->finished < b->calls.size()) continue;
      all = std::move(b->results);
    }
    std::move(b->callbacks.on_done)(std::move(all));
    return;
  }
}

}  // namespace

void RunToolBatch(ToolExecutor& executor, const tools::ToolRegistry& registry, std::vector<v1::ToolCall> calls,
                  tools::ToolContext context, int32_t step, ToolBatchCallbacks callbacks) {
  auto batch = std::make_shared<Batch>(registry, std::move(calls), std::move(context), step, std::move(callbacks));
  const size_t lanes = std::min<size_t>(batch->calls.size(), kMaxParallelToolCalls);
  for (size_t i = 0; i < lanes; ++i) executor.Post([batch] { Lane(batch); });
}

}  // namespace switchyard
