// RenderQwen3Coder: Qwen3-Coder's chat template (the Qwen3-Coder-30B-A3B-Instruct revision in
// published_templates.inc), natively. What it does, as Jinja2 runs it:
//  - a system turn with the first message's content when it is a system message, or a default
//    one ("You are Qwen, a helpful AI assistant ...") when there are tools;
//  - tools as XML: <function><name>, <description> (trimmed as Python's str.strip()),
//    <parameters> with one <parameter> per property (name, type as str(), description, enum
//    and required as [`a`, `b`] lists, every other key as <key>value</key>: objects by
//    `tojson`, anything else by str(), so True / None / ['x'] in Python's spelling; key names
//    with '-', ' ' and '$' rewritten), the required list, an optional <return>;
//  - assistant tool calls as <tool_call>\n<function=NAME>\n<parameter=KEY>\nVALUE\n</parameter>
//    with strings as they are and other values by str(); the content before them trimmed;
//  - tool messages as <tool_response> blocks in one user turn; quirk kept: a tool message that
//    opens the conversation (after the system message) gets no '<|im_start|>user\n';
//  - the generation prompt '<|im_start|>assistant\n' (no thinking, enable_thinking ignored).
// Thread safety: a stateless function. Failure modes: InvalidArgument where Jinja2 raises: no
// messages; a tool without "parameters", or whose parameters or properties are not objects;
// a call whose arguments are not a JSON object.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_CODER_RENDERER_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_CODER_RENDERER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/rendered_prompt.h"

namespace switchyard {

absl::StatusOr<RenderedPrompt> RenderQwen3Coder(const std::vector<ChatMessage>& messages,
                                                const std::vector<ChatTool>& tools, const RenderOptions& options);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_QWEN3_CODER_RENDERER_H_
