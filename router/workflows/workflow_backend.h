// WorkflowBackend: what a workflow step calls, the router or a fake. RouterBackend
// (router_backend.h) sends Router.Chat and Router.CallTool; tests script the answers.
//
// The runner never sees gRPC or protos: a backend reports what happened (the answer, how the
// run finished, the tool's result) and the runner decides what is a failure.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_BACKEND_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_BACKEND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace switchyard::workflows {

struct Message {
  enum class Role { kSystem, kUser };
  Role role = Role::kUser;
  std::string content;
};

struct Document {
  std::string name;
  std::string text;
};

struct ChatOptions {
  std::vector<std::string> router_tools;
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<uint64_t> seed;
  std::optional<bool> thinking;
  std::optional<int> max_steps;
  enum class Format { kText, kJsonObject, kJsonSchema };
  Format format = Format::kText;
  std::string json_schema;  // kJsonSchema
  std::vector<Document> documents;
  absl::Time deadline = absl::InfiniteFuture();
};

// How the router's run ended (FinishReason in chat.proto).
enum class Finish { kUnspecified, kStop, kLength, kToolCalls, kCancelled, kError, kRunLimit };
const char* FinishName(Finish f);  // "stop", "length", "tool_calls", "cancelled", "error", "run_limit", "unspecified"

struct ChatReply {
  std::string text;       // the final answer (text_delta of the run's last model call)
  std::string reasoning;  // reasoning_delta, all of it
  Finish finish = Finish::kUnspecified;
  std::string finish_detail;  // RUN_LIMIT: which limit; ERROR: what went wrong
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_prompt_tokens = 0;  // of prompt_tokens, those the workers' prefix caches supplied
  std::string role;       // the pool that served it
  std::string replica;
  std::string trace_id;
  int model_calls = 0;                  // steps of the router's agent loop, delegations included
  std::vector<std::string> tool_calls;  // names of the router tools the model called, in order
};

struct ToolOptions {
  std::vector<Document> documents;
  absl::Time deadline = absl::InfiniteFuture();
};

struct ToolReply {
  bool ok = false;              // the tool ran and succeeded
  std::string content;          // its output, or an error text
  std::string error;            // why not, when !ok
  std::string structured_json;  // the output as JSON, or empty
  int64_t latency_ms = 0;
};

class WorkflowBackend {
 public:
  virtual ~WorkflowBackend() = default;
  // One model run with the route pinned to `role`. A non-OK status is a call that failed
  // (transport, auth, policy); a run that ended badly is an OK reply with its Finish.
  virtual absl::StatusOr<ChatReply> Chat(absl::string_view role, const std::vector<Message>& messages,
                                         const ChatOptions& options) = 0;
  // One router tool. A tool that ran and failed is an OK reply with !ok.
  virtual absl::StatusOr<ToolReply> CallTool(absl::string_view name, absl::string_view arguments_json,
                                             const ToolOptions& options) = 0;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_BACKEND_H_
