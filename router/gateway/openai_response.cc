#include "router/gateway/openai_response.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::ordered_json;

// Four decimals: floats printed as doubles would show their binary noise (0.8999999761).
double Rounded(float x) { return std::round(static_cast<double>(x) * 1e4) / 1e4; }

// A trace message in proto3's JSON mapping, with the .proto's snake_case names.
Json ProtoJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(m, &text, options).ok()) return Json::object();
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

Json CallJson(const v1::ToolCall& c, int index, bool with_index) {
  Json j;
  if (with_index) j["index"] = index;
  j["id"] = c.id();
  j["type"] = "function";
  j["function"] = {{"name", c.name()}, {"arguments", c.arguments_json()}};
  return j;
}

// Always with prompt_tokens_details.cached_tokens, as OpenAI sends it (0 when nothing came from
// the workers' prefix caches, or a worker has none).
Json UsageJson(const v1::Usage& u) {
  Json j;
  j["prompt_tokens"] = u.prompt_tokens();
  j["completion_tokens"] = u.completion_tokens();
  j["total_tokens"] = u.prompt_tokens() + u.completion_tokens();
  j["prompt_tokens_details"] = {{"cached_tokens", u.cached_prompt_tokens()}};
  return j;
}

Json FinishExtension(const v1::Finish& f) {
  Json j;
  j["reason"] = "run_limit";
  j["detail"] = f.detail();
  return j;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string Event(const Json& j) { return absl::StrCat("data: ", Dump(j), "\n\n"); }

}  // namespace

std::string RouteHeaderValue(const v1::RouteDecision& route) {
  return absl::StrFormat("role=%s; replica=%s; confidence=%.2f", route.role(), route.replica(), route.confidence());
}

const char* OpenAiFinishReason(v1::FinishReason reason) {
  switch (reason) {
    case v1::LENGTH: return "length";
    case v1::TOOL_CALLS: return "tool_calls";
    default: return "stop";
  }
}

ResponseBase::ResponseBase(const ChatCompletionRequest& request, int64_t created)
    : model_(request.model),
      created_(created),
      client_tools_(request.client_tools.begin(), request.client_tools.end()),
      router_tools_(!request.chat.router_tools().empty()) {}

Json ResponseBase::Head(const char* object) const {
  Json j;
  j["id"] = absl::StrCat("chatcmpl-", trace_id_);
  j["object"] = object;
  j["created"] = created_;
  j["model"] = model_;
  return j;
}

Json ResponseBase::RouteJson() const {
  Json r;
  r["role"] = route_.role();
  r["replica"] = route_.replica();
  r["label"] = route_.label();
  r["confidence"] = Rounded(route_.confidence());
  r["pinned"] = route_.pinned();
  Json features = Json::array();
  for (const v1::Feature& f : route_.features()) features.push_back({{"name", f.name()}, {"weight", Rounded(f.weight())}});
  r["features"] = std::move(features);
  return r;
}

// The chat reactor's own rule: without router tools every call is the client's; with them,
// only calls of tools the client declared are (the rest the router ran).
bool ResponseBase::IsClientCall(const v1::ToolCall& call) const {
  return !router_tools_ || client_tools_.count(call.name()) > 0;
}

void ResponseBase::NoteRoute(const v1::ChatEvent& e) {
  if (!e.trace_id().empty() && trace_id_.empty()) trace_id_ = e.trace_id();
  if (e.has_route()) {
    route_ = e.route();
    has_route_ = true;
  }
}

void CompletionBuilder::Add(const v1::ChatEvent& e) {
  NoteRoute(e);
  switch (e.event_case()) {
    case v1::ChatEvent::kTextDelta: content_ += e.text_delta(); break;
    case v1::ChatEvent::kReasoningDelta: reasoning_ += e.reasoning_delta(); break;
    case v1::ChatEvent::kToolCall:
      // The router's calls are in the trace; only the client's are the answer's.
      if (IsClientCall(e.tool_call())) calls_.push_back(e.tool_call());
      break;
    case v1::ChatEvent::kToolCallError: tool_call_errors_.push_back(ProtoJson(e.tool_call_error())); break;
    case v1::ChatEvent::kTrace: trace_ = ProtoJson(e.trace()); break;
    case v1::ChatEvent::kFinish:
      finish_ = e.finish();
      finished_ = true;
      break;
    default: break;  // the route (kept above), steps and tool results (in the trace)
  }
}

std::string CompletionBuilder::Body() const {
  Json message;
  message["role"] = "assistant";
  message["content"] = content_.empty() && !calls_.empty() ? Json(nullptr) : Json(content_);
  if (!reasoning_.empty()) message["reasoning_content"] = reasoning_;
  if (!calls_.empty()) {
    Json calls = Json::array();
    for (const v1::ToolCall& c : calls_) calls.push_back(CallJson(c, 0, false));
    message["tool_calls"] = std::move(calls);
  }
  Json choice;
  choice["index"] = 0;
  choice["message"] = std::move(message);
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = OpenAiFinishReason(finish_.reason());
  Json body = Head("chat.completion");
  body["choices"] = Json::array({std::move(choice)});
  body["usage"] = UsageJson(finish_.usage());
  Json ext;
  ext["trace_id"] = trace_id_;
  if (has_route_) ext["route"] = RouteJson();
  if (finished_ && finish_.reason() == v1::RUN_LIMIT) ext["finish"] = FinishExtension(finish_);
  if (!tool_call_errors_.empty()) ext["tool_call_errors"] = tool_call_errors_;
  if (!trace_.is_null()) ext["trace"] = trace_;
  body["switchyard"] = std::move(ext);
  return Dump(body);
}

std::string ChunkEncoder::Chunk(Json delta, const char* finish_reason, Json extension) const {
  Json choice;
  choice["index"] = 0;
  choice["delta"] = std::move(delta);
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = finish_reason == nullptr ? Json(nullptr) : Json(finish_reason);
  Json chunk = Head("chat.completion.chunk");
  chunk["choices"] = Json::array({std::move(choice)});
  if (!extension.is_null()) chunk["switchyard"] = std::move(extension);
  return Event(chunk);
}

std::string ChunkEncoder::Encode(const v1::ChatEvent& e) {
  NoteRoute(e);
  switch (e.event_case()) {
    case v1::ChatEvent::kRoute: {
      Json ext;
      ext["trace_id"] = trace_id_;
      ext["route"] = RouteJson();
      return Chunk({{"role", "assistant"}, {"content", ""}}, nullptr, std::move(ext));
    }
    case v1::ChatEvent::kTextDelta:
      if (e.text_delta().empty()) return "";
      return Chunk({{"content", e.text_delta()}}, nullptr, nullptr);
    case v1::ChatEvent::kReasoningDelta:
      if (e.reasoning_delta().empty()) return "";
      return Chunk({{"reasoning_content", e.reasoning_delta()}}, nullptr, nullptr);
    case v1::ChatEvent::kToolCall: {
      if (IsClientCall(e.tool_call())) {
        Json delta;
        delta["tool_calls"] = Json::array({CallJson(e.tool_call(), client_calls_++, true)});
        return Chunk(std::move(delta), nullptr, nullptr);
      }
      Json call = CallJson(e.tool_call(), 0, false);
      return Chunk(Json::object(), nullptr, {{"tool_call", std::move(call)}});
    }
    case v1::ChatEvent::kToolCallError:
      return Chunk(Json::object(), nullptr, {{"tool_call_error", ProtoJson(e.tool_call_error())}});
    case v1::ChatEvent::kStep: return Chunk(Json::object(), nullptr, {{"step", ProtoJson(e.step())}});
    case v1::ChatEvent::kToolResult: return Chunk(Json::object(), nullptr, {{"tool_result", ProtoJson(e.tool_result())}});
    case v1::ChatEvent::kTrace: return Chunk(Json::object(), nullptr, {{"trace", ProtoJson(e.trace())}});
    case v1::ChatEvent::kFinish: {
      usage_ = e.finish().usage();
      Json ext;
      if (e.finish().reason() == v1::RUN_LIMIT) ext["finish"] = FinishExtension(e.finish());
      return Chunk(Json::object(), OpenAiFinishReason(e.finish().reason()), std::move(ext));
    }
    case v1::ChatEvent::EVENT_NOT_SET: break;
  }
  return "";
}

std::string ChunkEncoder::End() {
  std::string out;
  if (include_usage_) {
    Json chunk = Head("chat.completion.chunk");
    chunk["choices"] = Json::array();
    chunk["usage"] = UsageJson(usage_);
    out = Event(chunk);
  }
  return out + "data: [DONE]\n\n";
}

std::string ChunkEncoder::Error(const HttpError& e) {
  return absl::StrCat("data: ", ErrorBody(e), "\n\n", "data: [DONE]\n\n");
}

}  // namespace switchyard::gateway
