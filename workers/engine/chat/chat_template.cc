#include "workers/engine/chat/chat_template.h"

#include "workers/engine/chat/qwen3_coder_renderer.h"
#include "workers/engine/chat/qwen3_renderer.h"

namespace switchyard {

absl::string_view Qwen3ChatTemplateText() { return PublishedTemplateOf(ChatTemplateFamily::kQwen3).text; }

absl::StatusOr<ChatTemplate> ChatTemplate::Create(absl::string_view template_text) {
  auto family = RecognizeChatTemplate(template_text);
  if (!family.ok()) return family.status();
  return ChatTemplate(*family);
}

absl::StatusOr<RenderedPrompt> ChatTemplate::Render(const std::vector<ChatMessage>& messages,
                                                    const std::vector<ChatTool>& tools,
                                                    const RenderOptions& options) const {
  using Generation = Qwen3Style::Generation;
  switch (family_) {
    case Family::kQwen3:
      return RenderQwen3({.last_turn_always_thinks = true, .generation = Generation::kThinkingSwitch}, messages, tools,
                         options);
    case Family::kQwen3Thinking2507:
      return RenderQwen3({.last_turn_always_thinks = true, .generation = Generation::kAlwaysThink}, messages, tools,
                         options);
    case Family::kQwen3Instruct2507:
      return RenderQwen3({.last_turn_always_thinks = false, .generation = Generation::kPlain}, messages, tools,
                         options);
    case Family::kQwen3Coder:
      return RenderQwen3Coder(messages, tools, options);
  }
  return absl::InternalError("unknown chat template family");
}

}  // namespace switchyard
