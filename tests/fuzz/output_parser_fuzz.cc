// Fuzz target: the streaming output parser. The first byte picks whether the answer starts in
// reasoning and a seed for where to cut the rest into deltas; the second whether the parser
// knows a tool schema (typing Qwen3-Coder XML parameters). Invariants: the events do not
// depend on the cuts (text merged), <tool_call> never reaches text and </think> never reaches
// reasoning, no empty text delta, tool-call arguments are compact JSON objects, call indexes
// count up from 0.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "workers/engine/chat/output_parser.h"
#include "workers/engine/chat/py_value.h"

namespace {

using switchyard::OutputEvent;

[[noreturn]] void Die(const char* why) {
  std::fprintf(stderr, "invariant broken: %s\n", why);
  std::abort();
}

std::string Run(const std::vector<std::string>& pieces, const switchyard::OutputParserOptions& options) {
  switchyard::OutputParser p(options);
  std::vector<OutputEvent> all;
  for (const std::string& s : pieces) {
    auto e = p.Push(s);
    all.insert(all.end(), e.begin(), e.end());
  }
  auto e = p.Finish();
  all.insert(all.end(), e.begin(), e.end());
  std::string out;
  int last = -1;
  int next_index = 0;
  for (const auto& ev : all) {
    const int k = static_cast<int>(ev.kind);
    if (ev.kind == OutputEvent::Kind::kText || ev.kind == OutputEvent::Kind::kReasoning) {
      if (ev.text.empty()) Die("empty text delta");
      if (ev.kind == OutputEvent::Kind::kText && ev.text.find("<tool_call>") != std::string::npos) Die("<tool_call> in text");
      if (ev.kind == OutputEvent::Kind::kReasoning && ev.text.find("</think>") != std::string::npos) Die("</think> in reasoning");
    } else {
      if (ev.index != next_index++) Die("call indexes out of order");
      if (ev.kind == OutputEvent::Kind::kToolCall) {
        auto v = switchyard::PyValue::Parse(ev.arguments, "arguments");
        if (!v.ok() || !v->is_dict() || v->Dumps(switchyard::JsonStyle::kCompact) != ev.arguments) Die("arguments not compact JSON");
        if (ev.name.empty()) Die("call without a name");
      }
    }
    if (k != last || k >= 2) {
      out.push_back('|');
      out.push_back(static_cast<char>('0' + k));
    }
    out += ev.text;  // consecutive text of one kind merges
    if (k >= 2) out += "\x01" + ev.name + "\x01" + ev.arguments + "\x01" + ev.error;
    last = k;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const auto tool = switchyard::MakeChatTool(
      "f", "", R"({"type":"object","properties":{"s":{"type":"string"},"i":{"type":"integer"},"n":{"type":"number"},)"
               R"("b":{"type":"boolean"},"o":{"type":"object"}}})");
  switchyard::OutputParserOptions options;
  options.starts_in_reasoning = (data[0] & 1) != 0;
  if ((data[1] & 1) != 0 && tool.ok()) options.tools.push_back(*tool);
  uint32_t seed = data[0] >> 1;
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::string whole = Run({text}, options);
  std::vector<std::string> pieces;
  for (size_t i = 0; i < text.size();) {
    seed = seed * 1103515245u + 12345u;
    const size_t len = 1 + (seed >> 16) % 7;
    pieces.push_back(text.substr(i, len));
    i += len;
  }
  if (Run(pieces, options) != whole) Die("the cuts changed the events");
  return 0;
}
