#include "router/gateway/openai_messages.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "router/gateway/openai_json_fields.h"
#include "router/gateway/openai_tools.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

// A message's content: a string, null (absent), or an array of text parts.
absl::StatusOr<std::string> Content(const Json& v, absl::string_view path) {
  if (v.is_null()) return std::string();
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return FieldError(path, "expected a string or an array of content parts");
  std::string text;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string part = IndexPath(path, i);
    if (!v[i].is_object()) return FieldError(part, "expected an object");
    if (!v[i].contains("type")) return FieldError(KeyPath(part, "type"), "required");
    auto type = ReadString(v[i]["type"], KeyPath(part, "type"));
    if (!type.ok()) return type.status();
    if (*type != "text") return FieldError(KeyPath(part, "type"), absl::StrCat("'", *type, "' is not supported (text parts only)"));
    if (!v[i].contains("text")) return FieldError(KeyPath(part, "text"), "required");
    auto t = ReadString(v[i]["text"], KeyPath(part, "text"));
    if (!t.ok()) return t.status();
    text += *t;
  }
  return text;
}

// role: the string as written, for messages that name it.
absl::StatusOr<std::string> ParseRole(const Json& v, const std::string& path, v1::ChatMessage* out) {
  if (!v.contains("role")) return FieldError(KeyPath(path, "role"), "required");
  auto role = ReadString(v["role"], KeyPath(path, "role"));
  if (!role.ok()) return role.status();
  if (*role == "system" || *role == "developer") {
    out->set_role(v1::ChatMessage::SYSTEM);
  } else if (*role == "user") {
    out->set_role(v1::ChatMessage::USER);
  } else if (*role == "assistant") {
    out->set_role(v1::ChatMessage::ASSISTANT);
  } else if (*role == "tool") {
    out->set_role(v1::ChatMessage::TOOL);
  } else {
    return FieldError(KeyPath(path, "role"), absl::StrCat("'", *role, "' is not one of system, developer, user, assistant, tool"));
  }
  return role;
}

// What only an assistant message carries: its reasoning and its tool calls.
absl::Status ParseAssistantFields(const Json& v, const std::string& path, v1::ChatMessage* out) {
  // vLLM answers with reasoning_content; some clients send it back as `reasoning`.
  for (const char* key : {"reasoning_content", "reasoning"}) {
    if (!HasValue(v, key)) continue;
    auto r = ReadString(v[key], KeyPath(path, key));
    if (!r.ok()) return r.status();
    out->set_reasoning_content(*r);
    break;
  }
  if (HasValue(v, "tool_calls")) {
    const Json& calls = v["tool_calls"];
    const std::string p = KeyPath(path, "tool_calls");
    if (!calls.is_array()) return FieldError(p, "expected an array");
    for (size_t i = 0; i < calls.size(); ++i) {
      if (absl::Status s = ParseToolCall(calls[i], IndexPath(p, i), out->add_tool_calls()); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ParseMessage(const Json& v, const std::string& path, v1::ChatMessage* out) {
  if (!v.is_object()) return FieldError(path, "expected an object");
  auto role = ParseRole(v, path, out);
  if (!role.ok()) return role.status();
  const bool assistant = out->role() == v1::ChatMessage::ASSISTANT;
  if (!v.contains("content") && !assistant) return FieldError(KeyPath(path, "content"), "required");
  if (v.contains("content")) {
    auto content = Content(v["content"], KeyPath(path, "content"));
    if (!content.ok()) return content.status();
    out->set_content(*std::move(content));
  }
  if (assistant) {
    if (absl::Status s = ParseAssistantFields(v, path, out); !s.ok()) return s;
  } else if (v.contains("tool_calls")) {
    return FieldError(KeyPath(path, "tool_calls"), absl::StrCat("only assistant messages have tool calls, not ", *role));
  }
  if (out->role() == v1::ChatMessage::TOOL) {
    if (!v.contains("tool_call_id")) return FieldError(KeyPath(path, "tool_call_id"), "required (the id of the call this answers)");
    auto id = ReadString(v["tool_call_id"], KeyPath(path, "tool_call_id"));
    if (!id.ok()) return id.status();
    out->set_tool_call_id(*id);
  }
  if (HasValue(v, "name")) {
    auto name = ReadString(v["name"], KeyPath(path, "name"));
    if (!name.ok()) return name.status();
    if (out->role() == v1::ChatMessage::TOOL) out->set_name(*name);  // other roles' names change nothing
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseMessages(const Json& messages, v1::ChatRequest* chat) {
  if (!messages.is_array()) return FieldError("messages", "expected an array");
  if (messages.empty()) return FieldError("messages", "empty (at least one message)");
  for (size_t i = 0; i < messages.size(); ++i) {
    if (absl::Status s = ParseMessage(messages[i], IndexPath("messages", i), chat->add_messages()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace switchyard::gateway
