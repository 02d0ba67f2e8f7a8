// The chat templates this engine renders natively, verbatim as Qwen publishes them in the
// models' tokenizer_config.json, and the recognition of a model's template: which family it
// is, and whether it is exactly one of these texts.
//
// Recognition is strict on purpose: a template is rendered only when its text equals a
// published one (ignoring trailing whitespace and CRLF line ends), because a native renderer of
// a template that differs by one line would silently give the model a wrong prompt. For any
// other template, distinctive lines (a fingerprint) name what it looks like, and the error
// says which line differs from the closest published text.
//
// Thread safety: immutable data and stateless functions. Failure modes: see
// RecognizeChatTemplate.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_PUBLISHED_TEMPLATES_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_PUBLISHED_TEMPLATES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace switchyard {

enum class ChatTemplateFamily {
  kQwen3,              // Qwen3-* (hybrid thinking, enable_thinking switch)
  kQwen3Thinking2507,  // Qwen3-*-Thinking-2507: the prompt always opens <think>
  kQwen3Instruct2507,  // Qwen3-*-Instruct-2507: no thinking
  kQwen3Coder,         // Qwen3-Coder-*: XML tool calls (<function=...><parameter=...>)
};

struct PublishedTemplate {
  ChatTemplateFamily family;
  absl::string_view name;    // "Qwen3-Coder (30B-A3B-Instruct)"
  absl::string_view models;  // which published models carry it
  absl::string_view text;
};

absl::Span<const PublishedTemplate> PublishedTemplates();
const PublishedTemplate& PublishedTemplateOf(ChatTemplateFamily family);

// The family of `text`. FailedPrecondition when it is empty (the model has no template);
// Unimplemented when it is not one of the published texts, naming what it looks like (a
// Qwen3-family template that differs from the published one, with the first differing line;
// Qwen2.5, Llama 3, Mistral, Gemma, DeepSeek, GPT-OSS, ChatML...) and listing what is supported.
absl::StatusOr<ChatTemplateFamily> RecognizeChatTemplate(absl::string_view text);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_PUBLISHED_TEMPLATES_H_
