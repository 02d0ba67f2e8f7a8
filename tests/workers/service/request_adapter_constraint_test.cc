// RequestAdapter's tool_choice and response_format: the grammar each request gets, the refusals,
// and what the tiny random-weight Qwen3 fixture then answers through the Engine at temperature
// 1. A random model almost never writes a tool call or JSON by itself, so a valid call / valid
// JSON on every seed is the constraint's doing (the AUTO runs show the contrast). Schema
// validity is checked by the independent validator of the constrained-decoding test.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/grammar/schema_validator.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/runtime/qwen3_runner.h"
#include "workers/engine/sched/engine.h"
#include "workers/service/request_adapter.h"

namespace switchyard {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kWeather[] =
    R"({"type": "object", "properties": {"city": {"type": "string", "minLength": 1, "maxLength": 12},
        "unit": {"enum": ["celsius", "fahrenheit"]}}, "required": ["city"], "additionalProperties": false})";
constexpr char kAdd[] =
    R"({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "number"}}, "required": ["a", "b"]})";
constexpr char kPerson[] =
    R"({"type": "object", "properties": {"name": {"type": "string", "maxLength": 8}, "age": {"type": "integer"},
        "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 3}}, "required": ["name", "age"]})";
constexpr int kSeeds = 6;

v1::GenerateRequest Chat(bool with_tools) {
  v1::GenerateRequest r;
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("What is the weather in Paris, and what is 2 + 3?");
  if (with_tools) {
    v1::Tool* w = r.add_tools();
    w->set_name("get_weather");
    w->set_description("The weather in a city.");
    w->set_parameters_json_schema(kWeather);
    v1::Tool* a = r.add_tools();
    a->set_name("add");
    a->set_description("Adds two numbers.");
    a->set_parameters_json_schema(kAdd);
  }
  r.set_enable_thinking(false);
  r.mutable_sampling()->set_temperature(1.0f);
  r.mutable_sampling()->set_max_tokens(200);
  return r;
}

// One answer as the worker streams it: the adapter's events, and how the engine ended.
struct Answer {
  std::string reasoning;
  std::string text;
  std::vector<v1::ToolCall> calls;
  std::vector<std::string> call_errors;
  bool saw_tool_calls = false;
  FinishReason reason = FinishReason::kNone;
  absl::Status error;
};

class ConstraintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SWITCHYARD_REQUIRE_SHARED();
    auto dir = testing::FixtureDir("qwen3-tiny-dense");
    if (!dir) GTEST_SKIP() << "no qwen3-tiny-dense fixture";
    auto model = LoadModel(*dir + "/hf", LoadOptions{.progress = nullptr, .prefault = false});
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = std::move(*model);
    auto tok = Tokenizer::Load(model_->tokenizer_json_path());
    ASSERT_TRUE(tok.ok()) << tok.status();
    tok_ = std::move(*tok);
    adapter_ = std::make_unique<RequestAdapter>(*model_, *tok_);
  }

  // Runs `r` through the adapter and an Engine (the worker's path), events as the worker makes them.
  Answer Run(const v1::GenerateRequest& r) {
    auto p = adapter_->Build(r);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return {};
    if (runner_ == nullptr) {
      auto runner = Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2});
      EXPECT_TRUE(runner.ok()) << runner.status();
      runner_ = std::move(*runner);
      auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 4});
      EXPECT_TRUE(engine.ok()) << engine.status();
      engine_ = std::move(*engine);
    }
    std::unique_ptr<OutputEvents> out = adapter_->NewOutput(*p);
    absl::Mutex mu;
    bool done = false;
    Answer a;
    std::vector<v1::GenerateEvent> events;
    EngineRequest er;
    er.prompt = p->prompt;
    er.sampling = p->sampling;
    er.on_output = [&](SequenceOutput o) {
      absl::MutexLock lock(&mu);
      for (auto& e : out->Push(o.text)) events.push_back(std::move(e));
      if (o.finished) {
        for (auto& e : out->Finish()) events.push_back(std::move(e));
        a.reason = o.reason;
        a.error = o.error;
        done = true;
      }
    };
    EXPECT_TRUE(engine_->Submit(std::move(er)).ok());
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
    for (const v1::GenerateEvent& e : events) {
      if (e.has_reasoning_delta()) a.reasoning += e.reasoning_delta();
      if (e.has_text_delta()) a.text += e.text_delta();
      if (e.has_tool_call()) a.calls.push_back(e.tool_call());
      if (e.has_tool_call_error()) a.call_errors.push_back(e.tool_call_error().reason());
    }
    a.saw_tool_calls = out->saw_tool_calls();
    return a;
  }

  int32_t Id(const char* literal) const { return *tok_->TokenId(literal); }

  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<RequestAdapter> adapter_;
  std::unique_ptr<Qwen3Runner> runner_;
  std::unique_ptr<Engine> engine_;
};

// Why `call` is not a valid call of one of `allowed` (name: schema), or "".
std::string CallViolation(const v1::ToolCall& call, const std::vector<std::pair<std::string, std::string>>& allowed) {
  for (const auto& [name, schema] : allowed) {
    if (call.name() != name) continue;
    const Json args = Json::parse(call.arguments_json(), nullptr, false);
    if (args.is_discarded()) return "arguments are not JSON";
    return testing::SchemaViolation(Json::parse(schema), args);
  }
  return "unexpected tool " + call.name();
}

TEST_F(ConstraintTest, RequiredGivesOneValidCallOfTheTools) {
  int auto_calls = 0;
  for (int seed = 0; seed < kSeeds; ++seed) {
    v1::GenerateRequest r = Chat(true);
    r.mutable_sampling()->set_seed(static_cast<uint64_t>(seed));
    r.mutable_tool_choice()->set_mode(v1::ToolChoice::REQUIRED);
    const Answer a = Run(r);
    ASSERT_TRUE(a.error.ok()) << a.error;
    EXPECT_EQ(a.reason, FinishReason::kStop) << "seed " << seed;  // the grammar's end, then <|im_end|>
    ASSERT_EQ(a.calls.size(), 1u) << "seed " << seed << " text: " << a.text;
    EXPECT_EQ(CallViolation(a.calls[0], {{"get_weather", kWeather}, {"add", kAdd}}), "")
        << a.calls[0].name() << " " << a.calls[0].arguments_json();
    EXPECT_TRUE(a.call_errors.empty());
    EXPECT_TRUE(a.saw_tool_calls);
    EXPECT_EQ(a.text, "");
    EXPECT_EQ(a.reasoning, "");

    v1::GenerateRequest free = r;  // AUTO: the random model left alone
    free.mutable_tool_choice()->set_mode(v1::ToolChoice::AUTO);
    free.mutable_sampling()->set_max_tokens(40);
    auto_calls += static_cast<int>(Run(free).calls.size());
  }
  EXPECT_EQ(auto_calls, 0);
}

TEST_F(ConstraintTest, FunctionGivesAValidCallOfThatTool) {
  for (const char* name : {"add", "get_weather"}) {
    for (int seed = 0; seed < kSeeds; ++seed) {
      v1::GenerateRequest r = Chat(true);
      r.mutable_sampling()->set_seed(static_cast<uint64_t>(100 + seed));
      r.mutable_tool_choice()->set_mode(v1::ToolChoice::FUNCTION);
      r.mutable_tool_choice()->set_function_name(name);
      const Answer a = Run(r);
      ASSERT_TRUE(a.error.ok()) << a.error;
      EXPECT_EQ(a.reason, FinishReason::kStop);
      ASSERT_EQ(a.calls.size(), 1u) << name << " seed " << seed << " text: " << a.text;
      EXPECT_EQ(a.calls[0].name(), name);
      EXPECT_EQ(CallViolation(a.calls[0], {{"get_weather", kWeather}, {"add", kAdd}}), "") << a.calls[0].arguments_json();
      EXPECT_TRUE(a.saw_tool_calls);
    }
  }
}

TEST_F(ConstraintTest, JsonSchemaAnswerIsValidJson) {
  for (int seed = 0; seed < kSeeds; ++seed) {
    v1::GenerateRequest r = Chat(false);
    r.mutable_sampling()->set_seed(static_cast<uint64_t>(200 + seed));
    r.mutable_response_format()->set_type(v1::ResponseFormat::JSON_SCHEMA);
    r.mutable_response_format()->set_json_schema(kPerson);
    r.mutable_response_format()->set_name("person");
    const Answer a = Run(r);
    ASSERT_TRUE(a.error.ok()) << a.error;
    EXPECT_EQ(a.reason, FinishReason::kStop);
    const Json value = Json::parse(a.text, nullptr, false);
    ASSERT_FALSE(value.is_discarded()) << a.text;
    EXPECT_EQ(testing::SchemaViolation(Json::parse(kPerson), value), "") << a.text;
    EXPECT_TRUE(a.calls.empty());
  }
}

TEST_F(ConstraintTest, JsonObjectAllowsAnyObjectOnly) {
  v1::GenerateRequest r = Chat(false);
  r.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
  auto p = adapter_->Build(r);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_NE(p->sampling.grammar, nullptr);
  auto accepts = [&](const std::string& text) {
    GrammarMatcher m(&p->sampling.grammar->grammar());
    return m.Advance(text) && m.accepted();
  };
  EXPECT_TRUE(accepts("{}"));
  EXPECT_TRUE(accepts(R"({"name": "Ada", "n": -1.5, "ok": true, "x": null, "list": [1, "a", {"deep": []}]})"));
  EXPECT_FALSE(accepts("[1]"));
  EXPECT_FALSE(accepts("\"text\""));
  EXPECT_FALSE(accepts("{\"a\": 1"));
}

TEST_F(ConstraintTest, NoneHidesTheToolsAndReadsCallsAsText) {
  v1::GenerateRequest none = Chat(true);
  none.mutable_tool_choice()->set_mode(v1::ToolChoice::NONE);
  auto p = adapter_->Build(none);
  ASSERT_TRUE(p.ok()) << p.status();
  auto plain = adapter_->Build(Chat(false));
  ASSERT_TRUE(plain.ok()) << plain.status();
  auto shown = adapter_->Build(Chat(true));
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(tok_->Decode(p->prompt), tok_->Decode(plain->prompt));
  EXPECT_EQ(tok_->Decode(p->prompt).find("<tools>"), std::string::npos);
  EXPECT_NE(tok_->Decode(shown->prompt).find("<tools>"), std::string::npos);
  EXPECT_EQ(p->sampling.grammar, nullptr);
  EXPECT_TRUE(p->tools.empty());

  auto out = adapter_->NewOutput(*p);
  std::string text;
  std::vector<v1::GenerateEvent> events = out->Push(
      "Here.\n<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}\n</tool_call>\n<tool_call>\nbad");
  for (auto& e : out->Finish()) events.push_back(std::move(e));
  for (const auto& e : events) {
    EXPECT_FALSE(e.has_tool_call());
    EXPECT_FALSE(e.has_tool_call_error());
    text += e.text_delta();
  }
  EXPECT_FALSE(out->saw_tool_calls());
  EXPECT_EQ(text,
            "Here.<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\":2,\"b\":3}}\n</tool_call><tool_call>\nbad");
}

TEST_F(ConstraintTest, TheGrammarWaitsForThinkEndWhenTheModelReasonsFirst) {
  v1::GenerateRequest r = Chat(true);
  r.mutable_tool_choice()->set_mode(v1::ToolChoice::FUNCTION);
  r.mutable_tool_choice()->set_function_name("add");
  auto off = adapter_->Build(r);
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->sampling.grammar_starts_after_token, -1);  // the prompt closed an empty <think>
  r.clear_enable_thinking();  // Qwen3 then opens <think> itself
  auto on = adapter_->Build(r);
  ASSERT_TRUE(on.ok()) << on.status();
  ASSERT_NE(on->sampling.grammar, nullptr);
  EXPECT_EQ(on->sampling.grammar_starts_after_token, Id("</think>"));
  v1::GenerateRequest raw;
  raw.set_prompt("{\"a\":");
  raw.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
  auto rp = adapter_->Build(raw);
  ASSERT_TRUE(rp.ok()) << rp.status();
  EXPECT_NE(rp->sampling.grammar, nullptr);
  EXPECT_EQ(rp->sampling.grammar_starts_after_token, -1);

  // What the model then writes reads as reasoning first, then the call.
  auto out = adapter_->NewOutput(*on);
  std::vector<v1::GenerateEvent> events =
      out->Push("<think>\nAdd them.\n</think><tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}\n</tool_call>");
  for (auto& e : out->Finish()) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].reasoning_delta(), "Add them.");
  EXPECT_EQ(events[1].tool_call().name(), "add");
  EXPECT_EQ(events[1].tool_call().arguments_json(), R"({"a":2,"b":3})");

  // On the random model thinking never ends, so nothing is constrained: no call, no error.
  r.mutable_sampling()->set_max_tokens(30);
  r.mutable_sampling()->set_seed(7);
  const Answer a = Run(r);
  ASSERT_TRUE(a.error.ok()) << a.error;
  EXPECT_EQ(a.reason, FinishReason::kLength);
  EXPECT_TRUE(a.calls.empty());
}

struct Refusal {
  const char* name;
  std::function<void(v1::GenerateRequest*)> edit;
  const char* message;  // a substring of the status message
};

TEST_F(ConstraintTest, RefusalsAreInvalidArgumentNamingTheField) {
  auto mode = [](v1::ToolChoice::Mode m, const char* fn = "") {
    return [m, fn](v1::GenerateRequest* r) {
      r->mutable_tool_choice()->set_mode(m);
      r->mutable_tool_choice()->set_function_name(fn);
    };
  };
  auto format = [](v1::ResponseFormat::Type t, const char* schema = "") {
    return [t, schema](v1::GenerateRequest* r) {
      r->mutable_response_format()->set_type(t);
      r->mutable_response_format()->set_json_schema(schema);
    };
  };
  auto no_tools = [](v1::GenerateRequest* r) { r->clear_tools(); };
  auto raw = [](v1::GenerateRequest* r) {
    r->clear_messages();
    r->set_prompt("hi");
  };
  auto bad_tool = [](v1::GenerateRequest* r) {
    r->mutable_tools(1)->set_parameters_json_schema(R"({"type": "object", "properties": {"d": {"type": "string", "format": "date"}}})");
  };
  const std::vector<Refusal> cases = {
      {"unknown function", mode(v1::ToolChoice::FUNCTION, "x"), R"(tool_choice.function_name: no tool named "x" in tools)"},
      {"function without a name", mode(v1::ToolChoice::FUNCTION), "tool_choice.function_name: empty"},
      {"required without tools",
       [&](v1::GenerateRequest* r) { no_tools(r); mode(v1::ToolChoice::REQUIRED)(r); },
       "tool_choice: REQUIRED needs at least one tool in tools"},
      {"function without tools",
       [&](v1::GenerateRequest* r) { no_tools(r); mode(v1::ToolChoice::FUNCTION, "add")(r); },
       "tool_choice: FUNCTION needs at least one tool in tools"},
      {"required on a raw prompt",
       [&](v1::GenerateRequest* r) { raw(r); mode(v1::ToolChoice::REQUIRED)(r); },
       "tool_choice: REQUIRED needs messages"},
      {"required beside json",
       [&](v1::GenerateRequest* r) { mode(v1::ToolChoice::REQUIRED)(r); format(v1::ResponseFormat::JSON_OBJECT)(r); },
       "tool_choice: REQUIRED cannot be combined with response_format JSON_OBJECT"},
      {"function beside a schema",
       [&](v1::GenerateRequest* r) { mode(v1::ToolChoice::FUNCTION, "add")(r); format(v1::ResponseFormat::JSON_SCHEMA, kPerson)(r); },
       "tool_choice: FUNCTION cannot be combined with response_format JSON_SCHEMA"},
      {"unsupported keyword",
       format(v1::ResponseFormat::JSON_SCHEMA, R"({"type": "object", "properties": {"d": {"type": "string", "format": "date"}}})"),
       R"(response_format.json_schema /properties/d: unsupported keyword "format")"},
      {"remote $ref",
       format(v1::ResponseFormat::JSON_SCHEMA, R"({"$ref": "https://example.com/schema.json"})"),
       R"(response_format.json_schema /: remote "$ref" "https://example.com/schema.json" is not supported)"},
      {"schema not JSON", format(v1::ResponseFormat::JSON_SCHEMA, "{\"type\": "),
       "response_format.json_schema: not valid JSON"},
      {"empty schema", format(v1::ResponseFormat::JSON_SCHEMA), "response_format.json_schema: empty"},
      {"required with a refused tool schema",
       [&](v1::GenerateRequest* r) { bad_tool(r); mode(v1::ToolChoice::REQUIRED)(r); },
       R"(tools[1].function.parameters /properties/d: unsupported keyword "format")"},
      {"function with a refused tool schema",
       [&](v1::GenerateRequest* r) { bad_tool(r); mode(v1::ToolChoice::FUNCTION, "add")(r); },
       R"(tools[1].function.parameters /properties/d: unsupported keyword "format")"},
      {"unknown mode", [](v1::GenerateRequest* r) { r->mutable_tool_choice()->set_mode(static_cast<v1::ToolChoice::Mode>(9)); },
       "tool_choice.mode: unknown value 9"},
      {"unknown format",
       [](v1::GenerateRequest* r) { r->mutable_response_format()->set_type(static_cast<v1::ResponseFormat::Type>(9)); },
       "response_format.type: unknown value 9"},
  };
  for (const Refusal& c : cases) {
    v1::GenerateRequest r = Chat(true);
    c.edit(&r);
    auto p = adapter_->Build(r);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << c.name << ": " << p.status();
    EXPECT_NE(p.status().message().find(c.message), std::string::npos) << c.name << ": " << p.status();
  }
  // A tool schema constrained decoding refuses is fine while no call is forced.
  v1::GenerateRequest ok = Chat(true);
  bad_tool(&ok);
  EXPECT_TRUE(adapter_->Build(ok).ok());
  mode(v1::ToolChoice::FUNCTION, "get_weather")(&ok);
  EXPECT_TRUE(adapter_->Build(ok).ok());
}

}  // namespace
}  // namespace switchyard
