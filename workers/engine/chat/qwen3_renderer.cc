#include "workers/engine/chat/qwen3_renderer.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "workers/engine/chat/py_text.h"
#include "workers/engine/chat/tool_call_arguments.h"

namespace switchyard {
namespace {

constexpr absl::string_view kToolsIntro =
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
constexpr absl::string_view kToolsOutro =
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\n</tool_call><|im_end|>\n";

// The index of the last real user query (messages|length - 1 when there is none).
int LastQueryIndex(const std::vector<ChatMessage>& messages) {
  const int n = static_cast<int>(messages.size());
  for (int i = n - 1; i >= 0; --i) {
    const ChatMessage& m = messages[static_cast<size_t>(i)];
    if (m.role == "user" &&
        !(absl::StartsWith(m.content, "<tool_response>") && absl::EndsWith(m.content, "</tool_response>"))) {
      return i;
    }
  }
  return n - 1;
}

void WriteToolCall(const ChatToolCall& call, PromptWriter& w) {
  w.Template("<tool_call>\n{\"name\": \"");
  w.Content(call.name);
  w.Template("\", \"arguments\": ");
  const std::optional<PyValue> args = ParseToolCallArguments(call.arguments);
  if (!args) {
    w.Content(call.arguments);  // not JSON: the template prints the string as it is
  } else if (args->is_str()) {
    w.Content(args->str());  // a JSON string is still a string to the template
  } else {
    w.Content(args->Dumps(JsonStyle::kPython));
  }
  w.Template("}\n</tool_call>");
}

void WriteAssistant(const Qwen3Style& style, const ChatMessage& m, bool keeps_reasoning_block, bool is_last,
                    PromptWriter& w) {
  absl::string_view content = m.content;
  absl::string_view reasoning;
  if (m.reasoning_content.has_value()) {
    reasoning = *m.reasoning_content;
  } else if (absl::StrContains(content, "</think>")) {
    reasoning = PyLStrip(PyAfterLast(PyRStrip(PyBeforeFirst(content, "</think>"), '\n'), "<think>"), '\n');
    content = PyLStrip(PyAfterLast(content, "</think>"), '\n');
  }
  const bool think_block =
      keeps_reasoning_block && ((style.last_turn_always_thinks && is_last) || !reasoning.empty());
  if (think_block) {
    w.Template("<|im_start|>assistant\n<think>\n");
    w.Content(PyStrip(reasoning, '\n'));
    w.Template("\n</think>\n\n");
    w.Content(PyLStrip(content, '\n'));
  } else {
    w.Template("<|im_start|>assistant\n");
    w.Content(content);
  }
  for (size_t c = 0; c < m.tool_calls.size(); ++c) {
    if (c > 0 || !content.empty()) w.Template("\n");
    WriteToolCall(m.tool_calls[c], w);
  }
  w.Template("<|im_end|>\n");
}

}  // namespace

absl::StatusOr<RenderedPrompt> RenderQwen3(const Qwen3Style& style, const std::vector<ChatMessage>& messages,
                                           const std::vector<ChatTool>& tools, const RenderOptions& options) {
  if (messages.empty()) return absl::InvalidArgumentError("messages: at least one message is required");
  RenderedPrompt out;
  PromptWriter w(&out);
  const bool first_is_system = messages[0].role == "system";
  if (!tools.empty()) {
    w.Template("<|im_start|>system\n");
    if (first_is_system) {
      w.Content(messages[0].content);
      w.Template("\n\n");
    }
    w.Template(kToolsIntro);
    for (const ChatTool& t : tools) {
      w.Template("\n");
      w.Content(t.json);
    }
    w.Template(kToolsOutro);
  } else if (first_is_system) {
    w.Template("<|im_start|>system\n");
    w.Content(messages[0].content);
    w.Template("<|im_end|>\n");
  }
  const int n = static_cast<int>(messages.size());
  const int last_query_index = LastQueryIndex(messages);
  for (int i = 0; i < n; ++i) {
    const ChatMessage& m = messages[static_cast<size_t>(i)];
    if (m.role == "user" || (m.role == "system" && i != 0)) {
      w.Template(absl::StrCat("<|im_start|>", m.role, "\n"));
      w.Content(m.content);
      w.Template("<|im_end|>\n");
    } else if (m.role == "assistant") {
      WriteAssistant(style, m, i > last_query_index, i == n - 1, w);
    } else if (m.role == "tool") {
      if (i == 0 || messages[static_cast<size_t>(i - 1)].role != "tool") w.Template("<|im_start|>user");
      w.Template("\n<tool_response>\n");
      w.Content(m.content);
      w.Template("\n</tool_response>");
      if (i == n - 1 || messages[static_cast<size_t>(i + 1)].role != "tool") w.Template("<|im_end|>\n");
    }
  }
  if (options.add_generation_prompt) {
    switch (style.generation) {
      case Qwen3Style::Generation::kAlwaysThink:
        w.Template("<|im_start|>assistant\n<think>\n");
        out.opens_reasoning = true;
        break;
      case Qwen3Style::Generation::kThinkingSwitch:
        w.Template("<|im_start|>assistant\n");
        if (options.enable_thinking.has_value() && !*options.enable_thinking) w.Template("<think>\n\n</think>\n\n");
        break;
      case Qwen3Style::Generation::kPlain:
        w.Template("<|im_start|>assistant\n");
        break;
    }
  }
  return out;
}

}  // namespace switchyard
