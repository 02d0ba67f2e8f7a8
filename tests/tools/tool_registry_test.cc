// ToolRegistry and Tool::Create: registration rules, the OpenAI tools list, and Execute's
// error results (unknown tool, bad JSON, schema violations) that never run the executor.
#include "tools/tool_registry.h"

#include <stdexcept>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/builtin_tools.h"

namespace switchyard::tools {
namespace {

constexpr char kEchoSchema[] = R"({"type":"object","properties":{"text":{"type":"string"},"n":{"type":"integer"}},
                                   "required":["text"],"additionalProperties":false})";

// An echo tool that counts its runs, so tests can prove a bad call never ran it.
Tool Echo(int* runs, const std::string& name = "echo") {
  absl::StatusOr<Tool> t = Tool::Create(name, "Echo the text.", kEchoSchema,
                                        [runs](const nlohmann::json& args, const ToolContext&) -> absl::StatusOr<ToolOutput> {
                                          ++*runs;
                                          return ToolOutput{args["text"].get<std::string>(), args};
                                        });
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

TEST(ToolTest, CreateChecksNameAndSchema) {
  EXPECT_EQ(Tool::Create("bad name", "", R"({"type":"object"})", nullptr).status().message(),
            "tool name \"bad name\" must be 1 to 64 letters, digits, '_' or '-'");
  EXPECT_FALSE(Tool::Create("", "", R"({"type":"object"})", nullptr).ok());
  EXPECT_FALSE(Tool::Create(std::string(65, 'a'), "", R"({"type":"object"})", nullptr).ok());
  EXPECT_TRUE(Tool::Create(std::string(64, 'a'), "", R"({"type":"object"})", nullptr).ok());
  EXPECT_EQ(Tool::Create("t", "", R"({"type":"string"})", nullptr).status().message(),
            "tool \"t\": the parameters schema must have \"type\": \"object\"");
  EXPECT_EQ(Tool::Create("t", "", R"({"type":"object","properties":{"d":{"format":"date"}}})", nullptr).status().message(),
            "tool \"t\": schema /properties/d: unsupported keyword \"format\"");
  absl::StatusOr<Tool> client = Tool::Create("t", "d", R"({"type":"object"})", nullptr);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(client->is_client_tool());
  EXPECT_EQ(client->parameters_json, R"({"type":"object"})");
}

TEST(ToolRegistryTest, DuplicateNamesAreRefused) {
  int runs = 0;
  ToolRegistry registry;
  ASSERT_TRUE(registry.Register(Echo(&runs)).ok());
  absl::Status s = registry.Register(Echo(&runs));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(s.message(), "tool \"echo\" is already registered");
  EXPECT_NE(registry.Find("echo"), nullptr);
  EXPECT_EQ(registry.Find("nope"), nullptr);
  EXPECT_EQ(registry.tools().size(), 1u);
}

TEST(ToolRegistryTest, ListsToolsInOpenAiForm) {
  int runs = 0;
  ToolRegistry registry;
  ASSERT_TRUE(registry.Register(Echo(&runs, "b_tool")).ok());
  ASSERT_TRUE(registry.Register(Echo(&runs, "a_tool")).ok());
  nlohmann::json tools = registry.ToOpenAiTools();
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0]["type"], "function");
  EXPECT_EQ(tools[0]["function"]["name"], "b_tool");  // registration order
  EXPECT_EQ(tools[1]["function"]["name"], "a_tool");
  EXPECT_EQ(tools[0]["function"]["description"], "Echo the text.");
  EXPECT_EQ(tools[0]["function"]["parameters"], nlohmann::json::parse(kEchoSchema));
}

TEST(ToolRegistryTest, ExecutesValidCalls) {
  int runs = 0;
  ToolRegistry registry;
  ASSERT_TRUE(registry.Register(Echo(&runs)).ok());
  ToolResult r = registry.Execute("echo", R"({"text":"hi","n":2.0})", ToolContext{});
  EXPECT_EQ(r.kind, ToolResultKind::kOutput);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.content, "hi");
  EXPECT_EQ(r.structured, nlohmann::json::parse(R"({"text":"hi","n":2.0})"));
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(runs, 1);
}

TEST(ToolRegistryTest, BadCallsComeBackAsErrorsWithoutRunning) {
  int runs = 0;
  ToolRegistry registry;
  ASSERT_TRUE(registry.Register(Echo(&runs)).ok());
  ASSERT_TRUE(registry.Register(Echo(&runs, "echo2")).ok());
  struct Case {
    std::string name, args, error;
  };
  const Case cases[] = {
      {"nope", "{}", "unknown tool \"nope\"; available tools: echo, echo2"},
      {"echo", "{\"text\":", "arguments for tool \"echo\" are not valid JSON"},
      {"echo", "\"\xff\"", "arguments for tool \"echo\" are not valid JSON"},
      {"echo", "", "invalid arguments for tool \"echo\": /: missing required property \"text\""},
      {"echo", "[]", "invalid arguments for tool \"echo\": /: expected object, got array"},
      {"echo", R"({"text":1,"n":1.5,"extra":true})",
       "invalid arguments for tool \"echo\": /n: expected integer, got number; /text: expected string, got number; "
       "/: property \"extra\" is not allowed"},
      {"echo", std::string(100, '[') + std::string(100, ']'), "arguments for tool \"echo\" nest deeper than 64 levels"},
  };
  for (const Case& c : cases) {
    ToolResult r = registry.Execute(c.name, c.args, ToolContext{});
    EXPECT_EQ(r.kind, ToolResultKind::kError) << c.args;
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, c.error);
    EXPECT_EQ(r.content, c.error);  // what the model reads
    EXPECT_TRUE(r.structured.is_null());
  }
  EXPECT_EQ(runs, 0);
}

TEST(ToolRegistryTest, ExecutorFailuresAndExceptionsBecomeErrors) {
  ToolRegistry registry;
  ASSERT_TRUE(registry
                  .Register(*Tool::Create("fails", "", R"({"type":"object"})",
                                          [](const nlohmann::json&, const ToolContext&) -> absl::StatusOr<ToolOutput> {
                                            return absl::UnavailableError("backend down");
                                          }))
                  .ok());
  ASSERT_TRUE(registry
                  .Register(*Tool::Create("throws", "", R"({"type":"object"})",
                                          [](const nlohmann::json&, const ToolContext&) -> absl::StatusOr<ToolOutput> {
                                            throw std::runtime_error("boom");
                                          }))
                  .ok());
  EXPECT_EQ(registry.Execute("fails", "{}", ToolContext{}).content, "tool \"fails\" failed: backend down");
  ToolResult thrown = registry.Execute("throws", "{}", ToolContext{});
  EXPECT_EQ(thrown.kind, ToolResultKind::kError);
  EXPECT_EQ(thrown.content, "tool \"throws\" failed: boom");
}

TEST(ToolRegistryTest, ClientToolsAreHandedBackAfterValidation) {
  ToolRegistry registry;
  ASSERT_TRUE(registry.Register(*Tool::Create("get_weather", "Weather for a city.", kEchoSchema, nullptr)).ok());
  ToolResult r = registry.Execute("get_weather", R"({"text":"Paris"})", ToolContext{});
  EXPECT_EQ(r.kind, ToolResultKind::kClientCall);
  EXPECT_TRUE(r.for_client());
  EXPECT_EQ(r.content, "client");
  EXPECT_EQ(r.error, "");
  ToolResult bad = registry.Execute("get_weather", R"({})", ToolContext{});
  EXPECT_EQ(bad.kind, ToolResultKind::kError);
  EXPECT_EQ(bad.content, "invalid arguments for tool \"get_weather\": /: missing required property \"text\"");
}

TEST(ToolRegistryTest, BuiltinsRegisterOnceEach) {
  ToolRegistry registry;
  ASSERT_TRUE(RegisterBuiltinTools(registry, nullptr).ok());
  std::vector<std::string> names;
  for (const Tool& t : registry.tools()) names.push_back(t.name);
  EXPECT_THAT(names, ::testing::ElementsAre("run_code", "search_documents"));
  EXPECT_EQ(RegisterBuiltinTools(registry, nullptr).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace switchyard::tools
