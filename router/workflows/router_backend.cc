#include "router/workflows/router_backend.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"

namespace switchyard::workflows {
namespace {

Finish FromProto(v1::FinishReason r) {
  switch (r) {
    case v1::STOP: return Finish::kStop;
    case v1::LENGTH: return Finish::kLength;
    case v1::TOOL_CALLS: return Finish::kToolCalls;
    case v1::CANCELLED: return Finish::kCancelled;
    case v1::ERROR: return Finish::kError;
    case v1::RUN_LIMIT: return Finish::kRunLimit;
    default: return Finish::kUnspecified;
  }
}

void AddDocuments(const std::vector<Document>& docs, google::protobuf::RepeatedPtrField<v1::Document>* out) {
  for (const Document& d : docs) {
    v1::Document* pd = out->Add();
    pd->set_name(d.name);
    pd->set_text(d.text);
  }
}

}  // namespace

RouterBackend::RouterBackend(std::shared_ptr<grpc::Channel> channel, std::string target, std::string api_key)
    : stub_(v1::Router::NewStub(std::move(channel))), target_(std::move(target)), api_key_(std::move(api_key)) {}

std::unique_ptr<RouterBackend> RouterBackend::Connect(const std::string& target, std::string api_key) {
  return std::make_unique<RouterBackend>(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()), target,
                                         std::move(api_key));
}

void RouterBackend::Prepare(grpc::ClientContext* ctx, absl::Time deadline) const {
  if (deadline != absl::InfiniteFuture()) ctx->set_deadline(absl::ToChronoTime(deadline));
  if (!api_key_.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", api_key_));
}

absl::Status RouterBackend::FromGrpc(const grpc::Status& s) const {
  std::string message = s.error_message();
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE) absl::StrAppend(&message, " (is a router running at ", target_, "?)");
  return ToAbsl(grpc::Status(s.error_code(), message));
}

v1::ChatRequest RouterBackend::BuildChatRequest(absl::string_view role, const std::vector<Message>& messages,
                                                const ChatOptions& options) {
  v1::ChatRequest req;
  for (const Message& m : messages) {
    v1::ChatMessage* pm = req.add_messages();
    pm->set_role(m.role == Message::Role::kSystem ? v1::ChatMessage::SYSTEM : v1::ChatMessage::USER);
    pm->set_content(m.content);
  }
  req.set_route(std::string(role));
  for (const std::string& t : options.router_tools) req.add_router_tools(t);
  v1::SamplingParams* sp = req.mutable_sampling();
  if (options.max_tokens) sp->set_max_tokens(*options.max_tokens);
  if (options.temperature) sp->set_temperature(static_cast<float>(*options.temperature));
  if (options.seed) sp->set_seed(*options.seed);
  if (options.thinking) req.set_enable_thinking(*options.thinking);
  if (options.max_steps) req.mutable_limits()->set_max_steps(*options.max_steps);
  switch (options.format) {
    case ChatOptions::Format::kText:
      break;
    case ChatOptions::Format::kJsonObject:
      req.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
      break;
    case ChatOptions::Format::kJsonSchema:
      req.mutable_response_format()->set_type(v1::ResponseFormat::JSON_SCHEMA);
      req.mutable_response_format()->set_json_schema(options.json_schema);
      req.mutable_response_format()->set_name("workflow_step");
      break;
  }
  AddDocuments(options.documents, req.mutable_documents());
  return req;
}

absl::StatusOr<ChatReply> RouterBackend::Chat(absl::string_view role, const std::vector<Message>& messages,
                                              const ChatOptions& options) {
  const v1::ChatRequest req = BuildChatRequest(role, messages, options);
  grpc::ClientContext ctx;
  Prepare(&ctx, options.deadline);
  auto reader = stub_->Chat(&ctx, req);
  ChatReply out;
  v1::ChatEvent e;
  bool after_tool_call = false;
  while (reader->Read(&e)) {
    if (out.trace_id.empty() && !e.trace_id().empty()) out.trace_id = e.trace_id();
    switch (e.event_case()) {
      case v1::ChatEvent::kRoute:
        out.role = e.route().role();
        out.replica = e.route().replica();
        break;
      case v1::ChatEvent::kReasoningDelta:
        out.reasoning += e.reasoning_delta();
        break;
      case v1::ChatEvent::kTextDelta:
        // Text before a tool call was the model talking on its way to the call; the answer is
        // what its last call writes.
        if (after_tool_call) out.text.clear();
        after_tool_call = false;
        out.text += e.text_delta();
        break;
      case v1::ChatEvent::kToolCall:
        after_tool_call = true;
        out.tool_calls.push_back(e.tool_call().name());
        break;
      case v1::ChatEvent::kStep:
        ++out.model_calls;
        break;
      case v1::ChatEvent::kFinish:
        out.finish = FromProto(e.finish().reason());
        out.finish_detail = e.finish().detail();
        out.prompt_tokens = e.finish().usage().prompt_tokens();
        out.completion_tokens = e.finish().usage().completion_tokens();
        out.cached_prompt_tokens = e.finish().usage().cached_prompt_tokens();
        break;
      default:
        break;
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return FromGrpc(status);
  return out;
}

absl::StatusOr<ToolReply> RouterBackend::CallTool(absl::string_view name, absl::string_view arguments_json,
                                                  const ToolOptions& options) {
  v1::CallToolRequest req;
  req.set_name(std::string(name));
  req.set_arguments_json(std::string(arguments_json));
  AddDocuments(options.documents, req.mutable_documents());
  grpc::ClientContext ctx;
  Prepare(&ctx, options.deadline);
  v1::ToolResult result;
  const grpc::Status status = stub_->CallTool(&ctx, req, &result);
  if (!status.ok()) return FromGrpc(status);
  ToolReply out;
  out.ok = result.ok();
  out.content = result.content();
  out.error = result.error();
  out.structured_json = result.structured_json();
  out.latency_ms = result.latency_ms();
  return out;
}

}  // namespace switchyard::workflows
