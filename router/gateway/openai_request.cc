#include "router/gateway/openai_request.h"

#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

std::string Index(absl::string_view path, size_t i) { return absl::StrCat(path, "[", i, "]"); }
std::string Dot(absl::string_view path, absl::string_view key) { return absl::StrCat(path, ".", key); }

// The deepest nesting of arrays and objects, counted without parsing (strings skipped).
int NestingDepth(absl::string_view s) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

absl::StatusOr<std::string> String(const Json& v, absl::string_view path) {
  if (!v.is_string()) return Bad(path, "expected a string");
  return v.get<std::string>();
}

absl::StatusOr<bool> Bool(const Json& v, absl::string_view path) {
  if (!v.is_boolean()) return Bad(path, "expected true or false");
  return v.get<bool>();
}

absl::StatusOr<double> Number(const Json& v, absl::string_view path, double lo, double hi) {
  if (!v.is_number()) return Bad(path, "expected a number");
  const double d = v.get<double>();
  if (!(d >= lo && d <= hi)) return Bad(path, absl::StrCat(v.dump(), " is outside [", lo, ", ", hi, "]"));
  return d;
}

absl::StatusOr<int64_t> Integer(const Json& v, absl::string_view path, int64_t lo, int64_t hi) {
  if (!v.is_number_integer()) return Bad(path, "expected an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) {
    return Bad(path, absl::StrCat(v.dump(), " is outside [", lo, ", ", hi, "]"));
  }
  const int64_t i = v.get<int64_t>();
  if (i < lo || i > hi) return Bad(path, absl::StrCat(i, " is outside [", lo, ", ", hi, "]"));
  return i;
}

// A message's content: a string, null (absent), or an array of text parts.
absl::StatusOr<std::string> Content(const Json& v, absl::string_view path) {
  if (v.is_null()) return std::string();
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return Bad(path, "expected a string or an array of content parts");
  std::string text;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string part = Index(path, i);
    if (!v[i].is_object()) return Bad(part, "expected an object");
    if (!v[i].contains("type")) return Bad(Dot(part, "type"), "required");
    auto type = String(v[i]["type"], Dot(part, "type"));
    if (!type.ok()) return type.status();
    if (*type != "text") return Bad(Dot(part, "type"), absl::StrCat("'", *type, "' is not supported (text parts only)"));
    if (!v[i].contains("text")) return Bad(Dot(part, "text"), "required");
    auto t = String(v[i]["text"], Dot(part, "text"));
    if (!t.ok()) return t.status();
    text += *t;
  }
  return text;
}

// The `{"type": "function", "function": {"name": ...}}` envelope that tool calls and tools share:
// the function object and its name, with errors naming the field.
struct FunctionEnvelope {
  const Json* function;
  std::string name;
};
absl::StatusOr<FunctionEnvelope> ParseFunctionEnvelope(const Json& v, const std::string& path) {
  if (v.contains("type")) {
    auto type = String(v["type"], Dot(path, "type"));
    if (!type.ok()) return type.status();
    if (*type != "function") return Bad(Dot(path, "type"), absl::StrCat("'", *type, "' is not supported (expected function)"));
  }
  const std::string fn = Dot(path, "function");
  if (!v.contains("function")) return Bad(fn, "required");
  const Json& f = v["function"];
  if (!f.is_object()) return Bad(fn, "expected an object");
  if (!f.contains("name")) return Bad(Dot(fn, "name"), "required");
  auto name = String(f["name"], Dot(fn, "name"));
  if (!name.ok()) return name.status();
  return FunctionEnvelope{&f, *std::move(name)};
}

absl::Status ParseToolCall(const Json& v, const std::string& path, v1::ToolCall* out) {
  if (!v.is_object()) return Bad(path, "expected an object");
  if (!v.contains("id")) return Bad(Dot(path, "id"), "required");
  auto id = String(v["id"], Dot(path, "id"));
  if (!id.ok()) return id.status();
  const std::string fn = Dot(path, "function");
  auto envelope = ParseFunctionEnvelope(v, path);
  if (!envelope.ok()) return envelope.status();
  const Json& f = *envelope->function;
  const std::string* name = &envelope->name;
  if (name->empty()) return Bad(Dot(fn, "name"), "empty");
  if (!f.contains("arguments")) return Bad(Dot(fn, "arguments"), "required");
  auto args = String(f["arguments"], Dot(fn, "arguments"));
  if (!args.ok()) return args.status();
  const Json parsed = Json::parse(*args, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return Bad(Dot(fn, "arguments"), "not a JSON object (arguments are a JSON object as text)");
  out->set_id(*id);
  out->set_name(*name);
  out->set_arguments_json(*args);
  return absl::OkStatus();
}

absl::Status ParseMessage(const Json& v, const std::string& path, v1::ChatMessage* out) {
  if (!v.is_object()) return Bad(path, "expected an object");
  if (!v.contains("role")) return Bad(Dot(path, "role"), "required");
  auto role = String(v["role"], Dot(path, "role"));
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
    return Bad(Dot(path, "role"), absl::StrCat("'", *role, "' is not one of system, developer, user, assistant, tool"));
  }
  const bool assistant = out->role() == v1::ChatMessage::ASSISTANT;
  if (!v.contains("content") && !assistant) return Bad(Dot(path, "content"), "required");
  if (v.contains("content")) {
    auto content = Content(v["content"], Dot(path, "content"));
    if (!content.ok()) return content.status();
    out->set_content(*std::move(content));
  }
  if (assistant) {
    // vLLM answers with reasoning_content; some clients send it back as `reasoning`.
    for (const char* key : {"reasoning_content", "reasoning"}) {
      if (!v.contains(key) || v[key].is_null()) continue;
      auto r = String(v[key], Dot(path, key));
      if (!r.ok()) return r.status();
      out->set_reasoning_content(*r);
      break;
    }
    if (v.contains("tool_calls") && !v["tool_calls"].is_null()) {
      const Json& calls = v["tool_calls"];
      const std::string p = Dot(path, "tool_calls");
      if (!calls.is_array()) return Bad(p, "expected an array");
      for (size_t i = 0; i < calls.size(); ++i) {
        if (absl::Status s = ParseToolCall(calls[i], Index(p, i), out->add_tool_calls()); !s.ok()) return s;
      }
    }
  } else if (v.contains("tool_calls")) {
    return Bad(Dot(path, "tool_calls"), absl::StrCat("only assistant messages have tool calls, not ", *role));
  }
  if (out->role() == v1::ChatMessage::TOOL) {
    if (!v.contains("tool_call_id")) return Bad(Dot(path, "tool_call_id"), "required (the id of the call this answers)");
    auto id = String(v["tool_call_id"], Dot(path, "tool_call_id"));
    if (!id.ok()) return id.status();
    out->set_tool_call_id(*id);
  }
  if (v.contains("name") && !v["name"].is_null()) {
    auto name = String(v["name"], Dot(path, "name"));
    if (!name.ok()) return name.status();
    if (out->role() == v1::ChatMessage::TOOL) out->set_name(*name);  // other roles' names change nothing
  }
  return absl::OkStatus();
}

bool IsToolName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

absl::Status ParseTool(const Json& v, const std::string& path, v1::Tool* out) {
  if (!v.is_object()) return Bad(path, "expected an object");
  const std::string fn = Dot(path, "function");
  auto envelope = ParseFunctionEnvelope(v, path);
  if (!envelope.ok()) return envelope.status();
  const Json& f = *envelope->function;
  const std::string* name = &envelope->name;
  if (!IsToolName(*name)) return Bad(Dot(fn, "name"), absl::StrCat("'", *name, "' is not 1-64 letters, digits, _ or -"));
  out->set_name(*name);
  if (f.contains("description") && !f["description"].is_null()) {
    auto d = String(f["description"], Dot(fn, "description"));
    if (!d.ok()) return d.status();
    out->set_description(*d);
  }
  if (f.contains("parameters") && !f["parameters"].is_null()) {
    if (!f["parameters"].is_object()) return Bad(Dot(fn, "parameters"), "expected a JSON Schema object");
    out->set_parameters_json_schema(f["parameters"].dump());
  } else {
    out->set_parameters_json_schema(R"({"type":"object","properties":{}})");  // OpenAI: no parameters
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
      return Bad("tool_choice", absl::StrCat("'", mode, "' is not one of auto, none, required or a function object"));
    }
  } else if (v.is_object()) {
    if (!v.contains("type")) return Bad("tool_choice.type", "required");
    auto type = String(v["type"], "tool_choice.type");
    if (!type.ok()) return type.status();
    if (*type != "function") return Bad("tool_choice.type", absl::StrCat("'", *type, "' is not supported (expected function)"));
    if (!v.contains("function") || !v["function"].is_object()) return Bad("tool_choice.function", "expected an object with a name");
    if (!v["function"].contains("name")) return Bad("tool_choice.function.name", "required");
    auto name = String(v["function"]["name"], "tool_choice.function.name");
    if (!name.ok()) return name.status();
    bool known = false;
    for (const v1::Tool& t : chat.tools()) known = known || t.name() == *name;
    if (!known) return Bad("tool_choice.function.name", absl::StrCat("no tool named '", *name, "' in tools"));
    out->set_mode(v1::ToolChoice::FUNCTION);
    out->set_function_name(*name);
  } else {
    return Bad("tool_choice", "expected a string or an object");
  }
  if (out->mode() == v1::ToolChoice::REQUIRED && chat.tools().empty()) {
    return Bad("tool_choice", "'required' needs at least one tool in tools");
  }
  return absl::OkStatus();
}

absl::Status ParseResponseFormat(const Json& v, v1::ResponseFormat* out) {
  if (!v.is_object()) return Bad("response_format", "expected an object");
  if (!v.contains("type")) return Bad("response_format.type", "required");
  auto type = String(v["type"], "response_format.type");
  if (!type.ok()) return type.status();
  if (*type == "text") {
    out->set_type(v1::ResponseFormat::TEXT);
  } else if (*type == "json_object") {
    out->set_type(v1::ResponseFormat::JSON_OBJECT);
  } else if (*type == "json_schema") {
    out->set_type(v1::ResponseFormat::JSON_SCHEMA);
    if (!v.contains("json_schema")) return Bad("response_format.json_schema", "required");
    const Json& js = v["json_schema"];
    if (!js.is_object()) return Bad("response_format.json_schema", "expected an object");
    if (!js.contains("name")) return Bad("response_format.json_schema.name", "required");
    auto name = String(js["name"], "response_format.json_schema.name");
    if (!name.ok()) return name.status();
    out->set_name(*name);
    if (!js.contains("schema")) return Bad("response_format.json_schema.schema", "required");
    if (!js["schema"].is_object()) return Bad("response_format.json_schema.schema", "expected a JSON Schema object");
    out->set_json_schema(js["schema"].dump());
  } else {
    return Bad("response_format.type", absl::StrCat("'", *type, "' is not one of text, json_object, json_schema"));
  }
  return absl::OkStatus();
}

absl::Status ParseSampling(const Json& body, v1::SamplingParams* s) {
  struct Real {
    const char* key;
    double lo, hi;
    void (v1::SamplingParams::*set)(float);
  };
  const Real reals[] = {{"temperature", 0, 2, &v1::SamplingParams::set_temperature},
                        {"top_p", 0, 1, &v1::SamplingParams::set_top_p},
                        {"presence_penalty", -2, 2, &v1::SamplingParams::set_presence_penalty},
                        {"frequency_penalty", -2, 2, &v1::SamplingParams::set_frequency_penalty},
                        {"min_p", 0, 1, &v1::SamplingParams::set_min_p},
                        {"repetition_penalty", 0, 10, &v1::SamplingParams::set_repetition_penalty}};
  for (const Real& r : reals) {
    if (!body.contains(r.key) || body[r.key].is_null()) continue;
    auto v = Number(body[r.key], r.key, r.lo, r.hi);
    if (!v.ok()) return v.status();
    (s->*r.set)(static_cast<float>(*v));
  }
  if (body.contains("top_k") && !body["top_k"].is_null()) {
    auto v = Integer(body["top_k"], "top_k", -1, std::numeric_limits<int32_t>::max());
    if (!v.ok()) return v.status();
    s->set_top_k(static_cast<int32_t>(*v));
  }
  // max_completion_tokens is OpenAI's current name; max_tokens the deprecated one.
  for (const char* key : {"max_tokens", "max_completion_tokens"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    auto v = Integer(body[key], key, 1, std::numeric_limits<int32_t>::max());
    if (!v.ok()) return v.status();
    s->set_max_tokens(static_cast<int32_t>(*v));
  }
  if (body.contains("seed") && !body["seed"].is_null()) {
    const Json& v = body["seed"];
    if (!v.is_number_integer()) return Bad("seed", "expected an integer");
    s->set_seed(v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>()));
  }
  if (body.contains("stop") && !body["stop"].is_null()) {
    const Json& v = body["stop"];
    if (v.is_string()) {
      if (v.get<std::string>().empty()) return Bad("stop", "empty");
      s->add_stop(v.get<std::string>());
    } else if (v.is_array()) {
      constexpr size_t kMaxStops = 16;
      if (v.size() > kMaxStops) return Bad("stop", absl::StrCat(v.size(), " stop strings; at most ", kMaxStops));
      for (size_t i = 0; i < v.size(); ++i) {
        auto stop = String(v[i], Index("stop", i));
        if (!stop.ok()) return stop.status();
        if (stop->empty()) return Bad(Index("stop", i), "empty");
        s->add_stop(*stop);
      }
    } else {
      return Bad("stop", "expected a string or an array of strings");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseExtension(const Json& v, v1::ChatRequest* chat) {
  if (!v.is_object()) return Bad("switchyard", "expected an object");
  for (const auto& [key, value] : v.items()) {
    if (key != "router_tools" && key != "documents" && key != "limits" && key != "enable_thinking") {
      return Bad(Dot("switchyard", key), "unknown key (expected one of: documents, enable_thinking, limits, router_tools)");
    }
  }
  if (v.contains("router_tools")) {
    const Json& tools = v["router_tools"];
    if (!tools.is_array()) return Bad("switchyard.router_tools", "expected an array of tool names");
    for (size_t i = 0; i < tools.size(); ++i) {
      auto name = String(tools[i], Index("switchyard.router_tools", i));
      if (!name.ok()) return name.status();
      chat->add_router_tools(*name);
    }
  }
  if (v.contains("documents")) {
    const Json& docs = v["documents"];
    if (!docs.is_array()) return Bad("switchyard.documents", "expected an array of {name, text}");
    for (size_t i = 0; i < docs.size(); ++i) {
      const std::string p = Index("switchyard.documents", i);
      if (!docs[i].is_object()) return Bad(p, "expected an object");
      v1::Document* d = chat->add_documents();
      for (const char* key : {"name", "text"}) {
        if (!docs[i].contains(key)) return Bad(Dot(p, key), "required");
        auto s = String(docs[i][key], Dot(p, key));
        if (!s.ok()) return s.status();
        std::string(key) == "name" ? d->set_name(*s) : d->set_text(*s);
      }
    }
  }
  if (v.contains("limits")) {
    const Json& l = v["limits"];
    if (!l.is_object()) return Bad("switchyard.limits", "expected an object");
    v1::RunLimits* limits = chat->mutable_limits();
    for (const auto& [key, value] : l.items()) {
      const std::string p = Dot("switchyard.limits", key);
      if (key == "max_tokens") {
        auto n = Integer(value, p, 1, std::numeric_limits<int64_t>::max());
        if (!n.ok()) return n.status();
        limits->set_max_tokens(*n);
        continue;
      }
      void (v1::RunLimits::*set)(int32_t) = nullptr;
      if (key == "max_steps") set = &v1::RunLimits::set_max_steps;
      if (key == "max_seconds") set = &v1::RunLimits::set_max_seconds;
      if (key == "max_identical_calls") set = &v1::RunLimits::set_max_identical_calls;
      if (set == nullptr) {
        return Bad(p, "unknown key (expected one of: max_identical_calls, max_seconds, max_steps, max_tokens)");
      }
      auto n = Integer(value, p, 1, std::numeric_limits<int32_t>::max());
      if (!n.ok()) return n.status();
      (limits->*set)(static_cast<int32_t>(*n));
    }
  }
  if (v.contains("enable_thinking")) {
    auto b = Bool(v["enable_thinking"], "switchyard.enable_thinking");
    if (!b.ok()) return b.status();
    chat->set_enable_thinking(*b);
  }
  return absl::OkStatus();
}

absl::StatusOr<ChatCompletionRequest> Parse(const Json& body, const ModelCatalog& models) {
  if (!body.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
  ChatCompletionRequest out;
  v1::ChatRequest& chat = out.chat;

  if (!body.contains("model")) return Bad("model", "required");
  auto model = String(body["model"], "model");
  if (!model.ok()) return model.status();
  out.model = *model;

  if (!body.contains("messages")) return Bad("messages", "required");
  const Json& messages = body["messages"];
  if (!messages.is_array()) return Bad("messages", "expected an array");
  if (messages.empty()) return Bad("messages", "empty (at least one message)");
  for (size_t i = 0; i < messages.size(); ++i) {
    if (absl::Status s = ParseMessage(messages[i], Index("messages", i), chat.add_messages()); !s.ok()) return s;
  }

  if (body.contains("tools") && !body["tools"].is_null()) {
    const Json& tools = body["tools"];
    if (!tools.is_array()) return Bad("tools", "expected an array");
    std::set<std::string> seen;
    for (size_t i = 0; i < tools.size(); ++i) {
      v1::Tool* t = chat.add_tools();
      if (absl::Status s = ParseTool(tools[i], Index("tools", i), t); !s.ok()) return s;
      if (!seen.insert(t->name()).second) {
        return Bad(Dot(Index("tools", i), "function.name"), absl::StrCat("'", t->name(), "' is declared twice"));
      }
      out.client_tools.push_back(t->name());
    }
  }
  if (body.contains("tool_choice") && !body["tool_choice"].is_null()) {
    if (absl::Status s = ParseToolChoice(body["tool_choice"], chat, chat.mutable_tool_choice()); !s.ok()) return s;
  }
  if (body.contains("response_format") && !body["response_format"].is_null()) {
    if (absl::Status s = ParseResponseFormat(body["response_format"], chat.mutable_response_format()); !s.ok()) return s;
  }
  if (absl::Status s = ParseSampling(body, chat.mutable_sampling()); !s.ok()) return s;

  if (body.contains("n") && !body["n"].is_null()) {
    auto n = Integer(body["n"], "n", 1, 1);
    if (!n.ok()) return Bad("n", "only 1 choice per request is supported");
  }
  if (body.contains("logprobs") && !body["logprobs"].is_null()) {
    auto b = Bool(body["logprobs"], "logprobs");
    if (!b.ok()) return b.status();
    if (*b) return Bad("logprobs", "not supported");
  }
  if (body.contains("stream") && !body["stream"].is_null()) {
    auto b = Bool(body["stream"], "stream");
    if (!b.ok()) return b.status();
    out.stream = *b;
  }
  if (body.contains("stream_options") && !body["stream_options"].is_null()) {
    const Json& so = body["stream_options"];
    if (!out.stream) return Bad("stream_options", "only allowed when stream is true");
    if (!so.is_object()) return Bad("stream_options", "expected an object");
    if (so.contains("include_usage") && !so["include_usage"].is_null()) {
      auto b = Bool(so["include_usage"], "stream_options.include_usage");
      if (!b.ok()) return b.status();
      out.include_usage = *b;
    }
  }
  if (body.contains("chat_template_kwargs") && !body["chat_template_kwargs"].is_null()) {
    const Json& kw = body["chat_template_kwargs"];
    if (!kw.is_object()) return Bad("chat_template_kwargs", "expected an object");
    if (kw.contains("enable_thinking")) {
      auto b = Bool(kw["enable_thinking"], "chat_template_kwargs.enable_thinking");
      if (!b.ok()) return b.status();
      chat.set_enable_thinking(*b);
    }
  }
  if (body.contains("switchyard") && !body["switchyard"].is_null()) {
    if (absl::Status s = ParseExtension(body["switchyard"], &chat); !s.ok()) return s;
  }
  // Last: a request that is wrong in itself says so before the model name is looked up.
  auto route = models.Route(out.model);
  if (!route.ok()) return absl::NotFoundError(absl::StrCat("model: ", route.status().message()));
  chat.set_route(*route);
  return out;
}

}  // namespace

absl::StatusOr<ChatCompletionRequest> ParseChatCompletionRequest(absl::string_view body, const ModelCatalog& models) {
  if (NestingDepth(body) > kMaxJsonDepth) {
    return absl::InvalidArgumentError(absl::StrCat("the body nests arrays and objects deeper than ", kMaxJsonDepth, " levels"));
  }
  // nlohmann-json reports errors by throwing: they stay in this function.
  try {
    const Json parsed = Json::parse(body.begin(), body.end());
    return Parse(parsed, models);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> from "parse error".
    if (const size_t at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    return absl::InvalidArgumentError(absl::StrCat("the body is not valid JSON: ", what));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("the body could not be read: ", e.what()));
  }
}

}  // namespace switchyard::gateway
