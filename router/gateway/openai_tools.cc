#include "router/gateway/openai_tools.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "router/gateway/openai_json_fields.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

// The `{"type": "function", "function": {"name": ...}}` envelope that tool calls and tools share:
// the function object and its name, with errors naming the field.
struct FunctionEnvelope {
  const Json* function;
  std::string name;
};
absl::StatusOr<FunctionEnvelope> ParseFunctionEnvelope(const Json& v, const std::string& path) {
  if (v.contains("type")) {
    auto type = ReadString(v["type"], KeyPath(path, "type"));
    if (!type.ok()) return type.status();
    if (*type != "function") return FieldError(KeyPath(path, "type"), absl::StrCat("'", *type, "' is not supported (expected function)"));
  }
  const std::string fn = KeyPath(path, "function");
  if (!v.contains("function")) return FieldError(fn, "required");
  const Json& f = v["function"];
  if (!f.is_object()) return FieldError(fn, "expected an object");
  if (!f.contains("name")) return FieldError(KeyPath(fn, "name"), "required");
  auto name = ReadString(f["name"], KeyPath(fn, "name"));
  if (!name.ok()) return name.status();
  return FunctionEnvelope{&f, *std::move(name)};
}

bool IsToolName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

absl::Status ParseTool(const Json& v, const std::string& path, v1::Tool* out) {
  if (!v.is_object()) return FieldError(path, "expected an object");
  const std::string fn = KeyPath(path, "function");
  auto envelope = ParseFunctionEnvelope(v, path);
  if (!envelope.ok()) return envelope.status();
  const Json& f = *envelope->function;
  const std::string* name = &envelope->name;
  if (!IsToolName(*name)) return FieldError(KeyPath(fn, "name"), absl::StrCat("'", *name, "' is not 1-64 letters, digits, _ or -"));
  out->set_name(*name);
  if (HasValue(f, "description")) {
    auto d = ReadString(f["description"], KeyPath(fn, "description"));
    if (!d.ok()) return d.status();
    out->set_description(*d);
  }
  if (HasValue(f, "parameters")) {
    if (!f["parameters"].is_object()) return FieldError(KeyPath(fn, "parameters"), "expected a JSON Schema object");
    out->set_parameters_json_schema(f["parameters"].dump());
  } else {
    out->set_parameters_json_schema(R"({"type":"object","properties":{}})");  // OpenAI: no parameters
  }
  return absl::OkStatus();
}

// {"type": "function", "function": {"name": ...}}: the name must be one of chat.tools.
absl::Status ParseNamedToolChoice(const Json& v, const v1::ChatRequest& chat, v1::ToolChoice* out) {
  if (!v.contains("type")) return FieldError("tool_choice.type", "required");
  auto type = ReadString(v["type"], "tool_choice.type");
  if (!type.ok()) return type.status();
  if (*type != "function") return FieldError("tool_choice.type", absl::StrCat("'", *type, "' is not supported (expected function)"));
  if (!v.contains("function") || !v["function"].is_object()) return FieldError("tool_choice.function", "expected an object with a name");
  if (!v["function"].contains("name")) return FieldError("tool_choice.function.name", "required");
  auto name = ReadString(v["function"]["name"], "tool_choice.function.name");
  if (!name.ok()) return name.status();
  bool known = false;
  for (const v1::Tool& t : chat.tools()) known = known || t.name() == *name;
  if (!known) return FieldError("tool_choice.function.name", absl::StrCat("no tool named '", *name, "' in tools"));
  out->set_mode(v1::ToolChoice::FUNCTION);
  out->set_function_name(*name);
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseTools(const Json& tools, v1::ChatRequest* chat, std::vector<std::string>* client_tools) {
  if (!tools.is_array()) return FieldError("tools", "expected an array");
  std::set<std::string> seen;
  for (size_t i = 0; i < tools.size(); ++i) {
    v1::Tool* t = chat->add_tools();
    if (absl::Status s = ParseTool(tools[i], IndexPath("tools", i), t); !s.ok()) return s;
    if (!seen.insert(t->name()).second) {
      return FieldError(KeyPath(IndexPath("tools", i), "function.name"), absl::StrCat("'", t->name(), "' is declared twice"));
    }
    client_tools->push_back(t->name());
  }
  return absl::OkStatus();
}

absl::Status ParseToolChoice(const Json& v, const v1::ChatRequest& chat, v1::ToolChoice* out) {
  if (v.is_string()) {
    const std::string mode = v.get<std::string>();
    if (mode == "auto") {
      out->set_mode(v1::ToolChoice::AUTO);
    } else if (mode == "none") {
      out->set_mode(v1::ToolChoice::NONE);
    } else if (mode == "required") {
      out->set_mode(v1::ToolChoice::REQUIRED);
    } else {
      return FieldError("tool_choice", absl::StrCat("'", mode, "' is not one of auto, none, required or a function object"));
    }
  } else if (v.is_object()) {
    if (absl::Status s = ParseNamedToolChoice(v, chat, out); !s.ok()) return s;
  } else {
    return FieldError("tool_choice", "expected a string or an object");
  }
  if (out->mode() == v1::ToolChoice::REQUIRED && chat.tools().empty()) {
    return FieldError("tool_choice", "'required' needs at least one tool in tools");
  }
  return absl::OkStatus();
}

absl::Status ParseToolCall(const Json& v, const std::string& path, v1::ToolCall* out) {
  if (!v.is_object()) return FieldError(path, "expected an object");
  if (!v.contains("id")) return FieldError(KeyPath(path, "id"), "required");
  auto id = ReadString(v["id"], KeyPath(path, "id"));
  if (!id.ok()) return id.status();
  const std::string fn = KeyPath(path, "function");
  auto envelope = ParseFunctionEnvelope(v, path);
  if (!envelope.ok()) return envelope.status();
  const Json& f = *envelope->function;
  const std::string* name = &envelope->name;
  if (name->empty()) return FieldError(KeyPath(fn, "name"), "empty");
  if (!f.contains("arguments")) return FieldError(KeyPath(fn, "arguments"), "required");
  auto args = ReadString(f["arguments"], KeyPath(fn, "arguments"));
  if (!args.ok()) return args.status();
  const Json parsed = Json::parse(*args, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return FieldError(KeyPath(fn, "arguments"), "not a JSON object (arguments are a JSON object as text)");
  out->set_id(*id);
  out->set_name(*name);
  out->set_arguments_json(*args);
  return absl::OkStatus();
}

}  // namespace switchyard::gateway
