// RenderQwen3: Qwen3's chat template and its 2507 forms, natively. Line by line the Jinja
// template (published_templates.inc) does, and so does this:
//  - tools: a system turn listing each tool as `tool | tojson`, after the first message's
//    content when that message is a system message;
//  - last_query_index: the last user message whose content is not a hand-wrapped
//    "<tool_response>...</tool_response>"; assistant turns after it keep their reasoning (the
//    last turn always, in Qwen3 and Thinking-2507), earlier ones drop it;
//  - reasoning: reasoning_content, or else the content split at '</think>' with '\n' stripped
//    as Python's lstrip / rstrip / strip('\n') do;
//  - tool calls: '\n' before the first only when the (split) content is not empty; arguments
//    as tool_call_arguments.h describes; consecutive tool messages merged in one user turn;
//  - the generation prompt: '<|im_start|>assistant\n', plus '<think>\n\n</think>\n\n' for
//    enable_thinking=false (Qwen3) or '<think>\n' always (Thinking-2507).
// Thread safety: a stateless function. Failure modes: InvalidArgument for no messages.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_RENDERER_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_RENDERER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/rendered_prompt.h"

namespace switchyard {

struct Qwen3Style {
  enum class Generation { kThinkingSwitch, kAlwaysThink, kPlain };
  // A turn after the last query keeps a <think> block when it is the last message even with
  // empty reasoning (Qwen3, Thinking-2507), or only when it has reasoning (Instruct-2507).
  bool last_turn_always_thinks = true;
  Generation generation = Generation::kThinkingSwitch;
};

absl::StatusOr<RenderedPrompt> RenderQwen3(const Qwen3Style& style, const std::vector<ChatMessage>& messages,
                                           const std::vector<ChatTool>& tools, const RenderOptions& options);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_RENDERER_H_
