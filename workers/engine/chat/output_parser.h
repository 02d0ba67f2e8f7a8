// OutputParser: splits a Qwen3 answer, as it streams, into reasoning (<think>...</think>),
// answer text, and tool calls (<tool_call>...</tool_call>, JSON or Qwen3-Coder XML inside;
// see tool_call_parser.h).
//
// Rules, chosen to match vLLM's qwen3 reasoning parser and hermes / qwen3_coder tool parsers
// and the template's own whitespace:
//  - <think> opens reasoning only at the start of the answer (after whitespace), once; the
//    answer starts inside reasoning when the prompt opened it (2507 Thinking models), and a
//    leading <think> is then dropped. Elsewhere "<think>" is ordinary text.
//  - Reasoning loses its leading and trailing '\n's; the answer loses the '\n's after </think>.
//  - <tool_call> is recognized in the answer (not inside reasoning). Text loses the '\n's just
//    before <tool_call> and just after </tool_call>. Each call becomes one kToolCall event, or
//    a kToolCallError with its raw text and the reason: malformed calls are reported, never
//    dropped; an answer that ends inside <tool_call> is one too.
//  - Streaming: text is held back only while it could still be the start of a tag, together
//    with the '\n's that tag would swallow; everything else is emitted at once. Pushing an
//    answer in any number of pieces gives the same events, consecutive text of one kind merged,
//    as pushing it whole. Tool-call events come when their </tool_call> arrives.
// Thread safety: one parser per answer; not thread-safe.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/tool_call_parser.h"

namespace switchyard {

struct OutputEvent {
  enum class Kind { kReasoning, kText, kToolCall, kToolCallError };
  Kind kind;
  std::string text;       // kReasoning, kText: the delta; kToolCallError: the call's raw text
  std::string name;       // kToolCall
  std::string arguments;  // kToolCall: a JSON object, compact, keys in the model's order
  int index = 0;          // kToolCall, kToolCallError: which call of the answer (0, 1, ...)
  std::string error;      // kToolCallError: why it was rejected
};

struct OutputParserOptions {
  // The prompt already opened <think> (RenderedPrompt::opens_reasoning).
  bool starts_in_reasoning = false;
  // The tools of the request: their JSON Schemas type Qwen3-Coder XML parameters.
  std::vector<ChatTool> tools;
};

class OutputParser {
 public:
  explicit OutputParser(bool starts_in_reasoning = false);
  explicit OutputParser(const OutputParserOptions& options);

  std::vector<OutputEvent> Push(absl::string_view delta);
  // The end of the answer: flushes what was held back; an unterminated call is an error event.
  std::vector<OutputEvent> Finish();

 private:
  enum class State {
    kOpening,    // the answer's start: whitespace and a possible <think>
    kReasoning,  // inside <think>
    kText,       // the answer
    kToolCall,   // inside <tool_call>
  };
  void Emit(OutputEvent::Kind kind, absl::string_view s, std::vector<OutputEvent>* out);
  void EmitToolCall(absl::string_view body, std::vector<OutputEvent>* out);

  State state_;
  State after_opening_;  // kText, or kReasoning when the prompt opened it
  std::string buf_;      // bytes not yet decided
  size_t call_scanned_ = 0;  // kToolCall: bytes of buf_ already searched for </tool_call>
  bool strip_leading_newlines_ = false;
  int calls_ = 0;
  ToolParameterTypes types_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_
