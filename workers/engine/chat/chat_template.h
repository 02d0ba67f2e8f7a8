// ChatTemplate: Qwen3's chat template, implemented natively and byte-identical to the Jinja
// template in tokenizer_config.json as transformers renders it (Jinja2 with trim_blocks and
// lstrip_blocks; tojson = json.dumps(ensure_ascii=False) in key order).
//
//   auto tmpl = ChatTemplate::Create(model.tokenizer_config().chat_template);
//   auto prompt = tmpl->Render(messages, tools, {.add_generation_prompt = true});
//   tokenizer.Encode(prompt->text, {.special_spans = &prompt->template_spans});
//
// The template is recognized from its text: Qwen3's own (system, user, assistant with earlier
// turns' reasoning dropped, tools, tool calls, merged tool responses, enable_thinking) and the
// 2507 Thinking models' form of it (the prompt always opens <think>). Other templates, among
// them Qwen3-Coder's XML tool calls, are refused with an Unimplemented naming what was found.
//
// The rendered text records which bytes the template wrote and which came from messages, so
// tokenization can honour special-token literals in the former only: "<|im_end|>" typed by a
// user stays text instead of ending the turn.
// Deviation from Jinja2, on purpose: a null message content renders as "" (Jinja2 would fail
// on `'...' + None`, which OpenAI clients send for assistant turns made of tool calls).
// Thread safety: immutable; Render is const.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/tokenizer/pretokenizer.h"

namespace switchyard {

struct RenderOptions {
  bool add_generation_prompt = true;
  std::optional<bool> enable_thinking;  // unset: the template's default (thinking on)
};

struct RenderedPrompt {
  std::string text;
  std::vector<TextSpan> template_spans;  // bytes written by the template itself
  bool opens_reasoning = false;          // the text ends inside <think>: the answer starts as reasoning
};

class ChatTemplate {
 public:
  enum class Family { kQwen3, kQwen3Thinking2507 };

  // Unimplemented naming the template family (or "an unrecognized template") when it is not
  // one this renderer reproduces byte for byte; FailedPrecondition when there is no template.
  static absl::StatusOr<ChatTemplate> Create(absl::string_view template_text);

  // InvalidArgument for a conversation the template cannot express (no messages).
  absl::StatusOr<RenderedPrompt> Render(const std::vector<ChatMessage>& messages, const std::vector<ChatTool>& tools,
                                        const RenderOptions& options) const;
  Family family() const { return family_; }

 private:
  explicit ChatTemplate(Family f) : family_(f) {}
  Family family_;
};

// The chat template Qwen publishes with Qwen3 (its tokenizer_config.json), verbatim.
absl::string_view Qwen3ChatTemplateText();

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_CHAT_TEMPLATE_H_
