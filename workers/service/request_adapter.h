// RequestAdapter: turns a Worker GenerateRequest into what the engine runs (prompt token ids
// and sampling parameters), and the engine's text back into stream events (reasoning, answer
// text, tool calls) through the model's chat template and output parser.
//
// tool_choice and response_format become constrained decoding (SamplingParams::grammar, from a
// GrammarCache shared by all requests): REQUIRED / FUNCTION force one tool call of the
// request's tools / of the named tool, JSON_SCHEMA / JSON_OBJECT force the answer's JSON; NONE
// hides the tools from the model and reads <tool_call> as text. When the model reasons first
// (Qwen3 with thinking on, 2507 Thinking) the grammar holds only after </think>, as vLLM does.
// Thread safety: Build() is const and thread-safe; an OutputEvents belongs to one request.
#ifndef SWITCHYARD_WORKERS_SERVICE_REQUEST_ADAPTER_H_
#define SWITCHYARD_WORKERS_SERVICE_REQUEST_ADAPTER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "switchyard/v1/worker.pb.h"
#include "workers/engine/chat/chat_template.h"
#include "workers/engine/grammar/grammar_cache.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/sampling/sampling_params.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {

struct PreparedRequest {
  std::vector<int32_t> prompt;
  SamplingParams sampling;
  bool chat = false;                 // from messages: the answer goes through the output parser
  bool starts_in_reasoning = false;  // the prompt already opened <think>
  std::vector<ChatTool> tools;       // the request's tools: their schemas type Coder XML parameters
  bool parse_tool_calls = true;      // false for tool_choice NONE: <tool_call> stays text
};

// Splits the model's streamed text into reasoning, answer text and tool calls.
class OutputEvents {
 public:
  virtual ~OutputEvents() = default;
  virtual std::vector<v1::GenerateEvent> Push(const std::string& text) = 0;
  virtual std::vector<v1::GenerateEvent> Finish() = 0;
  // The answer contained tool calls (its finish reason is then TOOL_CALLS).
  virtual bool saw_tool_calls() const { return false; }
};

class RequestAdapter {
 public:
  // `model` and `tokenizer` must outlive the adapter.
  RequestAdapter(const LoadedModel& model, const Tokenizer& tokenizer);

  // InvalidArgument naming the field for anything malformed: no messages and no prompt, an
  // unknown role, tool calls with non-JSON arguments, sampling values out of range, a
  // tool_choice naming no tool of the request (or REQUIRED / FUNCTION without tools or
  // messages, or beside a JSON response_format), a schema constrained decoding refuses (the
  // grammar compiler's message).
  absl::StatusOr<PreparedRequest> Build(const v1::GenerateRequest& request) const;
  std::unique_ptr<OutputEvents> NewOutput(const PreparedRequest& prepared) const;

 private:
  // The prompt from the chat template: messages and tools rendered, then tokenized (p->prompt,
  // p->tools, p->chat, ...). Returns whether the answer opens with reasoning.
  absl::StatusOr<bool> PrepareChat(const v1::GenerateRequest& r, PreparedRequest* p) const;
  // Sets p->sampling.grammar from tool_choice and response_format (nothing for AUTO / NONE and
  // TEXT); `reasons_first`: the answer opens with reasoning, so the grammar waits for </think>.
  absl::Status Constrain(const v1::GenerateRequest& r, bool reasons_first, PreparedRequest* p) const;

  const LoadedModel& model_;
  const Tokenizer& tokenizer_;
  SamplingParams defaults_;
  std::unique_ptr<GrammarCache> grammars_;  // thread-safe; compiled lazily, on the first constrained request
  int32_t think_end_ = -1;                  // </think>'s id, -1 when the vocabulary has none
  std::optional<ChatTemplate> template_;  // absent when the model's template is not supported
  absl::Status template_error_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_SERVICE_REQUEST_ADAPTER_H_
