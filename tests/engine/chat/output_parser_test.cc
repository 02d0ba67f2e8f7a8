// The streaming output parser: exact events for representative answers, and the same events
// whatever way the answer is cut into deltas (every single split position, and every byte
// alone).
#include "workers/engine/chat/output_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard {
namespace {

using Kind = OutputEvent::Kind;

// Events with consecutive text of one kind merged, as a comparable string.
std::string Describe(const std::vector<OutputEvent>& events) {
  std::vector<OutputEvent> merged;
  for (const OutputEvent& e : events) {
    if (!merged.empty() && (e.kind == Kind::kText || e.kind == Kind::kReasoning) && merged.back().kind == e.kind) {
      merged.back().text += e.text;
    } else {
      merged.push_back(e);
    }
  }
  std::string s;
  for (const OutputEvent& e : merged) {
    switch (e.kind) {
      case Kind::kText: s += "T[" + e.text + "]"; break;
      case Kind::kReasoning: s += "R[" + e.text + "]"; break;
      case Kind::kToolCall: s += "C" + std::to_string(e.index) + "[" + e.name + " " + e.arguments + "]"; break;
      case Kind::kToolCallError: s += "E" + std::to_string(e.index) + "[" + e.text + " | " + e.error + "]"; break;
    }
  }
  return s;
}

std::string Whole(const std::string& answer, bool thinking = false) {
  OutputParser p(thinking);
  auto events = p.Push(answer);
  auto tail = p.Finish();
  events.insert(events.end(), tail.begin(), tail.end());
  return Describe(events);
}

std::string Pieces(const std::vector<std::string>& pieces, bool thinking = false) {
  OutputParser p(thinking);
  std::vector<OutputEvent> events;
  for (const std::string& piece : pieces) {
    auto e = p.Push(piece);
    events.insert(events.end(), e.begin(), e.end());
  }
  auto tail = p.Finish();
  events.insert(events.end(), tail.begin(), tail.end());
  return Describe(events);
}

struct Case {
  const char* answer;
  bool thinking;
  const char* events;
};

const Case kCases[] = {
    {"Hello there.", false, "T[Hello there.]"},
    {"<think>\nLet me think.\nStill.\n</think>\n\nThe answer is 4.", false, "R[Let me think.\nStill.]T[The answer is 4.]"},
    {"<think>\n\n</think>\n\nNo reasoning.", false, "T[No reasoning.]"},
    {"Reasoning from the first byte.\n</think>\n\nDone", true, "R[Reasoning from the first byte.]T[Done]"},
    {"<think>\nplan\n</think>\n\nLet me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"東京\", \"n\": 1.5}}\n</tool_call>",
     false, "R[plan]T[Let me check.]C0[get_weather {\"city\":\"東京\",\"n\":1.5}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {\"x\": [1, 2]}}\n</tool_call>",
     false, "C0[a {}]C1[b {\"x\":[1,2]}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": \"{\\\"k\\\": true}\"}\n</tool_call>", false, "C0[a {\"k\":true}]"},
    {"<tool_call>\n{\"name\": \"a\"}\n</tool_call>", false, "C0[a {}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}\n</tool_call>after", false,
     "E0[{\"name\": \"a\", \"arguments\": {\"x\": 1} | the call is not valid JSON]T[after]"},
    {"<tool_call>\n[1, 2]\n</tool_call>", false, "E0[[1, 2] | the call is not a JSON object]"},
    {"<tool_call>\n{\"arguments\": {}}\n</tool_call>", false, "E0[{\"arguments\": {}} | the call has no \"name\" string]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": 5}\n</tool_call>", false, "E0[{\"name\": \"a\", \"arguments\": 5} | \"arguments\" is not a JSON object]"},
    {"Start <tool_call>\n{\"name\": \"cut", false, "T[Start ]E0[{\"name\": \"cut | the answer ended inside <tool_call> (no </tool_call>)]"},
    {"Not a tag: <thinking> and <tool> and </think and a < b", false, "T[Not a tag: <thinking> and <tool> and </think and a < b]"},
    {"Trailing newlines stay\n\n", false, "T[Trailing newlines stay\n\n]"},
    {"ends mid tag <too", false, "T[ends mid tag <too]"},
    {"<think>cut off while thinking\n", false, "R[cut off while thinking\n]"},
    {"Text.\n\n<tool_call>\n{\"name\": \"x\", \"arguments\": {}}\n</tool_call>\n\nmore text", false, "T[Text.]C0[x {}]T[more text]"},
    {"日本語のテキスト🚀 <think>後で考える</think>答え", false, "T[日本語のテキスト🚀 ]R[後で考える]T[答え]"},
    {"", false, ""},
};

TEST(OutputParserTest, ExactEvents) {
  for (const Case& c : kCases) EXPECT_EQ(Whole(c.answer, c.thinking), c.events) << c.answer;
}

TEST(OutputParserTest, EverySplitPositionGivesTheSameEvents) {
  for (const Case& c : kCases) {
    const std::string a = c.answer;
    for (size_t i = 0; i <= a.size(); ++i) {
      for (size_t j = i; j <= a.size(); j += 3) {
        ASSERT_EQ(Pieces({a.substr(0, i), a.substr(i, j - i), a.substr(j)}, c.thinking), c.events)
            << "split at " << i << "," << j << ": " << a;
      }
    }
    std::vector<std::string> bytes;
    for (char ch : a) bytes.emplace_back(1, ch);
    EXPECT_EQ(Pieces(bytes, c.thinking), c.events) << "byte by byte: " << a;
  }
}

TEST(OutputParserTest, HoldsBackOnlyPossibleTagStarts) {
  OutputParser p;
  auto e = p.Push("Hello <to");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, "Hello ");  // "<to" could still become <tool_call>
  e = p.Push("p");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, "<top");  // it cannot any more
  e = p.Push("\n");
  EXPECT_TRUE(e.empty());  // a newline may be swallowed by a following <tool_call>
  e = p.Push("x");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, "\nx");
}

}  // namespace
}  // namespace switchyard
