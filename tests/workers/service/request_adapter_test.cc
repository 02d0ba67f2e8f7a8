// RequestAdapter on a real model folder whose template is swapped: a Qwen3-Coder template makes
// the worker read XML tool calls typed by the request's tool schemas, as vLLM's qwen3_coder does.
#include "workers/service/request_adapter.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

using testing::Slurp;

// A copy of the dense fixture (weights linked) whose tokenizer_config.json carries `template_file`.
void MakeModelWithTemplate(const std::string& fixture, const std::string& template_file, const std::string& dir) {
  for (const auto& e : fs::directory_iterator(fixture)) {
    if (e.path().filename() == "tokenizer_config.json") continue;
    fs::create_symlink(e.path(), fs::path(dir) / e.path().filename());
  }
  nlohmann::ordered_json config = nlohmann::ordered_json::parse(Slurp(fixture + "/tokenizer_config.json"));
  config["chat_template"] = Slurp(template_file);
  std::ofstream(dir + "/tokenizer_config.json") << config.dump();
}

struct Adapter {
  std::unique_ptr<LoadedModel> model;
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<RequestAdapter> adapter;
};

Adapter Open(const std::string& dir) {
  Adapter a;
  auto model = LoadModel(dir);
  EXPECT_TRUE(model.ok()) << model.status();
  a.model = std::move(*model);
  auto tok = Tokenizer::Load(a.model->tokenizer_json_path());
  EXPECT_TRUE(tok.ok()) << tok.status();
  a.tokenizer = std::move(*tok);
  a.adapter = std::make_unique<RequestAdapter>(*a.model, *a.tokenizer);
  return a;
}

v1::GenerateRequest CoderRequest(bool with_tools) {
  v1::GenerateRequest r;
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("Run it.");
  if (with_tools) {
    v1::Tool* t = r.add_tools();
    t->set_name("run");
    t->set_description("Runs code.");
    t->set_parameters_json_schema(
        R"({"type":"object","properties":{"n":{"type":"integer"},"code":{"type":"string"}}})");
  }
  return r;
}

constexpr char kCoderCall[] =
    "Sure.\n<tool_call>\n<function=run>\n<parameter=n>\n5\n</parameter>\n"
    "<parameter=code>\n42\n</parameter>\n</function>\n</tool_call>";

// Streams the answer a byte at a time and returns the tool calls' arguments.
std::vector<std::string> CallArguments(const RequestAdapter& adapter, const PreparedRequest& p, std::string* text) {
  auto out = adapter.NewOutput(p);
  std::vector<v1::GenerateEvent> events;
  for (char c : std::string(kCoderCall)) {
    for (auto& e : out->Push(std::string(1, c))) events.push_back(std::move(e));
  }
  for (auto& e : out->Finish()) events.push_back(std::move(e));
  EXPECT_TRUE(out->saw_tool_calls());
  std::vector<std::string> args;
  for (const auto& e : events) {
    if (e.has_tool_call()) {
      EXPECT_EQ(e.tool_call().name(), "run");
      args.push_back(e.tool_call().arguments_json());
    }
    if (e.has_text_delta()) *text += e.text_delta();
    EXPECT_FALSE(e.has_tool_call_error()) << e.tool_call_error().reason();
  }
  return args;
}

class RequestAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SWITCHYARD_REQUIRE_SHARED();
    MakeModelWithTemplate(*testing::FixtureDir("qwen3-tiny-dense") + "/hf",
                          testing::SourceDir() + "/tests/workers/engine/chat/data/qwen3-coder/chat_template.jinja",
                          scratch_.path());
  }
  testing::ScratchDir scratch_;
};

TEST_F(RequestAdapterTest, CoderParametersAreTypedByTheRequestsSchemas) {
  Adapter a = Open(scratch_.path());
  auto p = a.adapter->Build(CoderRequest(/*with_tools=*/true));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->chat);
  // The Coder template lists the tool in its XML-style system block.
  std::string prompt = a.tokenizer->Decode(p->prompt);
  EXPECT_NE(prompt.find("<name>run</name>"), std::string::npos) << prompt;
  std::string text;
  // "code" is declared a string, so "42" stays text; "n" is an integer.
  EXPECT_EQ(CallArguments(*a.adapter, *p, &text), std::vector<std::string>{R"({"n":5,"code":"42"})"});
  EXPECT_EQ(text, "Sure.");
}

TEST_F(RequestAdapterTest, WithoutSchemasCoderValuesAreInferred) {
  Adapter a = Open(scratch_.path());
  auto p = a.adapter->Build(CoderRequest(/*with_tools=*/false));
  ASSERT_TRUE(p.ok()) << p.status();
  std::string text;
  EXPECT_EQ(CallArguments(*a.adapter, *p, &text), std::vector<std::string>{R"({"n":5,"code":42})"});
}

TEST_F(RequestAdapterTest, UnsupportedTemplateRefusesChatButServesPrompts) {
  fs::remove(scratch_.File("tokenizer_config.json"));
  std::string llama = "{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>{% endfor %}";
  nlohmann::ordered_json config = nlohmann::ordered_json::parse(
      Slurp(*testing::FixtureDir("qwen3-tiny-dense") + "/hf/tokenizer_config.json"));
  config["chat_template"] = llama;
  std::ofstream(scratch_.File("tokenizer_config.json")) << config.dump();
  Adapter a = Open(scratch_.path());
  auto chat = a.adapter->Build(CoderRequest(true));
  EXPECT_EQ(chat.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(chat.status().message().find("chat template"), std::string::npos) << chat.status();
  v1::GenerateRequest raw;
  raw.set_prompt("hello");
  auto p = a.adapter->Build(raw);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->chat);
  EXPECT_FALSE(p->prompt.empty());
}

}  // namespace
}  // namespace switchyard
