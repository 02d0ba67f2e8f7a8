#include "workers/engine/chat/chat_messages.h"

#include "absl/strings/str_cat.h"
#include "workers/engine/chat/py_value.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

absl::Status Bad(absl::string_view source, absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(source, ": ", where, ": ", what));
}

// content: a string, null / absent (""), or text parts joined by "\n" (as vLLM does).
absl::StatusOr<std::string> ReadContent(const JsonObject& m, absl::string_view source, const std::string& where) {
  auto e = m.Find("content");
  if (!e || e->is_null()) return std::string();
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  simdjson::dom::array parts;
  if (e->get_array().get(parts) != simdjson::SUCCESS) {
    return Bad(source, where + ".content", absl::StrCat("expected a string, null or a list of text parts, got ", JsonTypeName(*e)));
  }
  std::string out;
  size_t i = 0;
  for (JsonElement p : parts) {
    std::string_view type, text;
    if (p["type"].get_string().get(type) != simdjson::SUCCESS || type != "text" ||
        p["text"].get_string().get(text) != simdjson::SUCCESS) {
      return Bad(source, absl::StrCat(where, ".content[", i, "]"),
                 "only {\"type\": \"text\", \"text\": \"...\"} parts are supported");
    }
    if (i > 0) out.push_back('\n');
    out.append(text.data(), text.size());
    ++i;
  }
  return out;
}

absl::Status ReadOptionalString(const JsonObject& m, absl::string_view key, std::string* out) {
  if (!m.Has(key)) return absl::OkStatus();
  auto s = m.String(key);
  if (!s.ok()) return s.status();
  *out = std::string(*s);
  return absl::OkStatus();
}

absl::StatusOr<ChatToolCall> ReadToolCall(JsonElement c, absl::string_view source, const std::string& where) {
  simdjson::dom::object co;
  if (c.get_object().get(co) != simdjson::SUCCESS) return Bad(source, where, "expected an object");
  JsonObject call(co, source, where);
  ChatToolCall tc;
  if (absl::Status s = ReadOptionalString(call, "id", &tc.id); !s.ok()) return s;
  // {"type": "function", "function": {...}}, or the function object itself.
  JsonObject fn = call;
  if (call.Has("function")) {
    auto f = call.Object("function");
    if (!f.ok()) return f.status();
    fn = *f;
  }
  auto name = fn.String("name");
  if (!name.ok()) return name.status();
  tc.name = std::string(*name);
  auto args = fn.Find("arguments");
  if (!args || args->is_null()) {
    tc.arguments = "{}";
  } else if (std::string_view s; args->get_string().get(s) == simdjson::SUCCESS) {
    tc.arguments = std::string(s);  // OpenAI's JSON-in-a-string, kept as sent
  } else if (args->is_object()) {
    tc.arguments = PyValue::FromJson(*args).Dumps(JsonStyle::kPython);
  } else {
    return Bad(source, fn.Where("arguments"), absl::StrCat("expected a JSON string or an object, got ", JsonTypeName(*args)));
  }
  return tc;
}

}  // namespace

absl::StatusOr<std::vector<ChatMessage>> ParseChatMessages(absl::string_view json, absl::string_view source) {
  auto doc = JsonDocument::Parse(json, std::string(source));
  if (!doc.ok()) return doc.status();
  simdjson::dom::array list;
  if ((*doc)->root().get_array().get(list) != simdjson::SUCCESS) {
    return Bad(source, "(top level)", "expected a list of messages");
  }
  std::vector<ChatMessage> out;
  size_t index = 0;
  for (JsonElement e : list) {
    const std::string where = absl::StrCat("messages[", index++, "]");
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) return Bad(source, where, "expected an object");
    JsonObject m(obj, source, where);
    ChatMessage msg;
    auto role = m.String("role");
    if (!role.ok()) return role.status();
    if (*role != "system" && *role != "user" && *role != "assistant" && *role != "tool") {
      return Bad(source, where + ".role", absl::StrCat("'", *role, "' (use system, user, assistant or tool)"));
    }
    msg.role = std::string(*role);
    auto content = ReadContent(m, source, where);
    if (!content.ok()) return content.status();
    msg.content = std::move(*content);
    if (m.Has("reasoning_content")) {
      auto r = m.String("reasoning_content");
      if (!r.ok()) return r.status();
      msg.reasoning_content = std::string(*r);
    }
    if (absl::Status s = ReadOptionalString(m, "tool_call_id", &msg.tool_call_id); !s.ok()) return s;
    if (absl::Status s = ReadOptionalString(m, "name", &msg.name); !s.ok()) return s;
    if (m.Has("tool_calls")) {
      auto calls = m.Array("tool_calls");
      if (!calls.ok()) return calls.status();
      size_t ci = 0;
      for (JsonElement c : *calls) {
        auto tc = ReadToolCall(c, source, absl::StrCat(where, ".tool_calls[", ci++, "]"));
        if (!tc.ok()) return tc.status();
        msg.tool_calls.push_back(std::move(*tc));
      }
    }
    out.push_back(std::move(msg));
  }
  return out;
}

absl::StatusOr<std::vector<ChatTool>> ParseChatTools(absl::string_view json, absl::string_view source) {
  auto doc = JsonDocument::Parse(json, std::string(source));
  if (!doc.ok()) return doc.status();
  simdjson::dom::array list;
  if ((*doc)->root().get_array().get(list) != simdjson::SUCCESS) return Bad(source, "(top level)", "expected a list of tools");
  std::vector<ChatTool> out;
  size_t i = 0;
  for (JsonElement e : list) {
    const std::string where = absl::StrCat("tools[", i++, "]");
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) return Bad(source, where, "expected an object");
    JsonObject t(obj, source, where);
    JsonObject fn = t;
    if (t.Has("function")) {
      auto f = t.Object("function");
      if (!f.ok()) return f.status();
      fn = *f;
    }
    auto name = fn.String("name");
    if (!name.ok()) return name.status();
    ChatTool tool;
    tool.name = std::string(*name);
    tool.json = PyValue::FromJson(e).Dumps(JsonStyle::kPython);
    out.push_back(std::move(tool));
  }
  return out;
}

absl::StatusOr<ChatTool> MakeChatTool(absl::string_view name, absl::string_view description,
                                      absl::string_view parameters_schema_json) {
  const absl::string_view schema = parameters_schema_json.empty() ? absl::string_view("{}") : parameters_schema_json;
  auto parameters = PyValue::Parse(schema, absl::StrCat("tool '", name, "' parameters"));
  if (!parameters.ok()) return parameters.status();
  PyValue fn = PyValue::Dict();
  fn.Set("name", PyValue::Str(std::string(name)));
  fn.Set("description", PyValue::Str(std::string(description)));
  fn.Set("parameters", std::move(*parameters));
  PyValue tool = PyValue::Dict();
  tool.Set("type", PyValue::Str("function"));
  tool.Set("function", std::move(fn));
  return ChatTool{tool.Dumps(JsonStyle::kPython), std::string(name)};
}

}  // namespace switchyard
