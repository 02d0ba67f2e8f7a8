// The streaming output parser: exact events for answers in the shapes Qwen3, Qwen3 2507 and
// Qwen3-Coder write, and the same events whatever way an answer is cut into deltas (every
// split position, every pair of split positions, every byte alone, random cuts of random
// answers), with no tag ever leaking into text or reasoning.
#include "workers/engine/chat/output_parser.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
      case Kind::kToolCall: absl::StrAppend(&s, "C", e.index, "[", e.name, " ", e.arguments, "]"); break;
      case Kind::kToolCallError: absl::StrAppend(&s, "E", e.index, "[", e.text, " | ", e.error, "]"); break;
    }
  }
  return s;
}

std::string Pieces(const std::vector<std::string>& pieces, const OutputParserOptions& options) {
  OutputParser p(options);
  std::vector<OutputEvent> events;
  for (const std::string& piece : pieces) {
    auto e = p.Push(piece);
    for (const OutputEvent& x : e) {
      EXPECT_FALSE((x.kind == Kind::kText || x.kind == Kind::kReasoning) && x.text.empty()) << "empty delta";
    }
    events.insert(events.end(), e.begin(), e.end());
  }
  auto tail = p.Finish();
  events.insert(events.end(), tail.begin(), tail.end());
  return Describe(events);
}

std::string Whole(const std::string& answer, const OutputParserOptions& options = {}) { return Pieces({answer}, options); }

struct Case {
  const char* answer;
  bool thinking;  // the prompt opened <think>
  const char* events;
};

const Case kCases[] = {
    {"Hello there.", false, "T[Hello there.]"},
    // Qwen3 with thinking: <think>\n...\n</think>\n\n then the answer.
    {"<think>\nLet me think.\nStill.\n</think>\n\nThe answer is 4.", false, "R[Let me think.\nStill.]T[The answer is 4.]"},
    {"<think>\n\n</think>\n\nNo reasoning.", false, "T[No reasoning.]"},
    {"\n<think>\nlate start\n</think>\n\nok", false, "R[late start]T[ok]"},
    // 2507 Thinking: the prompt opened <think>; a repeated <think> is dropped.
    {"Reasoning from the first byte.\n</think>\n\nDone", true, "R[Reasoning from the first byte.]T[Done]"},
    {"<think>\nagain\n</think>\n\nDone", true, "R[again]T[Done]"},
    {"\n\nonly reasoning, cut off", true, "R[only reasoning, cut off]"},
    // Tool calls, JSON (Qwen3) ...
    {"<think>\nplan\n</think>\n\nLet me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"東京\", "
     "\"n\": 1.5}}\n</tool_call>",
     false, "R[plan]T[Let me check.]C0[get_weather {\"city\":\"東京\",\"n\":1.5}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {\"x\": "
     "[1, 2]}}\n</tool_call>",
     false, "C0[a {}]C1[b {\"x\":[1,2]}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": \"{\\\"k\\\": true}\"}\n</tool_call>", false, "C0[a {\"k\":true}]"},
    {"<tool_call>\n{\"name\": \"a\"}\n</tool_call>", false, "C0[a {}]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}\n</tool_call>after", false,
     "E0[{\"name\": \"a\", \"arguments\": {\"x\": 1} | the call is not valid JSON]T[after]"},
    {"<tool_call>\n[1, 2]\n</tool_call>", false, "E0[[1, 2] | the call is not a JSON object]"},
    {"<tool_call>\n{\"arguments\": {}}\n</tool_call>", false, "E0[{\"arguments\": {}} | the call has no \"name\" string]"},
    {"<tool_call>\n{\"name\": \"a\", \"arguments\": 5}\n</tool_call>", false,
     "E0[{\"name\": \"a\", \"arguments\": 5} | \"arguments\" is not a JSON object]"},
    {"<tool_call>\n\n</tool_call>", false, "E0[ | the call is empty]"},
    {"Start <tool_call>\n{\"name\": \"cut", false,
     "T[Start ]E0[{\"name\": \"cut | the answer ended inside <tool_call> (no </tool_call>)]"},
    // ... and XML (Qwen3-Coder).
    {"I'll look.\n<tool_call>\n<function=get_weather>\n<parameter=city>\nSão Paulo\n</parameter>\n<parameter=days>\n3\n"
     "</parameter>\n</function>\n</tool_call>",
     false, "T[I'll look.]C0[get_weather {\"city\":\"São Paulo\",\"days\":3}]"},
    {"<tool_call>\n<function=write_file>\n<parameter=path>\na.py\n</parameter>\n<parameter=content>\ndef f():\n    return "
     "\"</function>\"\n\n</parameter>\n</function>\n</tool_call>\n<tool_call>\n<function=run>\n</function>\n</tool_call>",
     false,
     "C0[write_file {\"path\":\"a.py\",\"content\":\"def f():\\n    return \\\"</function>\\\"\\n\"}]C1[run {}]"},
    {"<tool_call>\n<function=f>\n<parameter=x>\n1\n</function>\n</tool_call>", false,
     "E0[<function=f>\n<parameter=x>\n1\n</function> | parameter 'x' has no </parameter>]"},
    {"<tool_call>\n<function=f>\n<parameter=x>\n1\n</parameter>\n</tool_call>", false,
     "E0[<function=f>\n<parameter=x>\n1\n</parameter> | the call has no </function>]"},
    {"<tool_call>\n<function=f>\nstray\n</function>\n</tool_call>", false,
     "E0[<function=f>\nstray\n</function> | unexpected text inside <function=...>]"},
    {"<tool_call>\n<function=>\n</function>\n</tool_call>", false, "E0[<function=>\n</function> | <function=...> has no function name]"},
    {"<tool_call>\n<func=f>\n</tool_call>", false,
     "E0[<func=f> | the call is neither a JSON object nor <function=NAME>...</function>]"},
    // Not tags, or not tags here.
    {"Not a tag: <thinking> and <tool> and </think and a < b", false, "T[Not a tag: <thinking> and <tool> and </think and a < b]"},
    {"Text first, then <think>this is text</think> too", false, "T[Text first, then <think>this is text</think> too]"},
    {"<think>a</think>b<think>c</think>", false, "R[a]T[b<think>c</think>]"},
    {"<think>\nreasoning mentions <tool_call> literally\n</think>\n\nx", false,
     "R[reasoning mentions <tool_call> literally]T[x]"},
    {"stray </tool_call> closer", false, "T[stray </tool_call> closer]"},
    {"Trailing newlines stay\n\n", false, "T[Trailing newlines stay\n\n]"},
    {"ends mid tag <too", false, "T[ends mid tag <too]"},
    {"<thi", false, "T[<thi]"},
    {"  \n", false, "T[  \n]"},
    {"<think>cut off while thinking\n", false, "R[cut off while thinking\n]"},
    {"Text.\n\n<tool_call>\n{\"name\": \"x\", \"arguments\": {}}\n</tool_call>\n\nmore text", false,
     "T[Text.]C0[x {}]T[more text]"},
    {"日本語のテキスト🚀\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"q\": \"🚀\"}}\n</tool_call>", false,
     "T[日本語のテキスト🚀]C0[f {\"q\":\"🚀\"}]"},
    {"", false, ""},
    {"", true, ""},
};

TEST(OutputParserTest, ExactEvents) {
  for (const Case& c : kCases) {
    EXPECT_EQ(Whole(c.answer, {.starts_in_reasoning = c.thinking}), c.events) << c.answer;
  }
}

TEST(OutputParserTest, EverySplitPositionGivesTheSameEvents) {
  for (const Case& c : kCases) {
    const OutputParserOptions o{.starts_in_reasoning = c.thinking};
    const std::string a = c.answer;
    for (size_t i = 0; i <= a.size(); ++i) {
      ASSERT_EQ(Pieces({a.substr(0, i), a.substr(i)}, o), c.events) << "split at " << i << ": " << a;
      for (size_t j = i; j <= a.size(); ++j) {
        ASSERT_EQ(Pieces({a.substr(0, i), a.substr(i, j - i), a.substr(j)}, o), c.events)
            << "split at " << i << "," << j << ": " << a;
      }
    }
    std::vector<std::string> bytes;
    for (char ch : a) bytes.emplace_back(1, ch);
    EXPECT_EQ(Pieces(bytes, o), c.events) << "byte by byte: " << a;
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
  EXPECT_TRUE(e.empty());  // a newline a following <tool_call> would swallow
  e = p.Push("x <");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, "\nx ");
  // At the start, only what could be <think>; once text started, "<t" is held for <tool_call> only.
  OutputParser q;
  EXPECT_TRUE(q.Push("<th").empty());
  e = q.Push("e");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, "<the");
  // In reasoning, only </think> is held.
  OutputParser r;
  e = r.Push("<think>\nabc <tool_call");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, Kind::kReasoning);
  EXPECT_EQ(e[0].text, "abc <tool_call");
  e = r.Push(" </thi");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].text, " ");
}

TEST(OutputParserTest, CoderParametersAreTypedByTheToolSchema) {
  auto tool = MakeChatTool("f", "",
                           R"({"type":"object","properties":{"s":{"type":"string"},"i":{"type":"integer"},)"
                           R"("n":{"type":"number"},"b":{"type":"boolean"},"o":{"type":"object"},)"
                           R"("a":{"type":["array","null"]},"bad":{"type":"integer"}}})");
  ASSERT_TRUE(tool.ok());
  const std::string call =
      "<tool_call>\n<function=f>\n<parameter=s>\n42\n</parameter>\n<parameter=i>\n7\n</parameter>\n<parameter=n>\n2.0\n"
      "</parameter>\n<parameter=b>\nTrue\n</parameter>\n<parameter=o>\n{\"k\": [1]}\n</parameter>\n<parameter=a>\n[1, "
      "\"x\"]\n</parameter>\n<parameter=bad>\nseven\n</parameter>\n<parameter=undeclared>\n1.5\n</parameter>\n"
      "<parameter=nothing>\nnull\n</parameter>\n<parameter=word>\nhello\n</parameter>\n</function>\n</tool_call>";
  EXPECT_EQ(Whole(call, {.tools = {*tool}}),
            "C0[f {\"s\":\"42\",\"i\":7,\"n\":2,\"b\":true,\"o\":{\"k\":[1]},\"a\":[1,\"x\"],\"bad\":\"seven\","
            "\"undeclared\":1.5,\"nothing\":null,\"word\":\"hello\"}]");
  // Without the schema, JSON values are taken as JSON and the rest as strings.
  EXPECT_EQ(Whole(call), "C0[f {\"s\":42,\"i\":7,\"n\":2.0,\"b\":\"True\",\"o\":{\"k\":[1]},\"a\":[1,\"x\"],"
                         "\"bad\":\"seven\",\"undeclared\":1.5,\"nothing\":null,\"word\":\"hello\"}]");
}

// A long call (a file written through Qwen3-Coder's XML) streamed in small pieces is searched
// once, not once per piece.
TEST(OutputParserTest, LongCallsStreamInLinearTime) {
  std::string content(400000, 'x');
  for (size_t i = 80; i < content.size(); i += 81) content[i] = '\n';
  const std::string answer = "<tool_call>\n<function=write>\n<parameter=text>\n" + content + "\n</parameter>\n</function>\n</tool_call>";
  OutputParser p;
  std::vector<OutputEvent> events;
  for (size_t i = 0; i < answer.size(); i += 3) {
    for (OutputEvent& e : p.Push(answer.substr(i, 3))) events.push_back(std::move(e));
  }
  for (OutputEvent& e : p.Finish()) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kToolCall);
  EXPECT_EQ(events[0].arguments.size(), content.size() + content.size() / 81 + 11);  // '\n' escaped as two bytes
}

// Random answers built from the pieces that matter (tags, their prefixes, newlines, text, JSON
// and XML call bodies), cut at random: streaming equals one-shot, and tags never leak.
TEST(OutputParserTest, RandomAnswersAndCuts) {
  const std::vector<std::string> atoms = {
      "<think>", "</think>", "<tool_call>", "</tool_call>", "<", "</", "<t", "<thi", "</thin", "<tool_", "</tool_ca",
      "\n", "\n\n", " ", "text", "é", "🚀", "{\"name\": \"f\", \"arguments\": {\"a\": 1}}", "<function=g>",
      "<parameter=p>", "\nv\n", "</parameter>", "</function>", "{", "}", "x>y"};
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string answer;
    const int n = static_cast<int>(rng() % 14);
    for (int i = 0; i < n; ++i) answer += atoms[rng() % atoms.size()];
    const OutputParserOptions o{.starts_in_reasoning = (rng() & 1) != 0};
    OutputParser whole(o);
    std::vector<OutputEvent> events = whole.Push(answer);
    for (OutputEvent& e : whole.Finish()) events.push_back(std::move(e));
    for (const OutputEvent& e : events) {
      if (e.kind == Kind::kText) {
        ASSERT_FALSE(absl::StrContains(e.text, "<tool_call>")) << answer;
      }
      if (e.kind == Kind::kReasoning) {
        ASSERT_FALSE(absl::StrContains(e.text, "</think>")) << answer;
      }
    }
    std::vector<std::string> pieces;
    for (size_t i = 0; i < answer.size();) {
      const size_t len = 1 + rng() % 6;
      pieces.push_back(answer.substr(i, len));
      i += len;
    }
    ASSERT_EQ(Pieces(pieces, o), Describe(events)) << "answer: " << answer;
  }
}

}  // namespace
}  // namespace switchyard
