// OutputParser: splits a Qwen3 answer, as it streams, into reasoning (<think>...</think>),
// answer text and tool calls (<tool_call>{"name": ..., "arguments": {...}}</tool_call>).
//
// Text is held back only while it could still be the start of a tag (or newlines a tag would
// swallow), so a tag split across deltas never leaks and nothing else waits. Newlines follow
// the template's own rules: reasoning loses its leading and trailing newlines, the answer the
// newlines after </think>, text the newlines before <tool_call>, and anything the newlines
// after </tool_call>. A malformed call is reported as an error event with its raw text, never
// dropped. Pushing a string in any number of pieces gives the same events, merged, as pushing
// it whole.
// Thread safety: one parser per answer.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

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

class OutputParser {
 public:
  // `starts_in_reasoning`: the prompt already opened <think> (2507 Thinking models).
  explicit OutputParser(bool starts_in_reasoning = false);

  std::vector<OutputEvent> Push(absl::string_view delta);
  // The end of the answer: flushes what was held back; an unterminated call is an error event.
  std::vector<OutputEvent> Finish();

 private:
  enum class State { kText, kReasoning, kToolCall };
  void Emit(absl::string_view s, std::vector<OutputEvent>* out);
  void CloseToolCall(std::vector<OutputEvent>* out);

  State state_;
  std::string buf_;
  bool strip_leading_newlines_;
  int calls_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_OUTPUT_PARSER_H_
