#include "workers/engine/chat/chat_template.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace switchyard {
namespace {

#include "workers/engine/chat/qwen3_template_text.inc"

// Python's str.strip / lstrip / rstrip with a character set.
absl::string_view LStrip(absl::string_view s, char c) {
  while (!s.empty() && s.front() == c) s.remove_prefix(1);
  return s;
}
absl::string_view RStrip(absl::string_view s, char c) {
  while (!s.empty() && s.back() == c) s.remove_suffix(1);
  return s;
}
absl::string_view Strip(absl::string_view s, char c) { return RStrip(LStrip(s, c), c); }

// s.split(sep)[-1] and s.split(sep)[0].
absl::string_view AfterLast(absl::string_view s, absl::string_view sep) {
  const size_t p = s.rfind(sep);
  return p == absl::string_view::npos ? s : s.substr(p + sep.size());
}
absl::string_view BeforeFirst(absl::string_view s, absl::string_view sep) {
  const size_t p = s.find(sep);
  return p == absl::string_view::npos ? s : s.substr(0, p);
}

class Writer {
 public:
  explicit Writer(RenderedPrompt* out) : out_(out) {}
  // Text the template itself writes.
  void T(absl::string_view s) {
    if (s.empty()) return;
    const uint32_t b = static_cast<uint32_t>(out_->text.size());
    out_->text.append(s.data(), s.size());
    const uint32_t e = static_cast<uint32_t>(out_->text.size());
    if (!out_->template_spans.empty() && out_->template_spans.back().end == b) {
      out_->template_spans.back().end = e;
    } else {
      out_->template_spans.push_back(TextSpan{b, e});
    }
  }
  // Text that comes from the conversation.
  void C(absl::string_view s) { out_->text.append(s.data(), s.size()); }

 private:
  RenderedPrompt* out_;
};

}  // namespace

absl::string_view Qwen3ChatTemplateText() { return kQwen3ChatTemplate; }

absl::StatusOr<ChatTemplate> ChatTemplate::Create(absl::string_view text) {
  if (text.empty()) {
    return absl::FailedPreconditionError("the model has no chat template (tokenizer_config.json chat_template is empty)");
  }
  if (text == kQwen3ChatTemplate) return ChatTemplate(Family::kQwen3);
  static const std::string thinking =
      absl::StrReplaceAll(kQwen3ChatTemplate, {{kQwen3GenerationBlock, kQwen3ThinkingGenerationBlock}});
  if (text == thinking) return ChatTemplate(Family::kQwen3Thinking2507);
  if (absl::StrContains(text, "<function=") && absl::StrContains(text, "<parameter=")) {
    return absl::UnimplementedError(
        "the chat template is Qwen3-Coder's (XML-style <function=...><parameter=...> tool calls), which is not "
        "supported yet; supported: Qwen3's template and its 2507 Thinking form");
  }
  if (absl::StrContains(text, "<|im_start|>") && absl::StrContains(text, "<think>")) {
    return absl::UnimplementedError(
        "the chat template is a Qwen3-style template that differs from Qwen3's published one (a 2507 Instruct "
        "model or an edited template?), which is not reproduced byte for byte; supported: Qwen3's template and its "
        "2507 Thinking form");
  }
  return absl::UnimplementedError(absl::StrCat("unrecognized chat template (", text.size(),
                                               " bytes); supported: Qwen3's template and its 2507 Thinking form"));
}

absl::StatusOr<RenderedPrompt> ChatTemplate::Render(const std::vector<ChatMessage>& messages,
                                                    const std::vector<ChatTool>& tools, const RenderOptions& options) const {
  if (messages.empty()) return absl::InvalidArgumentError("messages: at least one message is required");
  RenderedPrompt out;
  Writer w(&out);
  const int n = static_cast<int>(messages.size());
  if (!tools.empty()) {
    w.T("<|im_start|>system\n");
    if (messages[0].role == "system") {
      w.C(messages[0].content);
      w.T("\n\n");
    }
    w.T("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
    for (const ChatTool& t : tools) {
      w.T("\n");
      w.C(t.json);
    }
    w.T("\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
        "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
        "<args-json-object>}\n</tool_call><|im_end|>\n");
  } else if (messages[0].role == "system") {
    w.T("<|im_start|>system\n");
    w.C(messages[0].content);
    w.T("<|im_end|>\n");
  }
  // The last user message that is not a tool response wrapped by hand: reasoning of assistant
  // turns after it is kept, before it dropped.
  bool multi_step_tool = true;
  int last_query_index = n - 1;
  for (int index = n - 1; index >= 0; --index) {
    const ChatMessage& m = messages[static_cast<size_t>(index)];
    if (multi_step_tool && m.role == "user" &&
        !(absl::StartsWith(m.content, "<tool_response>") && absl::EndsWith(m.content, "</tool_response>"))) {
      multi_step_tool = false;
      last_query_index = index;
    }
  }
  for (int i = 0; i < n; ++i) {
    const ChatMessage& m = messages[static_cast<size_t>(i)];
    if (m.role == "user" || (m.role == "system" && i != 0)) {
      w.T(absl::StrCat("<|im_start|>", m.role, "\n"));
      w.C(m.content);
      w.T("<|im_end|>\n");
    } else if (m.role == "assistant") {
      absl::string_view content = m.content;
      absl::string_view reasoning;
      if (m.reasoning_content.has_value()) {
        reasoning = *m.reasoning_content;
      } else if (absl::StrContains(m.content, "</think>")) {
        content = LStrip(AfterLast(m.content, "</think>"), '\n');
        reasoning = LStrip(AfterLast(RStrip(BeforeFirst(m.content, "</think>"), '\n'), "<think>"), '\n');
      }
      if (i > last_query_index && (i == n - 1 || !reasoning.empty())) {
        w.T("<|im_start|>assistant\n<think>\n");
        w.C(Strip(reasoning, '\n'));
        w.T("\n</think>\n\n");
        w.C(LStrip(content, '\n'));
      } else {
        w.T("<|im_start|>assistant\n");
        w.C(content);
      }
      for (size_t c = 0; c < m.tool_calls.size(); ++c) {
        if ((c == 0 && !content.empty()) || c > 0) w.T("\n");
        w.T("<tool_call>\n{\"name\": \"");
        w.C(m.tool_calls[c].name);
        w.T("\", \"arguments\": ");
        w.C(m.tool_calls[c].arguments);
        w.T("}\n</tool_call>");
      }
      w.T("<|im_end|>\n");
    } else if (m.role == "tool") {
      if (i == 0 || messages[static_cast<size_t>(i - 1)].role != "tool") w.T("<|im_start|>user");
      w.T("\n<tool_response>\n");
      w.C(m.content);
      w.T("\n</tool_response>");
      if (i == n - 1 || messages[static_cast<size_t>(i + 1)].role != "tool") w.T("<|im_end|>\n");
    }
  }
  if (options.add_generation_prompt) {
    if (family_ == Family::kQwen3Thinking2507) {
      w.T("<|im_start|>assistant\n<think>\n");
      out.opens_reasoning = true;
    } else {
      w.T("<|im_start|>assistant\n");
      if (options.enable_thinking.has_value() && !*options.enable_thinking) w.T("<think>\n\n</think>\n\n");
    }
  }
  return out;
}

}  // namespace switchyard
