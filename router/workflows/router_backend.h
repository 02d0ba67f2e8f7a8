// RouterBackend: a WorkflowBackend over a running router's gRPC API: a model step is one
// Router.Chat stream with the route pinned to the step's role; a tool step is Router.CallTool.
// Each call carries the step's deadline and, given a key, `authorization: Bearer <key>`.
//
// From the Chat stream it keeps: text_delta (the answer; text a model wrote before calling tools
// is dropped, so the answer is the run's last model call), reasoning_delta (all of it), the
// route, the finish and its usage. A non-OK gRPC status becomes the same absl code.
//
// Thread safety: safe for concurrent calls (the gRPC stub is).
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_ROUTER_BACKEND_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_ROUTER_BACKEND_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "router/workflows/workflow_backend.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::workflows {

class RouterBackend final : public WorkflowBackend {
 public:
  // `target` ("127.0.0.1:7700") is named in messages; `api_key` may be empty.
  RouterBackend(std::shared_ptr<grpc::Channel> channel, std::string target, std::string api_key);
  // An insecure channel to `target`, as `switchyard chat` uses.
  static std::unique_ptr<RouterBackend> Connect(const std::string& target, std::string api_key);

  absl::StatusOr<ChatReply> Chat(absl::string_view role, const std::vector<Message>& messages,
                                 const ChatOptions& options) override;
  absl::StatusOr<ToolReply> CallTool(absl::string_view name, absl::string_view arguments_json,
                                     const ToolOptions& options) override;

  // The request Chat sends (exposed for tests).
  static v1::ChatRequest BuildChatRequest(absl::string_view role, const std::vector<Message>& messages,
                                          const ChatOptions& options);

 private:
  void Prepare(grpc::ClientContext* ctx, absl::Time deadline) const;
  absl::Status FromGrpc(const grpc::Status& s) const;

  std::unique_ptr<v1::Router::Stub> stub_;
  std::string target_;
  std::string api_key_;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_ROUTER_BACKEND_H_
