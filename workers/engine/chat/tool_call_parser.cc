#include "workers/engine/chat/tool_call_parser.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "workers/engine/chat/py_value.h"
#include "simdjson.h"

namespace switchyard {
namespace {

constexpr absl::string_view kFunction = "<function=";
constexpr absl::string_view kEndFunction = "</function>";
constexpr absl::string_view kParameter = "<parameter=";
constexpr absl::string_view kEndParameter = "</parameter>";

absl::string_view TrimSpace(absl::string_view s) { return absl::StripAsciiWhitespace(s); }

ParsedToolCall Fail(std::string why) {
  ParsedToolCall c;
  c.error = std::move(why);
  return c;
}

ParsedToolCall ParseJsonCall(absl::string_view body) {
  auto v = PyValue::Parse(body, "tool call");
  if (!v.ok()) return Fail("the call is not valid JSON");
  if (!v->is_dict()) return Fail("the call is not a JSON object");
  const PyValue* name = v->Get("name");
  if (name == nullptr || !name->is_str() || name->str().empty()) return Fail("the call has no \"name\" string");
  ParsedToolCall c;
  c.name = name->str();
  const PyValue* args = v->Get("arguments");
  if (args == nullptr || args->type() == PyValue::Type::kNone) {
    c.arguments = "{}";
  } else if (args->is_dict()) {
    c.arguments = args->Dumps(JsonStyle::kCompact);
  } else if (args->is_str()) {
    // Some models write the arguments as a JSON string holding the object.
    auto inner = PyValue::Parse(args->str(), "arguments");
    if (!inner.ok() || !inner->is_dict()) return Fail("\"arguments\" is a string that is not a JSON object");
    c.arguments = inner->Dumps(JsonStyle::kCompact);
  } else {
    return Fail("\"arguments\" is not a JSON object");
  }
  c.ok = true;
  return c;
}

bool IsJsonNumber(const PyValue& v) { return v.type() == PyValue::Type::kInt || v.type() == PyValue::Type::kFloat; }

// A parameter's text typed as vLLM's qwen3_coder parser does (see the header).
PyValue TypedValue(const std::string& text, absl::string_view declared) {
  if (absl::AsciiStrToLower(text) == "null") return PyValue();
  const std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(declared));
  auto json = PyValue::Parse(text, "parameter");
  if (type == "string" || type == "str" || type == "text" || type == "varchar" || type == "char" || type == "enum") {
    return PyValue::Str(text);
  }
  if (absl::StartsWith(type, "int") || absl::StartsWith(type, "uint") || absl::StartsWith(type, "long") ||
      absl::StartsWith(type, "short") || absl::StartsWith(type, "unsigned")) {
    return json.ok() && json->type() == PyValue::Type::kInt ? *json : PyValue::Str(text);
  }
  if (absl::StartsWith(type, "num") || absl::StartsWith(type, "float")) {
    if (!json.ok() || !IsJsonNumber(*json)) return PyValue::Str(text);
    const double d = json->number();
    if (json->type() == PyValue::Type::kFloat && std::trunc(d) == d && std::fabs(d) < 9.007199254740992e15) {
      auto as_int = PyValue::Parse(absl::StrCat(static_cast<int64_t>(d)), "parameter");  // 3.0 -> 3, as vLLM does
      if (as_int.ok()) return *as_int;
    }
    return *json;
  }
  if (type == "boolean" || type == "bool" || type == "binary") {
    const std::string lower = absl::AsciiStrToLower(text);
    if (lower == "true" || lower == "false") {
      auto b = PyValue::Parse(lower, "parameter");
      if (b.ok()) return *b;
    }
    return PyValue::Str(text);
  }
  // object, array and unknown or absent types: JSON when it is JSON.
  return json.ok() ? *json : PyValue::Str(text);
}

ParsedToolCall ParseXmlCall(absl::string_view body, const ToolParameterTypes& types) {
  // JSON parsing validates the JSON form; names and values here are copied into JSON strings.
  if (!simdjson::validate_utf8(body.data(), body.size())) return Fail("the call is not valid UTF-8");
  size_t pos = kFunction.size();
  const size_t name_end = body.find('>', pos);
  if (name_end == absl::string_view::npos) return Fail("<function=...> is not closed by '>'");
  const absl::string_view name = TrimSpace(body.substr(pos, name_end - pos));
  if (name.empty() || absl::StrContains(name, '\n')) return Fail("<function=...> has no function name");
  pos = name_end + 1;
  PyValue args = PyValue::Dict();
  for (;;) {
    while (pos < body.size() && absl::ascii_isspace(static_cast<unsigned char>(body[pos]))) ++pos;
    const absl::string_view rest = body.substr(pos);
    if (absl::StartsWith(rest, kEndFunction)) {
      pos += kEndFunction.size();
      break;
    }
    if (!absl::StartsWith(rest, kParameter)) {
      return Fail(rest.empty() ? "the call has no </function>" : "unexpected text inside <function=...>");
    }
    const size_t pname_begin = pos + kParameter.size();
    const size_t pname_end = body.find('>', pname_begin);
    if (pname_end == absl::string_view::npos) return Fail("<parameter=...> is not closed by '>'");
    const absl::string_view pname = TrimSpace(body.substr(pname_begin, pname_end - pname_begin));
    if (pname.empty() || absl::StrContains(pname, '\n')) return Fail("<parameter=...> has no parameter name");
    const size_t value_end = body.find(kEndParameter, pname_end + 1);
    if (value_end == absl::string_view::npos) {
      return Fail(absl::StrCat("parameter '", pname, "' has no </parameter>"));
    }
    absl::string_view value = body.substr(pname_end + 1, value_end - pname_end - 1);
    if (absl::StartsWith(value, "\n")) value.remove_prefix(1);
    if (absl::EndsWith(value, "\n")) value.remove_suffix(1);
    args.Set(std::string(pname), TypedValue(std::string(value), types.Find(name, pname)));
    pos = value_end + kEndParameter.size();
  }
  if (!TrimSpace(body.substr(pos)).empty()) return Fail("text after </function>");
  ParsedToolCall c;
  c.ok = true;
  c.name = std::string(name);
  c.arguments = args.Dumps(JsonStyle::kCompact);
  return c;
}

}  // namespace

ToolParameterTypes ToolParameterTypes::FromTools(const std::vector<ChatTool>& tools) {
  ToolParameterTypes t;
  for (const ChatTool& tool : tools) {
    auto v = PyValue::Parse(tool.json, "tool");
    if (!v.ok() || !v->is_dict()) continue;
    const PyValue* fn = v->Get("function");
    if (fn == nullptr || !fn->is_dict()) fn = &*v;
    const PyValue* params = fn->Get("parameters");
    const PyValue* props = params != nullptr && params->is_dict() ? params->Get("properties") : nullptr;
    if (props == nullptr || !props->is_dict()) continue;
    auto& out = t.types_[tool.name];
    for (size_t i = 0; i < props->keys().size(); ++i) {
      const PyValue& schema = props->items()[i];
      const PyValue* type = schema.is_dict() ? schema.Get("type") : nullptr;
      if (type == nullptr) continue;
      if (type->is_str()) {
        out[props->keys()[i]] = type->str();
      } else if (type->is_list()) {
        for (const PyValue& x : type->items()) {
          if (x.is_str() && x.str() != "null") {
            out[props->keys()[i]] = x.str();
            break;
          }
        }
      }
    }
  }
  return t;
}

absl::string_view ToolParameterTypes::Find(absl::string_view function, absl::string_view parameter) const {
  auto f = types_.find(function);
  if (f == types_.end()) return "";
  auto p = f->second.find(parameter);
  return p == f->second.end() ? absl::string_view() : absl::string_view(p->second);
}

ParsedToolCall ParseToolCall(absl::string_view body, const ToolParameterTypes& types) {
  const absl::string_view t = TrimSpace(body);
  if (t.empty()) return Fail("the call is empty");
  if (absl::StartsWith(t, kFunction)) return ParseXmlCall(t, types);
  if (absl::StartsWith(t, "<")) return Fail("the call is neither a JSON object nor <function=NAME>...</function>");
  return ParseJsonCall(t);
}

}  // namespace switchyard
