#include "workers/engine/chat/qwen3_coder_renderer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "workers/engine/chat/py_text.h"
#include "workers/engine/chat/py_value.h"
#include "workers/engine/chat/tool_call_arguments.h"

namespace switchyard {
namespace {

constexpr absl::string_view kDefaultSystem =
    "<|im_start|>system\nYou are Qwen, a helpful AI assistant that can interact with a computer to solve tasks.";
constexpr absl::string_view kCallFormat =
    "\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n<tool_call>\n"
    "<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n"
    "<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n"
    "</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the specified "
    "format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n"
    "- Required parameters MUST be specified\n- You may provide optional reasoning for your function call in "
    "natural language BEFORE the function call, but NOT after\n- If there is no function call available, answer "
    "the question like normal with your current knowledge and do not tell the user about function calls\n"
    "</IMPORTANT>";

// The render_item_list macro: '\n<tag>[`a`, 1]</tag>' for a non-empty list (a string is
// iterated by characters and a dict by keys, as Jinja iterates them); nothing otherwise.
void WriteItemList(const PyValue* list, absl::string_view tag, PromptWriter& w) {
  if (list == nullptr) return;
  std::vector<PyValue> items;
  switch (list->type()) {
    case PyValue::Type::kList: items = list->items(); break;
    case PyValue::Type::kDict:
      for (const std::string& k : list->keys()) items.push_back(PyValue::Str(k));
      break;
    case PyValue::Type::kStr: {
      const std::string& s = list->str();
      for (size_t i = 0; i < s.size();) {
        size_t n = 1;
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xc0) == 0x80) ++n;
        items.push_back(PyValue::Str(s.substr(i, n)));
        i += n;
      }
      break;
    }
    default: return;  // not iterable
  }
  if (items.empty()) return;
  w.Template(absl::StrCat("\n<", tag, ">["));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) w.Template(", ");
    if (items[i].is_str()) {
      w.Template("`");
      w.Content(items[i].str());
      w.Template("`");
    } else {
      w.Content(items[i].ToStr());
    }
  }
  w.Template(absl::StrCat("]</", tag, ">"));
}

// '\n<key>value</key>' for a key the template has no dedicated line for.
void WriteExtraKey(absl::string_view key, const PyValue& value, PromptWriter& w) {
  const std::string normed = absl::StrReplaceAll(key, {{"-", "_"}, {" ", "_"}, {"$", ""}});
  w.Template("\n<");
  w.Content(normed);
  w.Template(">");
  w.Content(value.is_dict() ? value.Dumps(JsonStyle::kPython) : value.ToStr());
  w.Template("</");
  w.Content(normed);
  w.Template(">");
}

absl::Status WriteTool(const ChatTool& t, size_t index, PromptWriter& w) {
  auto parsed = PyValue::Parse(t.json, absl::StrCat("tools[", index, "]"));
  if (!parsed.ok()) return parsed.status();
  const PyValue* tool = &*parsed;
  if (const PyValue* fn = tool->is_dict() ? tool->Get("function") : nullptr) tool = fn;
  if (!tool->is_dict()) return absl::InvalidArgumentError(absl::StrCat("tools[", index, "]: expected an object"));
  const PyValue* name = tool->Get("name");
  const PyValue* description = tool->Get("description");
  w.Template("\n<function>\n<name>");
  w.Content(name ? name->ToStr() : "");
  w.Template("</name>\n<description>");
  w.Content(description ? PyStripWhitespace(description->ToStr()) : "");
  w.Template("</description>\n<parameters>");
  const PyValue* parameters = tool->Get("parameters");
  if (parameters == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tools[", index, "] (", t.name, "): the Qwen3-Coder template needs \"parameters\" (Jinja2 fails without it)"));
  }
  const PyValue* properties = parameters->is_dict() ? parameters->Get("properties") : nullptr;
  if (properties != nullptr && !properties->is_dict()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tools[", index, "] (", t.name, "): parameters.properties must be an object"));
  }
  for (size_t p = 0; properties != nullptr && p < properties->keys().size(); ++p) {
    const std::string& pname = properties->keys()[p];
    const PyValue& fields = properties->items()[p];
    if (!fields.is_dict()) {
      return absl::InvalidArgumentError(absl::StrCat("tools[", index, "] (", t.name, "): parameters.properties.", pname,
                                                     " must be an object (a JSON Schema)"));
    }
    w.Template("\n<parameter>\n<name>");
    w.Content(pname);
    w.Template("</name>");
    if (const PyValue* type = fields.Get("type")) {
      w.Template("\n<type>");
      w.Content(type->ToStr());
      w.Template("</type>");
    }
    if (const PyValue* d = fields.Get("description")) {
      w.Template("\n<description>");
      w.Content(PyStripWhitespace(d->ToStr()));
      w.Template("</description>");
    }
    WriteItemList(fields.Get("enum"), "enum", w);
    for (size_t k = 0; k < fields.keys().size(); ++k) {
      const std::string& key = fields.keys()[k];
      if (key == "type" || key == "description" || key == "enum" || key == "required") continue;
      WriteExtraKey(key, fields.items()[k], w);
    }
    WriteItemList(fields.Get("required"), "required", w);
    w.Template("\n</parameter>");
  }
  WriteItemList(parameters->is_dict() ? parameters->Get("required") : nullptr, "required", w);
  w.Template("\n</parameters>");
  if (const PyValue* ret = tool->Get("return")) {
    w.Template("\n<return>");
    w.Content(ret->is_dict() ? ret->Dumps(JsonStyle::kPython) : ret->ToStr());
    w.Template("</return>");
  }
  w.Template("\n</function>");
  return absl::OkStatus();
}

absl::Status WriteToolCalls(const ChatMessage& m, size_t index, PromptWriter& w) {
  w.Template("<|im_start|>assistant");
  const absl::string_view trimmed = PyStripWhitespace(m.content);
  if (!trimmed.empty()) {
    w.Template("\n");
    w.Content(trimmed);
    w.Template("\n");
  }
  for (size_t c = 0; c < m.tool_calls.size(); ++c) {
    const ChatToolCall& call = m.tool_calls[c];
    w.Template("\n<tool_call>\n<function=");
    w.Content(call.name);
    w.Template(">\n");
    const std::optional<PyValue> args = ParseToolCallArguments(call.arguments);
    if (!args || !args->is_dict()) {
      return absl::InvalidArgumentError(absl::StrCat("messages[", index, "].tool_calls[", c,
                                                     "].function.arguments: the Qwen3-Coder template needs a JSON "
                                                     "object (Jinja2 fails on anything else)"));
    }
    for (size_t k = 0; k < args->keys().size(); ++k) {
      w.Template("<parameter=");
      w.Content(args->keys()[k]);
      w.Template(">\n");
      w.Content(args->items()[k].ToStr());
      w.Template("\n</parameter>\n");
    }
    w.Template("</function>\n</tool_call>");
  }
  w.Template("<|im_end|>\n");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RenderedPrompt> RenderQwen3Coder(const std::vector<ChatMessage>& messages,
                                                const std::vector<ChatTool>& tools, const RenderOptions& options) {
  if (messages.empty()) return absl::InvalidArgumentError("messages: at least one message is required");
  RenderedPrompt out;
  PromptWriter w(&out);
  const bool has_system = messages[0].role == "system";
  const size_t first = has_system ? 1 : 0;
  if (has_system) {
    w.Template("<|im_start|>system\n");
    w.Content(messages[0].content);
  } else if (!tools.empty()) {
    w.Template(kDefaultSystem);
  }
  if (!tools.empty()) {
    w.Template("\n\nYou have access to the following functions:\n\n<tools>");
    for (size_t i = 0; i < tools.size(); ++i) {
      if (absl::Status s = WriteTool(tools[i], i, w); !s.ok()) return s;
    }
    w.Template("\n</tools>");
    w.Template(kCallFormat);
  }
  if (has_system || !tools.empty()) w.Template("<|im_end|>\n");
  for (size_t i = first; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role == "assistant" && !m.tool_calls.empty()) {
      if (absl::Status s = WriteToolCalls(m, i, w); !s.ok()) return s;
    } else if (m.role == "tool") {
      if (i > first && messages[i - 1].role != "tool") w.Template("<|im_start|>user\n");
      w.Template("<tool_response>\n");
      w.Content(m.content);
      w.Template("\n</tool_response>\n");
      if (i + 1 == messages.size() || messages[i + 1].role != "tool") w.Template("<|im_end|>\n");
    } else {
      w.Template(absl::StrCat("<|im_start|>", m.role, "\n"));
      w.Content(m.content);
      w.Template("<|im_end|>\n");
    }
  }
  if (options.add_generation_prompt) w.Template("<|im_start|>assistant\n");
  return out;
}

}  // namespace switchyard
