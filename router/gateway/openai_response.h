// The router's ChatEvents -> OpenAI's answers: one chat.completion object (CompletionBuilder)
// or chat.completion.chunk server-sent events ending in "data: [DONE]" (ChunkEncoder).
//
// What OpenAI's shape has no place for goes into a `switchyard` field the OpenAI clients
// ignore: the route decision and trace id (first chunk / the completion), calls of the
// router's own tools and their results, each step's trace, the run's trace, and the detail of
// a run that a limit ended (finish_reason "stop", switchyard.finish.reason "run_limit").
// Client tool calls are OpenAI tool_calls; reasoning is `reasoning_content`, as vLLM sends it.
// Usage (the body's, and the last chunk's with stream_options.include_usage) carries the run's
// Usage: prompt, completion and total tokens, and prompt_tokens_details.cached_tokens (the
// prompt tokens the workers' prefix caches supplied).
// The route decision also travels in the header x-switchyard-route (RouteHeader).
//
// Thread safety: one per response, used from one thread at a time.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "router/gateway/openai_error.h"
#include "router/gateway/openai_request.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard::gateway {

// "role=coder; replica=127.0.0.1:7802; confidence=0.93"
std::string RouteHeaderValue(const v1::RouteDecision& route);
// "stop" | "length" | "tool_calls" (RUN_LIMIT, CANCELLED and ERROR are "stop").
const char* OpenAiFinishReason(v1::FinishReason reason);

// What both shapes share: the response's identity and which calls are the client's.
class ResponseBase {
 public:
  // `created`: unix seconds (injected so tests get fixed bytes).
  ResponseBase(const ChatCompletionRequest& request, int64_t created);
  bool has_route() const { return has_route_; }
  const v1::RouteDecision& route() const { return route_; }
  const std::string& trace_id() const { return trace_id_; }

 protected:
  nlohmann::ordered_json Head(const char* object) const;  // id, object, created, model
  nlohmann::ordered_json RouteJson() const;
  bool IsClientCall(const v1::ToolCall& call) const;
  void NoteRoute(const v1::ChatEvent& e);

  std::string model_;
  int64_t created_;
  std::set<std::string> client_tools_;
  bool router_tools_;  // the run has router tools: only declared client tools are the client's
  bool has_route_ = false;
  v1::RouteDecision route_;
  std::string trace_id_;
};

// stream: false. Add every event, then Body().
class CompletionBuilder : public ResponseBase {
 public:
  using ResponseBase::ResponseBase;
  void Add(const v1::ChatEvent& e);
  std::string Body() const;

 private:
  std::string content_, reasoning_;
  std::vector<v1::ToolCall> calls_;
  nlohmann::ordered_json tool_call_errors_ = nlohmann::ordered_json::array();
  nlohmann::ordered_json trace_;
  v1::Finish finish_;
  bool finished_ = false;
};

// stream: true. Encode each event as it comes; End() after a good end, Error() after a bad one.
class ChunkEncoder : public ResponseBase {
 public:
  ChunkEncoder(const ChatCompletionRequest& request, int64_t created)
      : ResponseBase(request, created), include_usage_(request.include_usage) {}
  // Zero or more "data: {...}\n\n" events.
  std::string Encode(const v1::ChatEvent& e);
  // The usage chunk when asked for, then "data: [DONE]\n\n".
  std::string End();
  // An error after the stream started: "data: {"error": ...}\n\n" then "data: [DONE]\n\n".
  static std::string Error(const HttpError& e);

 private:
  std::string Chunk(nlohmann::ordered_json delta, const char* finish_reason, nlohmann::ordered_json extension) const;

  bool include_usage_;
  int client_calls_ = 0;
  v1::Usage usage_;
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_RESPONSE_H_
