#include "router/gateway/openai_request.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard::gateway {
namespace {

using ::testing::HasSubstr;

const ModelCatalog& Catalog() {
  static const ModelCatalog catalog(std::map<std::string, std::string>{{"gpt-4o", "reasoning"}, {"gpt-4o-mini", "auto"}});
  return catalog;
}

absl::StatusOr<ChatCompletionRequest> Parse(const std::string& body) { return ParseChatCompletionRequest(body, Catalog()); }

TEST(OpenAiRequestTest, TranslatesAFullRequest) {
  auto r = Parse(R"({
    "model": "gpt-4o",
    "messages": [
      {"role": "developer", "content": "Be brief."},
      {"role": "user", "content": [{"type": "text", "text": "What is "}, {"type": "text", "text": "2+2?"}]},
      {"role": "assistant", "content": null, "reasoning_content": "add",
       "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "calc", "arguments": "{\"x\": 2}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "name": "calc", "content": "4"}
    ],
    "tools": [{"type": "function", "function": {"name": "calc", "description": "adds",
               "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}}}}],
    "tool_choice": {"type": "function", "function": {"name": "calc"}},
    "temperature": 0.5, "top_p": 0.9, "max_tokens": 10, "max_completion_tokens": 20, "stop": ["\n\n", "END"],
    "seed": 42, "presence_penalty": 0.5, "frequency_penalty": -0.5, "n": 1,
    "stream": true, "stream_options": {"include_usage": true}, "user": "ignored", "parallel_tool_calls": true,
    "switchyard": {"router_tools": ["search_documents"], "documents": [{"name": "a.txt", "text": "alpha"}],
                   "limits": {"max_steps": 3, "max_tokens": 5000}, "enable_thinking": false}
  })");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "gpt-4o");
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->include_usage);
  EXPECT_EQ(r->client_tools, std::vector<std::string>{"calc"});
  const v1::ChatRequest& c = r->chat;
  EXPECT_EQ(c.route(), "reasoning");
  ASSERT_EQ(c.messages_size(), 4);
  EXPECT_EQ(c.messages(0).role(), v1::ChatMessage::SYSTEM);
  EXPECT_EQ(c.messages(1).content(), "What is 2+2?");
  EXPECT_EQ(c.messages(2).role(), v1::ChatMessage::ASSISTANT);
  EXPECT_EQ(c.messages(2).content(), "");
  EXPECT_EQ(c.messages(2).reasoning_content(), "add");
  ASSERT_EQ(c.messages(2).tool_calls_size(), 1);
  EXPECT_EQ(c.messages(2).tool_calls(0).id(), "call_1");
  EXPECT_EQ(c.messages(2).tool_calls(0).name(), "calc");
  EXPECT_EQ(c.messages(2).tool_calls(0).arguments_json(), "{\"x\": 2}");
  EXPECT_EQ(c.messages(3).role(), v1::ChatMessage::TOOL);
  EXPECT_EQ(c.messages(3).tool_call_id(), "call_1");
  EXPECT_EQ(c.messages(3).name(), "calc");
  ASSERT_EQ(c.tools_size(), 1);
  EXPECT_EQ(c.tools(0).description(), "adds");
  EXPECT_EQ(c.tools(0).parameters_json_schema(), R"({"properties":{"x":{"type":"integer"}},"type":"object"})");
  EXPECT_EQ(c.tool_choice().mode(), v1::ToolChoice::FUNCTION);
  EXPECT_EQ(c.tool_choice().function_name(), "calc");
  EXPECT_FLOAT_EQ(c.sampling().temperature(), 0.5f);
  EXPECT_FLOAT_EQ(c.sampling().top_p(), 0.9f);
  EXPECT_EQ(c.sampling().max_tokens(), 20);  // max_completion_tokens wins
  EXPECT_EQ(c.sampling().stop_size(), 2);
  EXPECT_EQ(c.sampling().seed(), 42u);
  EXPECT_FLOAT_EQ(c.sampling().presence_penalty(), 0.5f);
  EXPECT_FLOAT_EQ(c.sampling().frequency_penalty(), -0.5f);
  EXPECT_FALSE(c.sampling().has_top_k());
  EXPECT_EQ(c.router_tools_size(), 1);
  EXPECT_EQ(c.documents(0).name(), "a.txt");
  EXPECT_EQ(c.limits().max_steps(), 3);
  EXPECT_EQ(c.limits().max_tokens(), 5000);
  EXPECT_FALSE(c.limits().has_max_seconds());
  EXPECT_TRUE(c.has_enable_thinking());
  EXPECT_FALSE(c.enable_thinking());
}

// vLLM takes a client's cache_salt; here the router salts by tenant and no field of the body
// reaches the salt: the request is the same, byte for byte, with or without one.
TEST(OpenAiRequestTest, AClientsCacheSaltIsIgnored) {
  const std::string base = R"("model": "auto", "messages": [{"role": "user", "content": "hi"}])";
  auto plain = Parse("{" + base + "}");
  auto salted = Parse("{" + base + R"(, "cache_salt": "another tenant's salt", "user": "acme"})");
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(salted.ok()) << salted.status();
  EXPECT_EQ(salted->chat.SerializeAsString(), plain->chat.SerializeAsString());
  EXPECT_TRUE(salted->chat.GetReflection()->GetUnknownFields(salted->chat).empty());
}

TEST(OpenAiRequestTest, ModelsMapToRoutes) {
  for (const auto& [model, route] : std::vector<std::pair<std::string, std::string>>{
           {"auto", "auto"}, {"reasoning", "reasoning"}, {"coder", "coder"}, {"translation", "translation"},
           {"gpt-4o", "reasoning"}, {"gpt-4o-mini", "auto"}}) {
    auto r = Parse(R"({"model": ")" + model + R"(", "messages": [{"role": "user", "content": "hi"}]})");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->chat.route(), route);
    EXPECT_FALSE(r->stream);
    EXPECT_FALSE(r->chat.sampling().has_max_tokens());
  }
  auto unknown = Parse(R"({"model": "gpt-5", "messages": [{"role": "user", "content": "hi"}]})");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message(),
            "model: 'gpt-5' does not exist (known: auto, reasoning, coder, translation, gpt-4o, gpt-4o-mini)");
}

TEST(OpenAiRequestTest, ToolChoiceAndResponseFormat) {
  const std::string head = R"({"model": "auto", "messages": [{"role": "user", "content": "hi"}], )";
  const std::string tools = R"("tools": [{"type": "function", "function": {"name": "f"}}], )";
  auto none = Parse(head + tools + R"("tool_choice": "none"})");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->chat.tool_choice().mode(), v1::ToolChoice::NONE);
  EXPECT_EQ(none->chat.tools(0).parameters_json_schema(), R"({"type":"object","properties":{}})");
  auto required = Parse(head + tools + R"("tool_choice": "required"})");
  ASSERT_TRUE(required.ok());
  EXPECT_EQ(required->chat.tool_choice().mode(), v1::ToolChoice::REQUIRED);
  auto automatic = Parse(head + tools + R"("tool_choice": "auto"})");
  ASSERT_TRUE(automatic.ok());
  EXPECT_EQ(automatic->chat.tool_choice().mode(), v1::ToolChoice::AUTO);

  auto object = Parse(head + R"("response_format": {"type": "json_object"}})");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->chat.response_format().type(), v1::ResponseFormat::JSON_OBJECT);
  auto schema = Parse(head + R"("response_format": {"type": "json_schema", "json_schema": {"name": "answer",
      "strict": true, "schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}}})");
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_EQ(schema->chat.response_format().type(), v1::ResponseFormat::JSON_SCHEMA);
  EXPECT_EQ(schema->chat.response_format().name(), "answer");
  EXPECT_EQ(schema->chat.response_format().json_schema(),
            R"({"properties":{"n":{"type":"integer"}},"required":["n"],"type":"object"})");
  auto text = Parse(head + R"("response_format": {"type": "text"}, "chat_template_kwargs": {"enable_thinking": true}})");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->chat.response_format().type(), v1::ResponseFormat::TEXT);
  EXPECT_TRUE(text->chat.enable_thinking());
}

// Every refusal names the field, as OpenAI's `param` does.
TEST(OpenAiRequestTest, ErrorsNameTheField) {
  const std::string user = R"({"role": "user", "content": "hi"})";
  auto body = [&](const std::string& rest) { return R"({"model": "auto", "messages": [)" + user + "]" + rest + "}"; };
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"", "the body is not valid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected "
           "end of input; expected '[', '{', or a literal"},
      {R"({"model": "auto", "messages": [)", "the body is not valid JSON: parse error at line 1, column 32: syntax error while parsing value - unexpected end of input"},
      {"[1, 2]", "the body is not a JSON object"},
      {std::string(100, '['), "the body nests arrays and objects deeper than 64 levels"},
      {R"({"messages": []})", "model: required"},
      {R"({"model": 4, "messages": []})", "model: expected a string"},
      {R"({"model": "auto"})", "messages: required"},
      {R"({"model": "auto", "messages": {}})", "messages: expected an array"},
      {R"({"model": "auto", "messages": []})", "messages: empty (at least one message)"},
      {R"({"model": "auto", "messages": [3]})", "messages[0]: expected an object"},
      {R"({"model": "auto", "messages": [{"content": "x"}]})", "messages[0].role: required"},
      {R"({"model": "auto", "messages": [{"role": "robot", "content": "x"}]})",
       "messages[0].role: 'robot' is not one of system, developer, user, assistant, tool"},
      {R"({"model": "auto", "messages": [{"role": "user"}]})", "messages[0].content: required"},
      {R"({"model": "auto", "messages": [{"role": "user", "content": 5}]})",
       "messages[0].content: expected a string or an array of content parts"},
      {R"({"model": "auto", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]})",
       "messages[0].content[0].type: 'image_url' is not supported (text parts only)"},
      {R"({"model": "auto", "messages": [{"role": "user", "content": "x"}, {"role": "tool", "content": "4"}]})",
       "messages[1].tool_call_id: required (the id of the call this answers)"},
      {R"({"model": "auto", "messages": [{"role": "user", "content": "x", "tool_calls": []}]})",
       "messages[0].tool_calls: only assistant messages have tool calls, not user"},
      {R"({"model": "auto", "messages": [{"role": "user", "content": "x"}, {"role": "user", "content": "y"},
          {"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{\"a\": "}}]}]})",
       "messages[2].tool_calls[0].function.arguments: not a JSON object (arguments are a JSON object as text)"},
      {R"({"model": "auto", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f"}}]}]})",
       "messages[0].tool_calls[0].function.arguments: required"},
      {R"({"model": "auto", "messages": [{"role": "assistant", "tool_calls": [{"function": {"name": "f"}}]}]})",
       "messages[0].tool_calls[0].id: required"},
      {body(R"(, "tools": [{"type": "function", "function": {"name": "a b"}}])"),
       "tools[0].function.name: 'a b' is not 1-64 letters, digits, _ or -"},
      {body(R"(, "tools": [{"type": "retrieval"}])"), "tools[0].type: 'retrieval' is not supported (expected function)"},
      {body(R"(, "tools": [{"function": {"name": "f", "parameters": []}}])"),
       "tools[0].function.parameters: expected a JSON Schema object"},
      {body(R"(, "tools": [{"function": {"name": "f"}}, {"function": {"name": "f"}}])"),
       "tools[1].function.name: 'f' is declared twice"},
      {body(R"(, "tool_choice": "always")"),
       "tool_choice: 'always' is not one of auto, none, required or a function object"},
      {body(R"(, "tool_choice": "required")"), "tool_choice: 'required' needs at least one tool in tools"},
      {body(R"(, "tool_choice": {"type": "function", "function": {"name": "g"}})"),
       "tool_choice.function.name: no tool named 'g' in tools"},
      {body(R"(, "response_format": {"type": "yaml"})"),
       "response_format.type: 'yaml' is not one of text, json_object, json_schema"},
      {body(R"(, "response_format": {"type": "json_schema", "json_schema": {"name": "x"}})"),
       "response_format.json_schema.schema: required"},
      {body(R"(, "response_format": {"type": "json_schema", "json_schema": {"schema": {}}})"),
       "response_format.json_schema.name: required"},
      {body(R"(, "temperature": 3)"), "temperature: 3 is outside [0, 2]"},
      {body(R"(, "temperature": "hot")"), "temperature: expected a number"},
      {body(R"(, "top_p": 1.5)"), "top_p: 1.5 is outside [0, 1]"},
      {body(R"(, "presence_penalty": -3)"), "presence_penalty: -3 is outside [-2, 2]"},
      {body(R"(, "frequency_penalty": 2.5)"), "frequency_penalty: 2.5 is outside [-2, 2]"},
      {body(R"(, "max_tokens": 0)"), "max_tokens: 0 is outside [1, 2147483647]"},
      {body(R"(, "max_completion_tokens": 1.5)"), "max_completion_tokens: expected an integer"},
      {body(R"(, "seed": "x")"), "seed: expected an integer"},
      {body(R"(, "stop": 7)"), "stop: expected a string or an array of strings"},
      {body(R"(, "stop": ["a", ""])"), "stop[1]: empty"},
      {body(R"(, "n": 2)"), "n: only 1 choice per request is supported"},
      {body(R"(, "logprobs": true)"), "logprobs: not supported"},
      {body(R"(, "stream": "yes")"), "stream: expected true or false"},
      {body(R"(, "stream_options": {"include_usage": true})"), "stream_options: only allowed when stream is true"},
      {body(R"(, "switchyard": {"tools": []})"),
       "switchyard.tools: unknown key (expected one of: documents, enable_thinking, limits, router_tools)"},
      {body(R"(, "switchyard": {"documents": [{"name": "a"}]})"), "switchyard.documents[0].text: required"},
      {body(R"(, "switchyard": {"limits": {"max_steps": 0}})"), "switchyard.limits.max_steps: 0 is outside [1, 2147483647]"},
      {body(R"(, "switchyard": {"limits": {"steps": 2}})"), "switchyard.limits.steps: unknown key"},
      {body(R"(, "switchyard": {"router_tools": [1]})"), "switchyard.router_tools[0]: expected a string"},
  };
  for (const Case& c : cases) {
    auto r = Parse(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.body;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.message)) << c.body;
    EXPECT_EQ(std::string(r.status().message()).rfind(c.message, 0), 0u) << r.status().message();
  }
}

// Bytes that are not UTF-8 inside a string are refused by the parser, never passed on.
TEST(OpenAiRequestTest, RefusesInvalidUtf8) {
  auto r = Parse("{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"\xff\"}]}");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("the body is not valid JSON"));
}

}  // namespace
}  // namespace switchyard::gateway
