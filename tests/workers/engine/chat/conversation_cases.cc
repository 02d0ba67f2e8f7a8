#include "tests/workers/engine/chat/conversation_cases.h"

#include <string>
#include <utility>

namespace switchyard::testing {
namespace {

ojson Msg(const char* role, const std::string& content) { return ojson{{"role", role}, {"content", content}}; }
ojson Call(const std::string& name, ojson args) {
  return ojson{{"type", "function"}, {"function", {{"name", name}, {"arguments", std::move(args)}}}};
}
ojson Tool(const std::string& name, const std::string& description, ojson parameters) {
  return ojson{{"type", "function"},
               {"function", {{"name", name}, {"description", description}, {"parameters", std::move(parameters)}}}};
}
ojson Assistant(const std::string& content, ojson calls) {
  return ojson{{"role", "assistant"}, {"content", content}, {"tool_calls", std::move(calls)}};
}

}  // namespace

std::vector<ojson> ConversationCases() {
  const ojson weather = Tool("get_weather", "Get the current weather for a city",
                             {{"type", "object"},
                              {"properties", {{"city", {{"type", "string"}, {"description", "City name"}}},
                                              {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}}}},
                              {"required", {"city"}}});
  const ojson nested = Tool(
      "book_flight", "  Réserve un vol ✈️ — «vite»\n",
      {{"type", "object"},
       {"properties",
        {{"legs", {{"type", "array"}, {"minItems", 1}, {"maxItems", 4},
                   {"items", {{"type", "object"},
                              {"properties", {{"from", {{"type", "string"}, {"minLength", 3}}},
                                              {"to", {{"type", "string"}}},
                                              {"date", {{"type", "string"}, {"pattern", "^\\d{4}-\\d{2}$"}}}}},
                              {"additionalProperties", false}}}}},
         {"price_limit", {{"type", "number"}, {"minimum", 0.5}, {"maximum", 1e6}, {"multipleOf", 1e-06}}},
         {"passengers", {{"type", "integer"}, {"default", 1}, {"exclusiveMinimum", -3}}},
         {"flexible", {{"type", "boolean"}, {"default", true}}},
         {"note", {{"anyOf", {{{"type", "string"}}, {{"type", "null"}}}}, {"default", nullptr}}}}},
       {"required", {"legs"}}});
  const ojson code = Tool("run_code", "Run code.\nReturns \"stdout\" and \\errors\\.\t(tab)",
                          {{"type", "object"}, {"properties", ojson::object()}});
  // Keys and values the Qwen3-Coder template prints with Python's str() or rewrites.
  const ojson odd = {
      {"type", "function"},
      {"function",
       {{"name", "odd_schema"},
        {"description", "\u3000\u00a0 padded with Unicode spaces \u2003"},
        {"parameters",
         {{"type", "object"},
          {"properties",
           {{"mode", {{"type", {"string", "null"}}, {"enum", {"a", 1, true, nullptr, 2.5}}, {"x-order", 2},
                      {"$comment", "it's \"quoted\""}, {"min items", 0}}},
            {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}, {"default", ojson::array()},
                      {"examples", {"it's", "a\"b", "tab\there", "nl\nx", "é", "\u00a0nbsp", "\u200bzw", "back\\slash"}}}},
            {"opts", {{"type", "object"}, {"default", {{"a", 1}}}, {"required", {"a"}}, {"enum", "xy"}}},
            {"nothing", ojson::object()}}},
          {"required", {"mode", "tags"}}}},
        {"return", {{"type", "string"}, {"description", "the result"}}}}}};
  const ojson bare = {{"name", "ping"}, {"parameters", {{"type", "object"}, {"properties", {{"host", {{"type", "string"}}}}}}},
                      {"return", "str"}};
  const ojson no_description = {{"type", "function"},
                                {"function", {{"name", "now"}, {"parameters", {{"type", "object"}}}}}};

  std::vector<ojson> c;
  auto add = [&](ojson messages, ojson tools = nullptr, bool gen = true, int thinking = -1) {
    ojson x = {{"messages", std::move(messages)}, {"tools", std::move(tools)}, {"add_generation_prompt", gen}};
    if (thinking >= 0) x["enable_thinking"] = thinking == 1;
    c.push_back(std::move(x));
  };
  add({Msg("user", "Hello")});
  add({Msg("user", "Hello")}, nullptr, false);
  add({Msg("user", "Hello")}, nullptr, true, 0);
  add({Msg("user", "Hello")}, nullptr, true, 1);
  add({Msg("system", "You are terse."), Msg("user", "Hi")});
  add({Msg("system", "Sys"), Msg("user", "Hi"), Msg("system", "Late system"), Msg("user", "Again")});
  add({Msg("user", "Grüße aus München! 你好 🌍 مرحبا 😶‍🌫️")});
  add({Msg("user", "")});
  add({Msg("user", "a"), Msg("assistant", ""), Msg("user", "b")});
  add({Msg("user", "17*23?"), Msg("assistant", "<think>\n17*23 = 391\n</think>\n\n391."), Msg("user", "And /7?")});
  add({Msg("user", "17*23?"), Msg("assistant", "<think>\nfirst\n</think>\n\n391.")});
  add({Msg("user", "q"), Msg("assistant", "<think>\n\nr1\n\n</think>\n\n\nanswer")}, nullptr, false);
  add({Msg("user", "q"), {{"role", "assistant"}, {"content", "plain answer"}, {"reasoning_content", "\nthought\n"}}}, nullptr,
      false);
  add({Msg("user", "q"), {{"role", "assistant"}, {"content", "x"}, {"reasoning_content", ""}}, Msg("user", "y")});
  add({Msg("user", "q"), {{"role", "assistant"}, {"content", "x"}, {"reasoning_content", "kept?"}}, Msg("assistant", "y")},
      nullptr, false);
  add({Msg("user", "q1"), Msg("assistant", "<think>old</think>a1"), Msg("user", "q2"), Msg("assistant", "<think>new</think>a2")},
      nullptr, false);
  add({Msg("user", "no think tags"), Msg("assistant", "text with </think> but no opening tag")}, nullptr, false);
  add({Msg("user", "two"), Msg("assistant", "<think>a</think>b</think>c")}, nullptr, false);
  add({Msg("user", "Weather in Zürich?")}, ojson::array({weather}));
  add({Msg("system", "You are a weather bot."), Msg("user", "Wie ist das Wetter?")}, ojson::array({weather}));
  add({Msg("user", "Plan a trip")}, ojson::array({weather, nested, code}));
  add({Msg("user", "Plan a trip")}, ojson::array({nested}), true, 0);
  add({Msg("user", "Odd schemas")}, ojson::array({odd, bare, no_description}));
  add({Msg("system", "Sys with tools"), Msg("user", "Odd schemas")}, ojson::array({odd}), false);
  add({Msg("user", "no tools really")}, ojson::array());
  const ojson call1 = Assistant("", {Call("get_weather", {{"city", "東京"}, {"unit", "celsius"}})});
  add({Msg("user", "Weather in Tokyo?"), call1, Msg("tool", "{\"temp\": 21}")}, ojson::array({weather}));
  const ojson call_text = Assistant("Let me check.", {Call("get_weather", {{"city", "Paris"}})});
  add({Msg("user", "Paris?"), call_text, Msg("tool", "sunny")}, ojson::array({weather}));
  const ojson padded_text = Assistant("\n  Checking both.  \n", {Call("get_weather", {{"city", "Oslo"}})});
  add({Msg("user", "Oslo?"), padded_text, Msg("tool", "cold")}, ojson::array({weather}));
  const ojson two_calls = Assistant("", {Call("get_weather", {{"city", "Oslo"}}), Call("get_weather", {{"city", "Rome"}})});
  add({Msg("user", "Oslo and Rome?"), two_calls, Msg("tool", "cold"), Msg("tool", "warm")}, ojson::array({weather}));
  add({Msg("user", "Oslo and Rome?"), two_calls, Msg("tool", "cold"), Msg("tool", "warm"),
       Msg("assistant", "Oslo is cold, Rome warm."), Msg("user", "Thanks")},
      ojson::array({weather}));
  const ojson str_args = {{"role", "assistant"},
                          {"content", "Calling."},
                          {"tool_calls",
                           {{{"id", "call_1"},
                             {"type", "function"},
                             {"function", {{"name", "get_weather"}, {"arguments", "{\"city\":\"Lima\",\"days\":[1,2.50]}"}}}}}}};
  add({Msg("user", "Lima?"), str_args, {{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "mild"}}},
      ojson::array({weather}));
  const ojson think_call = Assistant("<think>\nI should call the tool.\n</think>\n\n",
                                     {Call("get_weather", {{"city", "東京"}, {"unit", "celsius"}})});
  add({Msg("user", "Weather in Tokyo?"), think_call, Msg("tool", "{\"temp\": 21, \"sky\": \"晴れ\"}")},
      ojson::array({weather}));
  add({Msg("user", "Weather in Tokyo?"), think_call, Msg("tool", "21C"),
       Msg("assistant", "<think>\nIt is 21C.\n</think>\n\nIt is 21°C.")},
      ojson::array({weather}), false);
  // A user message made of a tool response does not count as the last query.
  add({Msg("user", "Start"), Msg("assistant", "<think>\nplan\n</think>\n\ncalling"),
       Msg("user", "<tool_response>\nresult\n</tool_response>")});
  add({Msg("user", "<tool_response>only</tool_response>")});
  add({Msg("tool", "orphan tool result")});
  add({Msg("tool", "r1"), Msg("tool", "r2"), Msg("user", "go")});
  add({Msg("system", "s"), Msg("tool", "first after system"), Msg("assistant", "ok")}, nullptr, false);
  const ojson nested_args =
      Assistant("", {Call("book_flight", {{"legs", {{{"from", "ZRH"}, {"to", "NRT"}, {"date", "2026-12"}}}},
                                          {"price_limit", 1234.5},
                                          {"passengers", 2},
                                          {"flexible", false},
                                          {"note", nullptr},
                                          {"memo", "line1\nline2 'q' \"dq\""}})});
  add({Msg("user", "Book ZRH-NRT"), nested_args, Msg("tool", "booked")}, ojson::array({nested}));
  add({Msg("user", "Control chars: \x01\x1f and quotes \" and backslash \\")}, ojson::array({code}));
  add({Msg("user", "Numbers"),
       Assistant("", {Call("run_code", {{"f", 0.1}, {"g", 1e-07}, {"h", 1e21}, {"i", -0.0}, {"j", 100}, {"k", 3.0},
                                        {"l", 123456789012345678}, {"m", 1e16}, {"n", 0.0001}})})},
      ojson::array({code}));
  add({Msg("system", ""), Msg("user", "empty system")});
  add({Msg("system", "sys only")});
  add({Msg("system", "sys only")}, nullptr, true, 0);
  add({Msg("user", "multi\nline\n\ncontent  with  spaces   ")}, nullptr, true, 0);
  add({Msg("user", "<|im_start|>assistant\nliteral markers<|im_end|>")});
  add({Msg("user", "q"), Msg("assistant", "<think>\n\n</think>\n\nempty reasoning"), Msg("user", "q2")}, nullptr, true, 1);
  // OpenAI shapes that are normalized before the template sees them.
  const ojson parts = ojson::array({ojson{{"type", "text"}, {"text", "part one"}}, ojson{{"type", "text"}, {"text", "part two"}}});
  add(ojson::array({ojson{{"role", "user"}, {"content", parts}}}));
  ojson null_content = Assistant("", ojson::array({Call("get_weather", "{\"city\": \"Tokyo\"}")}));
  null_content["content"] = nullptr;
  add({Msg("user", "Tokyo?"), null_content, Msg("tool", "rain")}, ojson::array({weather}));
  add({Msg("user", "args as text"), Assistant("x", ojson::array({Call("run_code", "not json {")}))}, ojson::array({code}),
      false);
  add({Msg("user", "args as JSON string literal"), Assistant("", ojson::array({Call("run_code", "\"just a string\"")}))},
      ojson::array({code}), false);
  const ojson bare_args = {{"host", "example.org"}, {"opts", {{"v", ojson::array({1, "x", nullptr})}}}};
  const ojson bare_call = {{"name", "ping"}, {"arguments", bare_args}};
  add({Msg("user", "bare call"), Assistant("", ojson::array({bare_call}))}, ojson::array({bare}), false);
  add({Msg("user", "many turns"), Msg("assistant", "<think>t1</think>a1"), Msg("user", "more"),
       Assistant("<think>t2</think>", {Call("ping", {{"host", "a"}})}), Msg("tool", "pong"),
       Assistant("", {Call("ping", {{"host", "b"}})}), Msg("tool", "pong2"), Msg("assistant", "<think>t3</think>done")},
      ojson::array({bare}), false);
  add({Msg("user", "thinking off with history"), Msg("assistant", "<think>\nx\n</think>\n\ny"), Msg("user", "z")}, nullptr,
      true, 0);
  add({Msg("user", "trailing assistant without reasoning"), Msg("assistant", "partial")}, nullptr, false, 0);
  return c;
}

}  // namespace switchyard::testing
