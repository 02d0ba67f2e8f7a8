// ChatTemplate: a model's chat template, recognized from tokenizer_config.json and rendered
// natively, byte-identical to Jinja2 rendering it as transformers does (sandboxed, trim_blocks
// and lstrip_blocks; `tojson` = json.dumps(ensure_ascii=False) with keys in their order).
//
//   auto tmpl = ChatTemplate::Create(model.tokenizer_config().chat_template);
//   auto prompt = tmpl->Render(messages, tools, {.add_generation_prompt = true});
//   tokenizer.Encode(prompt->text, {.parse_special = true, .special_spans = &prompt->template_spans});
//   OutputParser parser({.starts_in_reasoning = prompt->opens_reasoning, .tools = tools});
//
// Families (published_templates.h): Qwen3 (system, user, assistant with earlier turns'
// reasoning dropped, tools, tool calls, merged tool responses, enable_thinking), its 2507
// Thinking form (the prompt always opens <think>) and Instruct form, and Qwen3-Coder (XML tool
// definitions and calls). Any other template, edited copies included, is refused.
//
// The contract with Jinja: messages are first normalized as vLLM's OpenAI server normalizes
// them (chat_messages.h: null content is "", text parts are joined by "\n"; tool_call_arguments.h:
// arguments that are JSON are passed as the parsed value). On those messages the output is
// Jinja2's, byte for byte. Where Jinja2 raises instead (Qwen3-Coder given a tool without
// parameters or arguments that are not an object), Render returns InvalidArgument.
//
// The rendered text records which bytes the template wrote and which came from the messages
// and tools, so that tokenization honours special-token literals in the former only:
// "<|im_end|>" typed by a user stays text instead of ending the turn.
// Thread safety: immutable after Create; Render is const and may run concurrently.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/published_templates.h"
#include "workers/engine/chat/rendered_prompt.h"

namespace switchyard {

class ChatTemplate {
 public:
  using Family = ChatTemplateFamily;

  // FailedPrecondition when `template_text` is empty; Unimplemented naming what the template
  // looks like when it is not one of the published texts this renderer reproduces.
  static absl::StatusOr<ChatTemplate> Create(absl::string_view template_text);
  static ChatTemplate ForFamily(Family family) { return ChatTemplate(family); }

  // InvalidArgument for no messages, and where the template itself fails (see above).
  absl::StatusOr<RenderedPrompt> Render(const std::vector<ChatMessage>& messages, const std::vector<ChatTool>& tools,
                                        const RenderOptions& options) const;

  Family family() const { return family_; }
  absl::string_view name() const { return PublishedTemplateOf(family_).name; }

 private:
  explicit ChatTemplate(Family f) : family_(f) {}
  Family family_;
};

// The chat template Qwen publishes with Qwen3 (its tokenizer_config.json), verbatim.
absl::string_view Qwen3ChatTemplateText();

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_
