#include "workers/engine/chat/output_parser.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "workers/engine/chat/py_json.h"
#include "workers/engine/util/json_reader.h"

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

absl::string_view TrimSpace(absl::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

OutputParser::OutputParser(bool starts_in_reasoning)
    : state_(starts_in_reasoning ? State::kReasoning : State::kText), strip_leading_newlines_(starts_in_reasoning) {}

void OutputParser::Emit(absl::string_view s, std::vector<OutputEvent>* out) {
  if (strip_leading_newlines_) {
    while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
    if (s.empty()) return;
    strip_leading_newlines_ = false;
  }
  if (s.empty()) return;
  const OutputEvent::Kind kind = state_ == State::kReasoning ? OutputEvent::Kind::kReasoning : OutputEvent::Kind::kText;
  if (!out->empty() && out->back().kind == kind) {
    out->back().text.append(s.data(), s.size());
  } else {
    out->push_back(OutputEvent{kind, std::string(s)});
  }
}

void OutputParser::CloseToolCall(std::vector<OutputEvent>* out) {
  const std::string raw(TrimSpace(buf_));
  OutputEvent e;
  e.index = calls_++;
  auto fail = [&](absl::string_view why) {
    e.kind = OutputEvent::Kind::kToolCallError;
    e.text = raw;
    e.error = std::string(why);
    out->push_back(e);
  };
  auto doc = JsonDocument::Parse(raw, "tool call");
  if (!doc.ok()) return fail("the call is not valid JSON");
  simdjson::dom::object obj;
  if ((*doc)->root().get_object().get(obj) != simdjson::SUCCESS) return fail("the call is not a JSON object");
  std::string_view name;
  if (obj["name"].get_string().get(name) != simdjson::SUCCESS || name.empty()) {
    return fail("the call has no \"name\" string");
  }
  e.kind = OutputEvent::Kind::kToolCall;
  e.name = std::string(name);
  JsonElement args;
  if (obj["arguments"].get(args) != simdjson::SUCCESS || args.is_null()) {
    e.arguments = "{}";
  } else if (args.is_object()) {
    if (!AppendJson(args, JsonStyle::kCompact, &e.arguments).ok()) return fail("the arguments cannot be serialized");
  } else if (std::string_view s; args.get_string().get(s) == simdjson::SUCCESS) {
    // Some models write the arguments as a JSON string holding the object.
    auto inner = Reserialize(ToAbsl(s), JsonStyle::kCompact, "arguments");
    if (!inner.ok() || inner->empty() || (*inner)[0] != '{') return fail("\"arguments\" is a string that is not a JSON object");
    e.arguments = *inner;
  } else {
    return fail("\"arguments\" is not a JSON object");
  }
  out->push_back(std::move(e));
}

std::vector<OutputEvent> OutputParser::Push(absl::string_view delta) {
  std::vector<OutputEvent> out;
  buf_.append(delta.data(), delta.size());
  for (;;) {
    if (state_ == State::kToolCall) {
      const size_t p = buf_.find(kEndCall.data(), 0, kEndCall.size());
      if (p == std::string::npos) return out;  // the call is still arriving
      const std::string rest = buf_.substr(p + kEndCall.size());
      buf_.resize(p);
      CloseToolCall(&out);
      buf_ = rest;
      state_ = State::kText;
      strip_leading_newlines_ = true;
      continue;
    }
    // The earliest tag that matters in this state.
    const std::vector<absl::string_view> tags =
        state_ == State::kText ? std::vector<absl::string_view>{kThink, kCall} : std::vector<absl::string_view>{kEndThink};
    size_t at = std::string::npos;
    absl::string_view tag;
    for (absl::string_view t : tags) {
      const size_t p = buf_.find(t.data(), 0, t.size());
      if (p < at) {
        at = p;
        tag = t;
      }
    }
    if (at != std::string::npos) {
      absl::string_view before = absl::string_view(buf_).substr(0, at);
      if (tag == kEndThink || tag == kCall) {
        while (!before.empty() && before.back() == '\n') before.remove_suffix(1);  // newlines the tag swallows
      }
      Emit(before, &out);
      buf_.erase(0, at + tag.size());
      if (tag == kThink) {
        state_ = State::kReasoning;
        strip_leading_newlines_ = true;
      } else if (tag == kEndThink) {
        state_ = State::kText;
        strip_leading_newlines_ = true;
      } else {
        state_ = State::kToolCall;
        strip_leading_newlines_ = false;
      }
      continue;
    }
    // No tag: emit all but what could still be one (a tag's beginning, or newlines before it).
    size_t hold = 0;
    for (absl::string_view t : tags) hold = std::max(hold, PartialTagSuffix(buf_, t));
    size_t keep_from = buf_.size() - hold;
    while (keep_from > 0 && buf_[keep_from - 1] == '\n') --keep_from;
    Emit(absl::string_view(buf_).substr(0, keep_from), &out);
    buf_.erase(0, keep_from);
    return out;
  }
}

std::vector<OutputEvent> OutputParser::Finish() {
  std::vector<OutputEvent> out;
  if (state_ == State::kToolCall) {
    OutputEvent e;
    e.kind = OutputEvent::Kind::kToolCallError;
    e.index = calls_++;
    e.text = std::string(TrimSpace(buf_));
    e.error = "the answer ended inside <tool_call> (no </tool_call>)";
    out.push_back(std::move(e));
  } else {
    Emit(buf_, &out);
  }
  buf_.clear();
  return out;
}

}  // namespace switchyard
