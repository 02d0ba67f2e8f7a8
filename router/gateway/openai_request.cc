#include "router/gateway/openai_request.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "router/gateway/openai_json_fields.h"
#include "router/gateway/openai_messages.h"
#include "router/gateway/openai_response_format.h"
#include "router/gateway/openai_sampling.h"
#include "router/gateway/openai_switchyard_extension.h"
#include "router/gateway/openai_tools.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

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

// n (1 only) and logprobs (false only): OpenAI fields whose other values we cannot honour.
absl::Status CheckUnsupported(const Json& body) {
  if (HasValue(body, "n")) {
    auto n = ReadInteger(body["n"], "n", 1, 1);
    if (!n.ok()) return FieldError("n", "only 1 choice per request is supported");
  }
  if (HasValue(body, "logprobs")) {
    auto b = ReadBool(body["logprobs"], "logprobs");
    if (!b.ok()) return b.status();
    if (*b) return FieldError("logprobs", "not supported");
  }
  return absl::OkStatus();
}

// stream and stream_options.include_usage.
absl::Status ParseStreaming(const Json& body, ChatCompletionRequest* out) {
  if (HasValue(body, "stream")) {
    auto b = ReadBool(body["stream"], "stream");
    if (!b.ok()) return b.status();
    out->stream = *b;
  }
  if (HasValue(body, "stream_options")) {
    const Json& so = body["stream_options"];
    if (!out->stream) return FieldError("stream_options", "only allowed when stream is true");
    if (!so.is_object()) return FieldError("stream_options", "expected an object");
    if (HasValue(so, "include_usage")) {
      auto b = ReadBool(so["include_usage"], "stream_options.include_usage");
      if (!b.ok()) return b.status();
      out->include_usage = *b;
    }
  }
  return absl::OkStatus();
}

// vLLM's chat_template_kwargs; only enable_thinking means something to Qwen3's template here.
absl::Status ParseChatTemplateKwargs(const Json& kw, v1::ChatRequest* chat) {
  if (!kw.is_object()) return FieldError("chat_template_kwargs", "expected an object");
  if (kw.contains("enable_thinking")) {
    auto b = ReadBool(kw["enable_thinking"], "chat_template_kwargs.enable_thinking");
    if (!b.ok()) return b.status();
    chat->set_enable_thinking(*b);
  }
  return absl::OkStatus();
}

// Everything the body says about the conversation and how to answer it, in the order errors are
// reported: messages, tools, tool_choice, response_format, sampling, then the rest.
absl::Status ParseChat(const Json& body, ChatCompletionRequest* out) {
  v1::ChatRequest& chat = out->chat;
  if (!body.contains("messages")) return FieldError("messages", "required");
  if (absl::Status s = ParseMessages(body["messages"], &chat); !s.ok()) return s;
  if (HasValue(body, "tools")) {
    if (absl::Status s = ParseTools(body["tools"], &chat, &out->client_tools); !s.ok()) return s;
  }
  if (HasValue(body, "tool_choice")) {
    if (absl::Status s = ParseToolChoice(body["tool_choice"], chat, chat.mutable_tool_choice()); !s.ok()) return s;
  }
  if (HasValue(body, "response_format")) {
    if (absl::Status s = ParseResponseFormat(body["response_format"], chat.mutable_response_format()); !s.ok()) return s;
  }
  if (absl::Status s = ParseSampling(body, chat.mutable_sampling()); !s.ok()) return s;
  if (absl::Status s = CheckUnsupported(body); !s.ok()) return s;
  if (absl::Status s = ParseStreaming(body, out); !s.ok()) return s;
  if (HasValue(body, "chat_template_kwargs")) {
    if (absl::Status s = ParseChatTemplateKwargs(body["chat_template_kwargs"], &chat); !s.ok()) return s;
  }
  if (HasValue(body, "switchyard")) {
    if (absl::Status s = ParseSwitchyardExtension(body["switchyard"], &chat); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<ChatCompletionRequest> Parse(const Json& body, const ModelCatalog& models) {
  if (!body.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
  ChatCompletionRequest out;
  if (!body.contains("model")) return FieldError("model", "required");
  auto model = ReadString(body["model"], "model");
  if (!model.ok()) return model.status();
  out.model = *model;
  if (absl::Status s = ParseChat(body, &out); !s.ok()) return s;
  // Last: a request that is wrong in itself says so before the model name is looked up.
  auto route = models.Route(out.model);
  if (!route.ok()) return absl::NotFoundError(absl::StrCat("model: ", route.status().message()));
  out.chat.set_route(*route);
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
