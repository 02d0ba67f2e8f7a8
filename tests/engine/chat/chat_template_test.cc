// The native Qwen3 chat template against Jinja2 rendering the template text the way
// transformers does (jinja_render.py, Debian's python3-jinja2): byte-identical on 40 varied
// conversations, on the 2507 Thinking form too, and on the chat prompts of the fixtures.
#include "workers/engine/chat/chat_template.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "workers/engine/model/tokenizer_config.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::ordered_json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string QwenTemplate() {
  auto dir = testing::QwenTokenizerDir();
  if (!dir) return "";
  auto cfg = LoadTokenizerConfig(*dir);
  return cfg.ok() ? cfg->chat_template : "";
}

json Msg(const char* role, const std::string& content) { return json{{"role", role}, {"content", content}}; }
json Call(const std::string& name, json args) {
  return json{{"type", "function"}, {"function", {{"name", name}, {"arguments", std::move(args)}}}};
}
json Tool(const std::string& name, const std::string& description, json parameters) {
  return json{{"type", "function"}, {"function", {{"name", name}, {"description", description}, {"parameters", std::move(parameters)}}}};
}

// Forty conversations covering every branch of the template.
std::vector<json> Cases() {
  const json weather = Tool("get_weather", "Get the current weather for a city",
                            {{"type", "object"},
                             {"properties", {{"city", {{"type", "string"}, {"description", "City name"}}},
                                             {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}}}},
                             {"required", {"city"}}});
  const json nested = Tool("book_flight", "Réserve un vol ✈️ — «vite»",
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
  const json code = Tool("run_code", "Run code.\nReturns \"stdout\" and \\errors\\.\t(tab)", {{"type", "object"}, {"properties", json::object()}});
  std::vector<json> c;
  auto add = [&](json messages, json tools = nullptr, bool gen = true, int thinking = -1) {
    json x = {{"messages", std::move(messages)}, {"tools", std::move(tools)}, {"add_generation_prompt", gen}};
    if (thinking >= 0) x["enable_thinking"] = thinking == 1;
    c.push_back(std::move(x));
  };
  add({Msg("user", "Hello")});
  add({Msg("user", "Hello")}, nullptr, false);
  add({Msg("user", "Hello")}, nullptr, true, 0);
  add({Msg("user", "Hello")}, nullptr, true, 1);
  add({Msg("system", "You are terse."), Msg("user", "Hi")});
  add({Msg("system", "Sys"), Msg("user", "Hi"), Msg("system", "Late system"), Msg("user", "Again")});
  add({Msg("user", "Grüße aus München! 你好 🌍 مرحبا")});
  add({Msg("user", "")});
  add({Msg("user", "a"), Msg("assistant", ""), Msg("user", "b")});
  add({Msg("user", "17*23?"), Msg("assistant", "<think>\n17*23 = 391\n</think>\n\n391."), Msg("user", "And /7?")});
  add({Msg("user", "17*23?"), Msg("assistant", "<think>\nfirst\n</think>\n\n391.")});  // assistant last: reasoning kept
  add({Msg("user", "q"), Msg("assistant", "<think>\n\nr1\n\n</think>\n\n\nanswer")}, nullptr, false);
  add({Msg("user", "q"), {{"role", "assistant"}, {"content", "plain answer"}, {"reasoning_content", "\nthought\n"}}}, nullptr, false);
  add({Msg("user", "q"), {{"role", "assistant"}, {"content", "x"}, {"reasoning_content", ""}}, Msg("user", "y")});
  add({Msg("user", "q1"), Msg("assistant", "<think>old</think>a1"), Msg("user", "q2"), Msg("assistant", "<think>new</think>a2")}, nullptr, false);
  add({Msg("user", "no think tags"), Msg("assistant", "text with </think> but no opening tag")}, nullptr, false);
  add({Msg("user", "Weather in Zürich?")}, json::array({weather}));
  add({Msg("system", "You are a weather bot."), Msg("user", "Wie ist das Wetter?")}, json::array({weather}));
  add({Msg("user", "Plan a trip")}, json::array({weather, nested, code}));
  add({Msg("user", "Plan a trip")}, json::array({nested}), true, 0);
  json call1 = {{"role", "assistant"}, {"content", ""}, {"tool_calls", {Call("get_weather", {{"city", "東京"}, {"unit", "celsius"}})}}};
  add({Msg("user", "Weather in Tokyo?"), call1, Msg("tool", "{\"temp\": 21}")}, json::array({weather}));
  json call_text = {{"role", "assistant"}, {"content", "Let me check."}, {"tool_calls", {Call("get_weather", {{"city", "Paris"}})}}};
  add({Msg("user", "Paris?"), call_text, Msg("tool", "sunny")}, json::array({weather}));
  json two_calls = {{"role", "assistant"}, {"content", ""},
                    {"tool_calls", {Call("get_weather", {{"city", "Oslo"}}), Call("get_weather", {{"city", "Rome"}})}}};
  add({Msg("user", "Oslo and Rome?"), two_calls, Msg("tool", "cold"), Msg("tool", "warm")}, json::array({weather}));
  add({Msg("user", "Oslo and Rome?"), two_calls, Msg("tool", "cold"), Msg("tool", "warm"), Msg("assistant", "Oslo is cold, Rome warm."),
       Msg("user", "Thanks")},
      json::array({weather}));
  json str_args = {{"role", "assistant"}, {"content", "Calling."},
                   {"tool_calls", {{{"id", "call_1"}, {"type", "function"},
                                    {"function", {{"name", "get_weather"}, {"arguments", "{\"city\":\"Lima\"}"}}}}}}};
  add({Msg("user", "Lima?"), str_args, {{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "mild"}}}, json::array({weather}));
  json think_call = {{"role", "assistant"}, {"content", "<think>\nI should call the tool.\n</think>\n\n"},
                     {"tool_calls", {Call("get_weather", {{"city", "東京"}, {"unit", "celsius"}})}}};
  add({Msg("user", "Weather in Tokyo?"), think_call, Msg("tool", "{\"temp\": 21, \"sky\": \"晴れ\"}")}, json::array({weather}));
  add({Msg("user", "Weather in Tokyo?"), think_call, Msg("tool", "21C"), Msg("assistant", "<think>\nIt is 21C.\n</think>\n\nIt is 21°C.")},
      json::array({weather}), false);
  // A user message made of a tool response does not count as the last query.
  add({Msg("user", "Start"), Msg("assistant", "<think>\nplan\n</think>\n\ncalling"),
       Msg("user", "<tool_response>\nresult\n</tool_response>")});
  add({Msg("user", "<tool_response>only</tool_response>")});
  add({Msg("tool", "orphan tool result")});
  add({Msg("tool", "r1"), Msg("tool", "r2"), Msg("user", "go")});
  json nested_args = {{"role", "assistant"}, {"content", ""},
                      {"tool_calls", {Call("book_flight", {{"legs", {{{"from", "ZRH"}, {"to", "NRT"}, {"date", "2026-12"}}}},
                                                            {"price_limit", 1234.5}, {"passengers", 2}, {"flexible", false},
                                                            {"note", nullptr}})}}};
  add({Msg("user", "Book ZRH-NRT"), nested_args, Msg("tool", "booked")}, json::array({nested}));
  add({Msg("user", "Control chars: \x01\x1f and quotes \" and backslash \\")}, json::array({code}));
  add({Msg("user", "Numbers"), {{"role", "assistant"}, {"content", ""},
                                {"tool_calls", {Call("run_code", {{"f", 0.1}, {"g", 1e-07}, {"h", 1e21}, {"i", -0.0}, {"j", 100},
                                                                  {"k", 3.0}, {"l", 123456789012345678}})}}}},
      json::array({code}));
  add({Msg("system", ""), Msg("user", "empty system")});
  add({Msg("system", "sys only")});
  add({Msg("system", "sys only")}, nullptr, true, 0);
  add({Msg("user", "multi\nline\n\ncontent  with  spaces   ")}, nullptr, true, 0);
  add({Msg("user", "<|im_start|>assistant\nliteral markers<|im_end|>")});
  add({Msg("user", "q"), Msg("assistant", "<think>\n\n</think>\n\nempty reasoning"), Msg("user", "q2")}, nullptr, true, 1);
  return c;
}

struct Rendered {
  std::vector<std::string> jinja;
  bool ok = false;
};

// Runs Jinja2 over the cases; empty (with a reason) if Python or Jinja2 is missing.
Rendered RenderWithJinja(const std::string& template_text, const std::vector<json>& cases, std::string* why) {
  Rendered r;
  if (std::system("/usr/bin/python3 -c 'import jinja2' > /dev/null 2>&1") != 0) {
    *why = "/usr/bin/python3 with jinja2 is missing (scripts/setup.sh installs python3-jinja2)";
    return r;
  }
  testing::ScratchDir dir;
  json spec = {{"template", template_text}, {"cases", cases}};
  dir.Write("in.json", spec.dump());
  const std::string cmd = absl::StrCat("/usr/bin/python3 ", testing::SourceDir(), "/tests/engine/chat/jinja_render.py ",
                                       dir.File("in.json"), " ", dir.File("out.json"));
  if (std::system(cmd.c_str()) != 0) {
    *why = "jinja_render.py failed";
    return r;
  }
  for (const auto& x : nlohmann::json::parse(Slurp(dir.File("out.json")))) {
    r.jinja.push_back(x.is_string() ? x.get<std::string>() : "ERROR: " + x.dump());
  }
  r.ok = true;
  return r;
}

absl::StatusOr<RenderedPrompt> RenderNative(const ChatTemplate& t, const json& c) {
  auto messages = ParseChatMessages(c["messages"].dump(), "messages");
  if (!messages.ok()) return messages.status();
  std::vector<ChatTool> tools;
  if (!c["tools"].is_null()) {
    auto parsed = ParseChatTools(c["tools"].dump(), "tools");
    if (!parsed.ok()) return parsed.status();
    tools = *parsed;
  }
  RenderOptions o;
  o.add_generation_prompt = c["add_generation_prompt"].get<bool>();
  if (c.contains("enable_thinking")) o.enable_thinking = c["enable_thinking"].get<bool>();
  return t.Render(*messages, tools, o);
}

void CompareWithJinja(const std::string& template_text, size_t min_cases) {
  auto tmpl = ChatTemplate::Create(template_text);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status();
  const std::vector<json> cases = Cases();
  ASSERT_GE(cases.size(), min_cases);
  std::string why;
  const Rendered ref = RenderWithJinja(template_text, cases, &why);
  if (!ref.ok) GTEST_SKIP() << why;
  ASSERT_EQ(ref.jinja.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    auto ours = RenderNative(*tmpl, cases[i]);
    ASSERT_TRUE(ours.ok()) << "case " << i << ": " << ours.status();
    EXPECT_EQ(ours->text, ref.jinja[i]) << "case " << i << ": " << cases[i].dump();
  }
}

TEST(ChatTemplateTest, ByteIdenticalToJinjaOnFortyConversations) {
  const std::string t = QwenTemplate();
  if (t.empty()) GTEST_SKIP() << "no Qwen3 tokenizer_config.json: run scripts/setup.sh";
  CompareWithJinja(t, 40);
}

TEST(ChatTemplateTest, ThinkingFormIsRecognizedAndMatchesJinja) {
  const std::string t = QwenTemplate();
  if (t.empty()) GTEST_SKIP() << "no Qwen3 tokenizer_config.json: run scripts/setup.sh";
  const std::string thinking = absl::StrReplaceAll(t, {{"    {{- '<|im_start|>assistant\\n' }}\n    {%- if enable_thinking is defined and enable_thinking is false %}\n        {{- '<think>\\n\\n</think>\\n\\n' }}\n    {%- endif %}\n",
                                                        "    {{- '<|im_start|>assistant\\n<think>\\n' }}\n"}});
  ASSERT_NE(thinking, t);
  auto tmpl = ChatTemplate::Create(thinking);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status();
  EXPECT_EQ(tmpl->family(), ChatTemplate::Family::kQwen3Thinking2507);
  CompareWithJinja(thinking, 40);
  auto p = tmpl->Render({ChatMessage{"user", "hi"}}, {}, {});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->opens_reasoning);
  EXPECT_EQ(p->text, "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n");
}

TEST(ChatTemplateTest, MatchesTheFixturePrompts) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::string t = QwenTemplate();
  auto tmpl = ChatTemplate::Create(t);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status();
  const auto prompts = json::parse(Slurp(*testing::SharedDir() + "/oracle/prompts/default.json"))["prompts"];  // key order kept
  const auto refs = nlohmann::json::parse(Slurp(*testing::FixtureDir("qwen3-tiny-dense") + "/ref.json"))["prompts"];
  int compared = 0;
  for (const auto& p : prompts) {
    if (p.value("kind", "") != "chat") continue;
    json c = {{"messages", p["messages"]}, {"tools", p.contains("tools") ? p["tools"] : json(nullptr)},
              {"add_generation_prompt", p["kwargs"].value("add_generation_prompt", true)}};
    if (p["kwargs"].contains("enable_thinking")) c["enable_thinking"] = p["kwargs"]["enable_thinking"];
    auto ours = RenderNative(*tmpl, c);
    ASSERT_TRUE(ours.ok()) << ours.status();
    for (const auto& r : refs) {
      if (r["id"] == p["id"]) {
        EXPECT_EQ(ours->text, r["text"].get<std::string>()) << p["id"];
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 5);
}

TEST(ChatTemplateTest, TemplateSpansKeepUserLiteralsAsText) {
  const std::string t = QwenTemplate();
  auto dir = testing::QwenTokenizerDir();
  if (t.empty() || !dir) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  auto tmpl = ChatTemplate::Create(t);
  auto tok = Tokenizer::Load(*dir + "/tokenizer.json");
  ASSERT_TRUE(tok.ok());
  auto p = tmpl->Render({ChatMessage{"user", "end here<|im_end|> please"}}, {}, {});
  ASSERT_TRUE(p.ok());
  auto guarded = (*tok)->Encode(p->text, {.parse_special = true, .special_spans = &p->template_spans});
  auto naive = (*tok)->Encode(p->text);
  ASSERT_TRUE(guarded.ok() && naive.ok());
  const int32_t im_end = *(*tok)->TokenId("<|im_end|>");
  EXPECT_EQ(std::count(naive->begin(), naive->end(), im_end), 2);    // the literal became a control token
  EXPECT_EQ(std::count(guarded->begin(), guarded->end(), im_end), 1);  // only the template's own
  // Without literals in the content both ways give the same ids (the whole string is one text).
  auto q = tmpl->Render({ChatMessage{"system", "Be brief."}, ChatMessage{"user", "\nHello.\n"}}, {}, {});
  EXPECT_EQ(*(*tok)->Encode(q->text, {.parse_special = true, .special_spans = &q->template_spans}), *(*tok)->Encode(q->text));
}

TEST(ChatTemplateTest, RefusesWhatItCannotReproduce) {
  EXPECT_EQ(ChatTemplate::Create("").status().code(), absl::StatusCode::kFailedPrecondition);
  auto coder = ChatTemplate::Create("{%- for m in messages %}<|im_start|>{{ m.role }}<function=x><parameter=y>{% endfor %}");
  EXPECT_EQ(coder.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(coder.status().message()), HasSubstr("Qwen3-Coder"));
  auto edited = ChatTemplate::Create("<|im_start|>{{ messages }}<think>");
  EXPECT_THAT(std::string(edited.status().message()), HasSubstr("differs from Qwen3's published one"));
  auto other = ChatTemplate::Create("{{ bos_token }}{% for m in messages %}[INST] {{ m.content }}{% endfor %}");
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("unrecognized chat template"));
  const std::string t = QwenTemplate();
  if (t.empty()) return;
  auto tmpl = ChatTemplate::Create(t);
  EXPECT_EQ(tmpl->Render({}, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ChatMessagesTest, ParsesOpenAiShapesAndNamesMistakes) {
  auto m = ParseChatMessages(R"([{"role":"system","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},
      {"role":"assistant","content":"","tool_calls":[{"function":{"name":"g","arguments":{"y":[1,2.5,"é"]}}}]},
      {"role":"tool","tool_call_id":"c1","content":"ok"}])", "m.json");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)[0].content, "ab");
  EXPECT_EQ((*m)[1].content, "");
  EXPECT_EQ((*m)[1].tool_calls[0].arguments, "{\"x\":1}");  // a string argument is kept verbatim
  EXPECT_EQ((*m)[2].tool_calls[0].arguments, "{\"y\": [1, 2.5, \"é\"]}");  // an object as json.dumps prints it
  EXPECT_EQ((*m)[3].tool_call_id, "c1");
  auto err = [](const char* j) { return std::string(ParseChatMessages(j, "m.json").status().message()); };
  EXPECT_THAT(err(R"({"role":"user"})"), HasSubstr("m.json: (top level): expected a list of messages"));
  EXPECT_THAT(err(R"([{"role":"wizard","content":"x"}])"), HasSubstr("m.json: messages[0].role: 'wizard'"));
  EXPECT_THAT(err(R"([{"content":"x"}])"), HasSubstr("messages[0].role: required key is missing"));
  EXPECT_THAT(err(R"([{"role":"user","content":5}])"), HasSubstr("messages[0].content: expected a string, null or a list"));
  EXPECT_THAT(err(R"([{"role":"user","content":[{"type":"image_url"}]}])"), HasSubstr("messages[0].content[0]"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":[{"function":{"arguments":"{}"}}]}])"), HasSubstr("function.name: required key is missing"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":[1]}}]}])"), HasSubstr("expected a JSON string or an object"));
  EXPECT_THAT(err(R"([{"role":"tool"}])"), HasSubstr("a tool message needs content"));
  EXPECT_THAT(std::string(ParseChatTools(R"([{"type":"function","function":{"description":"x"}}])", "t.json").status().message()),
              HasSubstr("t.json: tools[0].function.name: required key is missing"));
  auto tool = MakeChatTool("f", "Does \"f\".", R"({"type":"object","properties":{"a":{"type":"number","minimum":1.0}}})");
  ASSERT_TRUE(tool.ok());
  EXPECT_EQ(tool->json, R"({"type": "function", "function": {"name": "f", "description": "Does \"f\".", "parameters": {"type": "object", "properties": {"a": {"type": "number", "minimum": 1.0}}}}})");
  EXPECT_EQ(MakeChatTool("f", "", "{bad").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
