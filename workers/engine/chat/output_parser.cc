#include "workers/engine/chat/output_parser.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace switchyard {
namespace {

constexpr absl::string_view kThink = "<think>";
constexpr absl::string_view kEndThink = "</think>";
constexpr absl::string_view kCall = "<tool_call>";
constexpr absl::string_view kEndCall = "</tool_call>";

// Length of the longest suffix of `s` that is a proper prefix of `tag`.
size_t PartialTagSuffix(absl::string_view s, absl::string_view tag) {
  for (size_t n = std::min(s.size(), tag.size() - 1); n > 0; --n) {
    if (s.substr(s.size() - n) == tag.substr(0, n)) return n;
  }
  return 0;
}

absl::string_view TrailingNewlinesRemoved(absl::string_view s) {
  while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

OutputParser::OutputParser(bool starts_in_reasoning)
    : OutputParser(OutputParserOptions{.starts_in_reasoning = starts_in_reasoning}) {}

OutputParser::OutputParser(const OutputParserOptions& options)
    : state_(State::kOpening),
      after_opening_(options.starts_in_reasoning ? State::kReasoning : State::kText),
      strip_leading_newlines_(options.starts_in_reasoning),
      types_(ToolParameterTypes::FromTools(options.tools)) {}

void OutputParser::Emit(OutputEvent::Kind kind, absl::string_view s, std::vector<OutputEvent>* out) {
  if (strip_leading_newlines_) {
    while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
    if (s.empty()) return;
    strip_leading_newlines_ = false;
  }
  if (s.empty()) return;
  if (!out->empty() && out->back().kind == kind) {
    out->back().text.append(s.data(), s.size());
  } else {
    out->push_back(OutputEvent{kind, std::string(s)});
  }
}

void OutputParser::EmitToolCall(absl::string_view body, std::vector<OutputEvent>* out) {
  OutputEvent e;
  e.index = calls_++;
  ParsedToolCall call = ParseToolCall(body, types_);
  if (call.ok) {
    e.kind = OutputEvent::Kind::kToolCall;
    e.name = std::move(call.name);
    e.arguments = std::move(call.arguments);
  } else {
    e.kind = OutputEvent::Kind::kToolCallError;
    e.text = std::string(absl::StripAsciiWhitespace(body));
    e.error = std::move(call.error);
  }
  out->push_back(std::move(e));
}

std::vector<OutputEvent> OutputParser::Push(absl::string_view delta) {
  std::vector<OutputEvent> out;
  buf_.append(delta.data(), delta.size());
  for (;;) {
    const absl::string_view b = buf_;
    switch (state_) {
      case State::kOpening: {
        size_t ws = 0;
        while (ws < b.size() && IsSpace(b[ws])) ++ws;
        const absl::string_view rest = b.substr(ws);
        if (absl::StartsWith(rest, kThink)) {
          buf_.erase(0, ws + kThink.size());
          state_ = State::kReasoning;
          strip_leading_newlines_ = true;
          continue;
        }
        if (absl::StartsWith(kThink, rest)) return out;  // still whitespace or a piece of <think>
        state_ = after_opening_;
        continue;
      }
      case State::kToolCall: {
        // Search only what arrived since the last look (a long call streams in many pieces).
        const size_t p = b.find(kEndCall, call_scanned_ >= kEndCall.size() ? call_scanned_ - kEndCall.size() + 1 : 0);
        if (p == absl::string_view::npos) {
          call_scanned_ = b.size();
          return out;  // the call is still arriving
        }
        call_scanned_ = 0;
        EmitToolCall(b.substr(0, p), &out);
        buf_.erase(0, p + kEndCall.size());
        state_ = State::kText;
        strip_leading_newlines_ = true;
        continue;
      }
      case State::kReasoning:
      case State::kText: {
        const bool reasoning = state_ == State::kReasoning;
        const absl::string_view tag = reasoning ? kEndThink : kCall;
        const OutputEvent::Kind kind = reasoning ? OutputEvent::Kind::kReasoning : OutputEvent::Kind::kText;
        const size_t p = b.find(tag);
        if (p != absl::string_view::npos) {
          Emit(kind, TrailingNewlinesRemoved(b.substr(0, p)), &out);  // the '\n's the tag swallows
          buf_.erase(0, p + tag.size());
          state_ = reasoning ? State::kText : State::kToolCall;
          strip_leading_newlines_ = reasoning;
          continue;
        }
        // No tag: emit all but what could still become one, with the '\n's before it.
        const size_t keep_from = TrailingNewlinesRemoved(b.substr(0, b.size() - PartialTagSuffix(b, tag))).size();
        Emit(kind, b.substr(0, keep_from), &out);
        buf_.erase(0, keep_from);
        return out;
      }
    }
  }
}

std::vector<OutputEvent> OutputParser::Finish() {
  std::vector<OutputEvent> out;
  switch (state_) {
    case State::kToolCall: {
      OutputEvent e;
      e.kind = OutputEvent::Kind::kToolCallError;
      e.index = calls_++;
      e.text = std::string(absl::StripAsciiWhitespace(buf_));
      e.error = "the answer ended inside <tool_call> (no </tool_call>)";
      out.push_back(std::move(e));
      break;
    }
    case State::kReasoning: Emit(OutputEvent::Kind::kReasoning, buf_, &out); break;
    case State::kOpening:
      if (after_opening_ == State::kReasoning) {
        Emit(OutputEvent::Kind::kReasoning, buf_, &out);
      } else {
        Emit(OutputEvent::Kind::kText, buf_, &out);
      }
      break;
    case State::kText: Emit(OutputEvent::Kind::kText, buf_, &out); break;
  }
  buf_.clear();
  state_ = State::kText;
  return out;
}

}  // namespace switchyard
