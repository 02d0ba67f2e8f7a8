// Fuzz target: the OpenAI-shaped messages and tools parsers, template recognition, and every
// native template over what the parsers accept: the input as messages (rendered with a fixed
// tool) and as tools (a fixed conversation rendered with them), for each template family. Any
// bytes give a rendering or an error, never a crash; renderings end with their template spans
// inside the text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/chat_template.h"

namespace {

void Check(const absl::StatusOr<switchyard::RenderedPrompt>& p) {
  if (!p.ok()) return;
  uint32_t last = 0;
  for (const switchyard::TextSpan& s : p->template_spans) {
    if (s.begin < last || s.end <= s.begin || s.end > p->text.size()) {
      std::fprintf(stderr, "bad template span\n");
      std::abort();
    }
    last = s.end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using switchyard::ChatTemplateFamily;
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)switchyard::RecognizeChatTemplate(text);
  auto messages = switchyard::ParseChatMessages(text, "fuzz.json");
  auto tools = switchyard::ParseChatTools(text, "fuzz.json");
  static const auto tool = switchyard::MakeChatTool(
      "f", " d ", R"({"type":"object","properties":{"a":{"type":["string","null"],"enum":["x",1],"x-y":{"k":[1]}}},"required":["a"]})");
  static const std::vector<switchyard::ChatMessage> conversation = [] {
    std::vector<switchyard::ChatMessage> c = {{"system", "s"}, {"user", "u"}, {"assistant", "<think>r</think>a"}};
    c[2].tool_calls.push_back({"id", "f", R"({"a": "x", "b": [1, {"c": null}]})"});
    c.push_back({"tool", "t"});
    return c;
  }();
  for (ChatTemplateFamily f : {ChatTemplateFamily::kQwen3, ChatTemplateFamily::kQwen3Thinking2507,
                               ChatTemplateFamily::kQwen3Instruct2507, ChatTemplateFamily::kQwen3Coder}) {
    const switchyard::ChatTemplate tmpl = switchyard::ChatTemplate::ForFamily(f);
    if (messages.ok()) {
      std::vector<switchyard::ChatTool> with;
      if (tool.ok()) with.push_back(*tool);
      Check(tmpl.Render(*messages, {}, {.add_generation_prompt = true, .enable_thinking = false}));
      Check(tmpl.Render(*messages, with, {.add_generation_prompt = false}));
    }
    if (tools.ok()) Check(tmpl.Render(conversation, *tools, {}));
  }
  return 0;
}
