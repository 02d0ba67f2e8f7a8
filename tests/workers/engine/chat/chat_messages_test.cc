// OpenAI-shaped messages and tools: the shapes clients send, their normalization, and errors
// that name the message index and the key.
#include "workers/engine/chat/chat_messages.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(ChatMessagesTest, ParsesOpenAiShapes) {
  auto m = ParseChatMessages(
      R"([{"role":"system","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},
      {"role":"assistant","content":"","reasoning_content":"why","tool_calls":[{"function":{"name":"g","arguments":{"y":[1,2.5,"é"],"y":0}}}]},
      {"role":"assistant","tool_calls":[{"name":"bare","arguments":null}]},
      {"role":"tool","tool_call_id":"c1","name":"f","content":"ok"},
      {"role":"tool","content":null},
      {"role":"user","content":[]}])",
      "m.json");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 7u);
  EXPECT_EQ((*m)[0].content, "a\nb");  // text parts joined by "\n", as vLLM does
  EXPECT_EQ((*m)[1].content, "");      // null content
  EXPECT_FALSE((*m)[1].reasoning_content.has_value());
  EXPECT_EQ((*m)[1].tool_calls[0].id, "c1");
  EXPECT_EQ((*m)[1].tool_calls[0].arguments, "{\"x\":1}");  // a string argument is kept as sent
  EXPECT_EQ((*m)[2].reasoning_content, "why");
  EXPECT_EQ((*m)[2].tool_calls[0].arguments, "{\"y\": 0}");  // an object as json.dumps prints it (dict semantics)
  EXPECT_EQ((*m)[3].tool_calls[0].name, "bare");
  EXPECT_EQ((*m)[3].tool_calls[0].arguments, "{}");
  EXPECT_EQ((*m)[4].tool_call_id, "c1");
  EXPECT_EQ((*m)[4].name, "f");
  EXPECT_EQ((*m)[5].content, "");
  EXPECT_EQ((*m)[6].content, "");
}

TEST(ChatMessagesTest, NamesMistakes) {
  auto err = [](const char* j) { return std::string(ParseChatMessages(j, "m.json").status().message()); };
  EXPECT_THAT(err("not json"), HasSubstr("m.json"));
  EXPECT_THAT(err(R"({"role":"user"})"), HasSubstr("m.json: (top level): expected a list of messages"));
  EXPECT_THAT(err(R"([1])"), HasSubstr("m.json: messages[0]: expected an object"));
  EXPECT_THAT(err(R"([{"role":"user","content":"a"},{"role":"wizard","content":"x"}])"),
              HasSubstr("m.json: messages[1].role: 'wizard' (use system, user, assistant or tool)"));
  EXPECT_THAT(err(R"([{"content":"x"}])"), HasSubstr("messages[0].role: required key is missing"));
  EXPECT_THAT(err(R"([{"role":"user","content":5}])"),
              HasSubstr("messages[0].content: expected a string, null or a list of text parts, got integer"));
  EXPECT_THAT(err(R"([{"role":"user","content":[{"type":"image_url"}]}])"), HasSubstr("messages[0].content[0]"));
  EXPECT_THAT(err(R"([{"role":"assistant","reasoning_content":7}])"), HasSubstr("messages[0].reasoning_content"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":{}}])"), HasSubstr("messages[0].tool_calls"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":[5]}])"), HasSubstr("messages[0].tool_calls[0]: expected an object"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":[{"function":{"arguments":"{}"}}]}])"),
              HasSubstr("messages[0].tool_calls[0].function.name: required key is missing"));
  EXPECT_THAT(err(R"([{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":[1]}}]}])"),
              HasSubstr("expected a JSON string or an object, got array"));
  EXPECT_THAT(err(R"([{"role":"tool","tool_call_id":3,"content":"x"}])"), HasSubstr("messages[0].tool_call_id"));
}

TEST(ChatMessagesTest, ParsesTools) {
  auto tools = ParseChatTools(
      R"([{"type":"function","function":{"name":"f","description":"Ré","parameters":{"type":"object","b":1e-6,"a":{}}}},
          {"name":"bare","parameters":{}}])",
      "t.json");
  ASSERT_TRUE(tools.ok()) << tools.status();
  ASSERT_EQ(tools->size(), 2u);
  EXPECT_EQ((*tools)[0].name, "f");
  EXPECT_EQ((*tools)[0].json,
            R"({"type": "function", "function": {"name": "f", "description": "Ré", "parameters": {"type": "object", "b": 1e-06, "a": {}}}})");
  EXPECT_EQ((*tools)[1].name, "bare");
  EXPECT_EQ((*tools)[1].json, R"({"name": "bare", "parameters": {}})");
  auto err = [](const char* j) { return std::string(ParseChatTools(j, "t.json").status().message()); };
  EXPECT_THAT(err(R"({})"), HasSubstr("t.json: (top level): expected a list of tools"));
  EXPECT_THAT(err(R"([[]])"), HasSubstr("t.json: tools[0]: expected an object"));
  EXPECT_THAT(err(R"([{"type":"function","function":{"description":"x"}}])"),
              HasSubstr("t.json: tools[0].function.name: required key is missing"));
  EXPECT_THAT(err(R"([{"type":"function","function":"f"}])"), HasSubstr("tools[0].function"));
}

TEST(ChatMessagesTest, MakesTools) {
  auto tool = MakeChatTool("f", "Does \"f\".", R"({"type":"object","properties":{"a":{"type":"number","minimum":1.0}}})");
  ASSERT_TRUE(tool.ok());
  EXPECT_EQ(tool->json,
            R"({"type": "function", "function": {"name": "f", "description": "Does \"f\".", "parameters": {"type": "object", "properties": {"a": {"type": "number", "minimum": 1.0}}}}})");
  EXPECT_EQ(MakeChatTool("g", "", "")->json,
            R"({"type": "function", "function": {"name": "g", "description": "", "parameters": {}}})");
  EXPECT_EQ(MakeChatTool("f", "", "{bad").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
