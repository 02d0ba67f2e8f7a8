// Fuzz target: the OpenAI-shaped messages and tools parsers and the Qwen3 template over what
// they accept. Any bytes give messages (then a rendering) or an error, never a crash.
#include <cstdint>
#include <vector>

#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/chat_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto messages = switchyard::ParseChatMessages(text, "fuzz.json");
  (void)switchyard::ParseChatTools(text, "fuzz.json");
  if (!messages.ok() || messages->empty()) return 0;
  static const auto tmpl = switchyard::ChatTemplate::Create(switchyard::Qwen3ChatTemplateText());
  if (!tmpl.ok()) return 0;
  auto tool = switchyard::MakeChatTool("f", "d", "{\"type\": \"object\"}");
  for (bool with_tools : {false, true}) {
    std::vector<switchyard::ChatTool> tools;
    if (with_tools && tool.ok()) tools.push_back(*tool);
    (void)tmpl->Render(*messages, tools, {.add_generation_prompt = with_tools, .enable_thinking = with_tools});
  }
  return 0;
}
