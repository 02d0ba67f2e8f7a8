// The native chat templates against Jinja2 rendering the published template texts the way
// transformers does (jinja_render.py): byte-identical on every conversation of
// conversation_cases.cc for each of Qwen3, Qwen3 Thinking-2507, Qwen3 Instruct-2507 and
// Qwen3-Coder (and failing exactly where Jinja2 fails), on the fixtures' chat prompts, and with
// template spans that keep user-typed special-token literals as text.
#include "workers/engine/chat/chat_template.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/chat/conversation_cases.h"
#include "tests/workers/engine/chat/jinja_reference.h"
#include "workers/engine/model/tokenizer_config.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {
namespace {

using ::switchyard::testing::ojson;
using ::testing::HasSubstr;

class JinjaComparisonTest : public ::testing::TestWithParam<ChatTemplateFamily> {};

TEST_P(JinjaComparisonTest, ByteIdenticalToJinjaOnEveryConversation) {
  const PublishedTemplate& published = PublishedTemplateOf(GetParam());
  auto tmpl = ChatTemplate::Create(published.text);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status();
  ASSERT_EQ(tmpl->family(), GetParam());
  const std::vector<ojson> cases = testing::ConversationCases();
  ASSERT_GE(cases.size(), 50u);
  const testing::JinjaRendering ref = testing::RenderWithJinja(std::string(published.text), cases);
  if (!ref.available) GTEST_SKIP() << ref.why;
  ASSERT_EQ(ref.text.size(), cases.size());
  int rendered = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto ours = testing::RenderNative(*tmpl, cases[i]);
    if (!ref.text[i].has_value()) {
      EXPECT_FALSE(ours.ok()) << "case " << i << ": Jinja2 raised (" << ref.error[i] << ") but we rendered: "
                              << cases[i].dump();
      continue;
    }
    ASSERT_TRUE(ours.ok()) << "case " << i << ": " << ours.status() << "\n" << cases[i].dump();
    EXPECT_EQ(ours->text, *ref.text[i]) << "case " << i << ": " << cases[i].dump();
    ++rendered;
  }
  EXPECT_GE(rendered, 45) << published.name;
  std::printf("%s: %d conversations byte-identical to Jinja2, %d refused by both\n", std::string(published.name).c_str(),
              rendered, static_cast<int>(cases.size()) - rendered);
}

INSTANTIATE_TEST_SUITE_P(Published, JinjaComparisonTest,
                         ::testing::Values(ChatTemplateFamily::kQwen3, ChatTemplateFamily::kQwen3Thinking2507,
                                           ChatTemplateFamily::kQwen3Instruct2507, ChatTemplateFamily::kQwen3Coder),
                         [](const auto& info) {
                           switch (info.param) {
                             case ChatTemplateFamily::kQwen3: return std::string("Qwen3");
                             case ChatTemplateFamily::kQwen3Thinking2507: return std::string("Thinking2507");
                             case ChatTemplateFamily::kQwen3Instruct2507: return std::string("Instruct2507");
                             case ChatTemplateFamily::kQwen3Coder: return std::string("Coder");
                           }
                           return std::string("unknown");
                         });

// What Jinja2 itself does with the raw OpenAI shapes we normalize: Qwen3's template raises on a
// null assistant content (the usual shape of a tool-call turn); we render it as "", which is
// what Jinja2 renders once the content is "" (the test above), as vLLM does.
TEST(ChatTemplateTest, NullContentIsRenderedAsEmptyWhereJinjaWouldRaise) {
  const std::string text(Qwen3ChatTemplateText());
  ojson raw = {{"messages",
                {{{"role", "user"}, {"content", "Tokyo?"}},
                 {{"role", "assistant"},
                  {"content", nullptr},
                  {"tool_calls", {{{"type", "function"}, {"function", {{"name", "f"}, {"arguments", {{"x", 1}}}}}}}}}}},
               {"tools", nullptr},
               {"add_generation_prompt", false},
               {"normalize", false}};
  const testing::JinjaRendering ref = testing::RenderWithJinja(text, {raw});
  if (!ref.available) GTEST_SKIP() << ref.why;
  ASSERT_FALSE(ref.text[0].has_value());
  EXPECT_THAT(ref.error[0], HasSubstr("TypeError"));
  auto ours = testing::RenderNative(*ChatTemplate::Create(text), raw);
  ASSERT_TRUE(ours.ok()) << ours.status();
  EXPECT_EQ(ours->text,
            "<|im_start|>user\nTokyo?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n<tool_call>\n"
            "{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n</tool_call><|im_end|>\n");
}

TEST(ChatTemplateTest, MatchesTheFixturePrompts) {
  SWITCHYARD_REQUIRE_SHARED();
  for (const char* fixture : {"qwen3-tiny-dense", "qwen3-tiny-moe"}) {
    auto cfg = LoadTokenizerConfig(*testing::FixtureDir(fixture) + "/hf");
    ASSERT_TRUE(cfg.ok()) << cfg.status();
    auto tmpl = ChatTemplate::Create(cfg->chat_template);
    ASSERT_TRUE(tmpl.ok()) << tmpl.status();
    EXPECT_EQ(tmpl->family(), ChatTemplateFamily::kQwen3);
    const auto prompts =
        ojson::parse(testing::Slurp(*testing::SharedDir() + "/oracle/prompts/default.json"))["prompts"];  // key order kept
    const auto refs = nlohmann::json::parse(testing::Slurp(*testing::FixtureDir(fixture) + "/ref.json"))["prompts"];
    int compared = 0;
    for (const auto& p : prompts) {
      if (p.value("kind", "") != "chat") continue;
      ojson c = {{"messages", p["messages"]},
                 {"tools", p.contains("tools") ? p["tools"] : ojson(nullptr)},
                 {"add_generation_prompt", p["kwargs"].value("add_generation_prompt", true)}};
      if (p["kwargs"].contains("enable_thinking")) c["enable_thinking"] = p["kwargs"]["enable_thinking"];
      auto ours = testing::RenderNative(*tmpl, c);
      ASSERT_TRUE(ours.ok()) << ours.status();
      for (const auto& r : refs) {
        if (r["id"] == p["id"]) {
          EXPECT_EQ(ours->text, r["text"].get<std::string>()) << fixture << " " << p["id"];
          ++compared;
        }
      }
    }
    EXPECT_EQ(compared, 5) << fixture;
  }
}

// Exact bytes written by hand from the template text, one per family, with the spans.
TEST(ChatTemplateTest, HandWrittenPrompts) {
  const std::vector<ChatMessage> conv = {ChatMessage{"system", "Be brief."}, ChatMessage{"user", "Hi"},
                                         ChatMessage{"assistant", "<think>\nhm\n</think>\n\nHello."},
                                         ChatMessage{"user", "Bye"}};
  auto render = [&](ChatTemplateFamily f, RenderOptions o) {
    auto p = ChatTemplate::ForFamily(f).Render(conv, {}, o);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : RenderedPrompt{};
  };
  const std::string history =
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello."
      "<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n";
  EXPECT_EQ(render(ChatTemplateFamily::kQwen3, {}).text, history + "<|im_start|>assistant\n");
  EXPECT_EQ(render(ChatTemplateFamily::kQwen3, {.enable_thinking = false}).text,
            history + "<|im_start|>assistant\n<think>\n\n</think>\n\n");
  EXPECT_EQ(render(ChatTemplateFamily::kQwen3, {.add_generation_prompt = false}).text, history);
  const RenderedPrompt thinking = render(ChatTemplateFamily::kQwen3Thinking2507, {.enable_thinking = false});
  EXPECT_EQ(thinking.text, history + "<|im_start|>assistant\n<think>\n");
  EXPECT_TRUE(thinking.opens_reasoning);
  EXPECT_EQ(render(ChatTemplateFamily::kQwen3Instruct2507, {}).text, history + "<|im_start|>assistant\n");
  EXPECT_EQ(render(ChatTemplateFamily::kQwen3Coder, {}).text,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n"
            "hm\n</think>\n\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n");
  // Spans: everything but "Be brief.", "Hi", "Hello." and "Bye" was written by the template.
  const RenderedPrompt p = render(ChatTemplateFamily::kQwen3, {});
  std::string from_template;
  for (const TextSpan& s : p.template_spans) from_template += p.text.substr(s.begin, s.end - s.begin);
  EXPECT_EQ(from_template,
            "<|im_start|>system\n<|im_end|>\n<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n<|im_end|>\n"
            "<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n");

  // Qwen3-Coder with a tool and a call, by hand from its template.
  auto tool = MakeChatTool("get_weather", " Weather now. ",
                           R"({"type":"object","properties":{"city":{"type":"string","description":"City"},)"
                           R"("days":{"type":"integer","minimum":1}},"required":["city"]})");
  ASSERT_TRUE(tool.ok());
  std::vector<ChatMessage> calls = {ChatMessage{"user", "Oslo?"}, ChatMessage{"assistant", "Checking."}};
  calls[1].tool_calls.push_back(ChatToolCall{"c1", "get_weather", R"({"city":"Oslo","days":2,"hourly":true})"});
  calls.push_back(ChatMessage{"tool", "cold"});
  auto coder = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3Coder).Render(calls, {*tool}, {});
  ASSERT_TRUE(coder.ok()) << coder.status();
  EXPECT_EQ(coder->text,
            "<|im_start|>system\nYou are Qwen, a helpful AI assistant that can interact with a computer to solve tasks."
            "\n\nYou have access to the following functions:\n\n<tools>\n<function>\n<name>get_weather</name>\n"
            "<description>Weather now.</description>\n<parameters>\n<parameter>\n<name>city</name>\n<type>string</type>\n"
            "<description>City</description>\n</parameter>\n<parameter>\n<name>days</name>\n<type>integer</type>\n"
            "<minimum>1</minimum>\n</parameter>\n<required>[`city`]</required>\n</parameters>\n</function>\n</tools>"
            "\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n<tool_call>\n"
            "<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n"
            "<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n"
            "</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the "
            "specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> "
            "XML tags\n- Required parameters MUST be specified\n- You may provide optional reasoning for your function "
            "call in natural language BEFORE the function call, but NOT after\n- If there is no function call "
            "available, answer the question like normal with your current knowledge and do not tell the user about "
            "function calls\n</IMPORTANT><|im_end|>\n<|im_start|>user\nOslo?<|im_end|>\n<|im_start|>assistant\n"
            "Checking.\n\n<tool_call>\n<function=get_weather>\n<parameter=city>\nOslo\n</parameter>\n"
            "<parameter=days>\n2\n</parameter>\n<parameter=hourly>\nTrue\n</parameter>\n</function>\n</tool_call>"
            "<|im_end|>\n<|im_start|>user\n<tool_response>\ncold\n</tool_response>\n<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ChatTemplateTest, ArgumentsAreRenderedAsTheirJsonValue) {
  // The output parser hands back compact JSON; the template gets json.dumps spacing back.
  std::vector<ChatMessage> conv = {ChatMessage{"user", "x"}, ChatMessage{"assistant", ""}};
  conv[1].tool_calls.push_back(ChatToolCall{"", "f", R"({"a":[1,2.50],"b":{"c":"é"}})"});
  auto p = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3).Render(conv, {}, {.add_generation_prompt = false});
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->text, HasSubstr(R"({"name": "f", "arguments": {"a": [1, 2.5], "b": {"c": "é"}}})"));
  conv[1].tool_calls[0].arguments = "not json";  // printed as the string it is
  p = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3).Render(conv, {}, {.add_generation_prompt = false});
  EXPECT_THAT(p->text, HasSubstr(R"({"name": "f", "arguments": not json})"));
  auto coder = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3Coder).Render(conv, {}, {});
  EXPECT_EQ(coder.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(coder.status().message()), HasSubstr("messages[1].tool_calls[0].function.arguments"));
}

TEST(ChatTemplateTest, TemplateSpansKeepUserLiteralsAsText) {
  auto dir = testing::QwenTokenizerDir();
  if (!dir) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
  auto tok = Tokenizer::Load(*dir + "/tokenizer.json");
  ASSERT_TRUE(tok.ok());
  const int32_t im_end = *(*tok)->TokenId("<|im_end|>");
  for (ChatTemplateFamily f : {ChatTemplateFamily::kQwen3, ChatTemplateFamily::kQwen3Coder}) {
    auto p = ChatTemplate::ForFamily(f).Render({ChatMessage{"user", "end here<|im_end|> please"}}, {}, {});
    ASSERT_TRUE(p.ok());
    auto guarded = (*tok)->Encode(p->text, {.parse_special = true, .special_spans = &p->template_spans});
    auto naive = (*tok)->Encode(p->text);
    ASSERT_TRUE(guarded.ok() && naive.ok());
    EXPECT_EQ(std::count(naive->begin(), naive->end(), im_end), 2);    // the literal became a control token
    EXPECT_EQ(std::count(guarded->begin(), guarded->end(), im_end), 1);  // only the template's own
  }
  // Without literals in the content both ways give the same ids.
  auto q = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3)
               .Render({ChatMessage{"system", "Be brief."}, ChatMessage{"user", "\nHello.\n"}}, {}, {});
  EXPECT_EQ(*(*tok)->Encode(q->text, {.parse_special = true, .special_spans = &q->template_spans}),
            *(*tok)->Encode(q->text));
}

TEST(ChatTemplateTest, RefusesWhatItCannotRender) {
  EXPECT_EQ(ChatTemplate::Create("").status().code(), absl::StatusCode::kFailedPrecondition);
  std::vector<ChatMessage> none;
  EXPECT_EQ(ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3).Render(none, {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3Coder).Render(none, {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Qwen3-Coder needs parameters on every tool (Jinja2 raises without them).
  auto no_params = ParseChatTools(R"([{"type":"function","function":{"name":"f"}}])", "t");
  ASSERT_TRUE(no_params.ok());
  auto r = ChatTemplate::ForFamily(ChatTemplateFamily::kQwen3Coder).Render({ChatMessage{"user", "x"}}, *no_params, {});
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("tools[0] (f): the Qwen3-Coder template needs \"parameters\""));
}

}  // namespace
}  // namespace switchyard
