// RenderOptions / RenderedPrompt: what a chat template is asked for and what it gives back,
// and PromptWriter, which builds a RenderedPrompt while recording which bytes the template
// wrote itself (special-token literals count only there; see tokenizer.h special_spans).
// Thread safety: plain values; a PromptWriter belongs to one rendering.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_RENDERED_PROMPT_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_RENDERED_PROMPT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "workers/engine/tokenizer/pretokenizer.h"

namespace switchyard {

struct RenderOptions {
  bool add_generation_prompt = true;
  // Unset: as if the caller did not pass it to the template (Qwen3 then thinks). Templates
  // without the switch ignore it, as Jinja does.
  std::optional<bool> enable_thinking;
};

struct RenderedPrompt {
  std::string text;
  std::vector<TextSpan> template_spans;  // bytes written by the template itself, in order
  bool opens_reasoning = false;          // the text ends inside <think>: the answer starts as reasoning
};

class PromptWriter {
 public:
  explicit PromptWriter(RenderedPrompt* out) : out_(out) {}
  // Bytes the template writes (its literals).
  void Template(absl::string_view s) {
    if (s.empty()) return;
    const auto b = static_cast<uint32_t>(out_->text.size());
    out_->text.append(s.data(), s.size());
    const auto e = static_cast<uint32_t>(out_->text.size());
    if (!out_->template_spans.empty() && out_->template_spans.back().end == b) {
      out_->template_spans.back().end = e;
    } else {
      out_->template_spans.push_back(TextSpan{b, e});
    }
  }
  // Bytes that come from the conversation or the tool definitions.
  void Content(absl::string_view s) { out_->text.append(s.data(), s.size()); }

 private:
  RenderedPrompt* out_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_RENDERED_PROMPT_H_
