// FakeBackend: a WorkflowBackend that records every request and answers from a script, for
// runner tests that need no router.
#ifndef SWITCHYARD_TESTS_ROUTER_WORKFLOWS_FAKE_BACKEND_H_
#define SWITCHYARD_TESTS_ROUTER_WORKFLOWS_FAKE_BACKEND_H_

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "router/workflows/workflow_backend.h"

namespace switchyard::workflows::testing {

struct ChatCall {
  std::string role;
  std::vector<Message> messages;
  ChatOptions options;
};

struct ToolCallRecord {
  std::string name;
  std::string arguments;
  ToolOptions options;
};

inline ChatReply Answer(std::string text) {
  ChatReply r;
  r.text = std::move(text);
  r.finish = Finish::kStop;
  r.prompt_tokens = 10;
  r.completion_tokens = 5;
  r.cached_prompt_tokens = 4;
  r.trace_id = "trace-1";
  return r;
}

inline ToolReply ToolOk(std::string content, std::string structured_json = "") {
  ToolReply r;
  r.ok = true;
  r.content = std::move(content);
  r.structured_json = std::move(structured_json);
  return r;
}

inline ToolReply ToolFailed(std::string error) {
  ToolReply r;
  r.ok = false;
  r.content = error;
  r.error = std::move(error);
  return r;
}

// run_code's structured result for an exit code.
inline ToolReply RunCodeExit(int exit_code) {
  return ToolOk("{\"exit_code\":" + std::to_string(exit_code) + "}",
                "{\"exit_code\":" + std::to_string(exit_code) + ",\"stdout\":\"out\",\"stderr\":\"err" +
                    std::to_string(exit_code) + "\"}");
}

class FakeBackend final : public WorkflowBackend {
 public:
  // Answers, in order; when a queue is empty the handler (if any) answers, else a default.
  std::deque<absl::StatusOr<ChatReply>> chat_replies;
  std::deque<absl::StatusOr<ToolReply>> tool_replies;
  std::function<absl::StatusOr<ChatReply>(const ChatCall&)> chat_handler;
  std::function<absl::StatusOr<ToolReply>(const ToolCallRecord&)> tool_handler;

  std::vector<ChatCall> chats;
  std::vector<ToolCallRecord> tools;

  absl::StatusOr<ChatReply> Chat(absl::string_view role, const std::vector<Message>& messages,
                                 const ChatOptions& options) override {
    chats.push_back({std::string(role), messages, options});
    if (!chat_replies.empty()) {
      auto r = chat_replies.front();
      chat_replies.pop_front();
      return r;
    }
    if (chat_handler) return chat_handler(chats.back());
    return Answer("answer from " + std::string(role));
  }

  absl::StatusOr<ToolReply> CallTool(absl::string_view name, absl::string_view arguments_json,
                                     const ToolOptions& options) override {
    tools.push_back({std::string(name), std::string(arguments_json), options});
    if (!tool_replies.empty()) {
      auto r = tool_replies.front();
      tool_replies.pop_front();
      return r;
    }
    if (tool_handler) return tool_handler(tools.back());
    return ToolOk("tool output");
  }
};

}  // namespace switchyard::workflows::testing

#endif  // SWITCHYARD_TESTS_ROUTER_WORKFLOWS_FAKE_BACKEND_H_
