// THE constrained-decoding test: a random-weight tiny Qwen3 model (the real 151k tokenizer)
// samples with temperature 1 (alone, with top-k, with top-p) under a grammar, for 12 schemas x 200 seeds, through the Engine
// (continuous batching, masks applied in Sequence::Sample). Every output must end by the stop
// token (never by the length limit) and be exactly what was asked: a tool-call envelope the
// chat output parser reads, whose arguments validate against the called tool's schema, or a
// JSON document that validates against the response-format schema. Validation is an
// independent small validator (schema_validator.cc), not the grammar.
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/grammar/schema_validator.h"
#include "workers/engine/chat/tool_call_parser.h"
#include "workers/engine/grammar/grammar_cache.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/model/model_writer.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"
#include "workers/engine/sched/engine.h"

namespace switchyard {
namespace {

using Json = nlohmann::ordered_json;

// 200 seeds per schema; SWITCHYARD_CONSTRAINED_SEEDS=n runs fewer (or more) for a quick look.
const int kSeeds = [] {
  const char* env = std::getenv("SWITCHYARD_CONSTRAINED_SEEDS");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 200;
}();
constexpr int kMaxTokens = 400;  // above the longest output any schema below allows, even byte by byte

struct Case {
  std::string name;
  std::vector<ToolSchema> tools;  // tool calls; empty: a response format
  std::string schema;             // the response format's schema
};

std::vector<Case> Cases() {
  return {
      {"weather_tool",
       {{"get_weather", R"({"type": "object", "properties": {"city": {"type": "string", "minLength": 1, "maxLength": 12},
          "unit": {"enum": ["celsius", "fahrenheit"]}}, "required": ["city"], "additionalProperties": false})"}},
       ""},
      {"search_tool",
       {{"search", R"({"type": "object", "properties": {"query": {"type": "string", "maxLength": 16},
          "limit": {"type": "integer"}, "exact": {"type": "boolean"}}, "required": ["query", "limit"]})"}},
       ""},
      {"two_tools",
       {{"add", R"({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}, "required": ["a", "b"]})"},
        {"echo", R"({"type": "object", "properties": {"text": {"type": "string", "maxLength": 10}}, "required": ["text"]})"},
        {"now", ""}},
       ""},
      {"matrix_tool",
       {{"set_cells", R"({"type": "object", "properties": {"matrix": {"type": "array", "minItems": 1, "maxItems": 2,
          "items": {"type": "array", "maxItems": 3, "items": {"type": "boolean"}}}}, "required": ["matrix"]})"}},
       ""},
      {"int_array", {}, R"({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3})"},
      {"nested_object", {},
       R"({"type": "object", "properties": {"user": {"type": "object", "properties": {"id": {"type": "integer"},
          "name": {"type": "string", "maxLength": 8}}, "required": ["id", "name"], "additionalProperties": false},
          "active": {"type": "boolean"}}, "required": ["user"]})"},
      {"any_of", {},
       R"({"anyOf": [{"type": "string", "maxLength": 6}, {"type": "null"},
          {"type": "object", "properties": {"code": {"type": "integer"}}, "required": ["code"]}]})"},
      {"const_enum", {},
       R"({"type": "object", "properties": {"kind": {"const": "point"}, "color": {"enum": ["red", "green", 7, null]}},
          "required": ["kind", "color"]})"},
      {"object_array", {},
       R"({"type": "array", "maxItems": 2, "items": {"type": "object", "properties": {"x": {"type": "integer"},
          "y": {"type": "integer"}}, "required": ["x", "y"]}})"},
      {"type_list", {},
       R"({"type": "object", "properties": {"value": {"type": ["string", "integer", "null"], "maxLength": 5}}, "required": ["value"]})"},
      {"string_bounds", {},
       R"({"type": "object", "properties": {"code": {"type": "string", "minLength": 3, "maxLength": 3},
          "note": {"type": "string", "maxLength": 4}}, "required": ["code", "note"]})"},
      {"all_optional", {},
       R"({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "object"},
          "c": {"type": "array", "items": {"type": "null"}, "maxItems": 2}}})"},
  };
}

// Why `text` is not a valid output for case `c`, or "".
std::string Violation(const Case& c, const std::string& text) {
  Json schema;
  Json value;
  if (c.tools.empty()) {
    value = Json::parse(text, nullptr, false);
    if (value.is_discarded()) return "not JSON";
    schema = Json::parse(c.schema);
  } else {
    const std::string open = "<tool_call>\n", close = "\n</tool_call>";
    if (!absl::StartsWith(text, open) || !absl::EndsWith(text, close)) return "not a tool-call envelope";
    const std::string body = text.substr(open.size(), text.size() - open.size() - close.size());
    const ParsedToolCall call = ParseToolCall(body, ToolParameterTypes{});
    if (!call.ok) return "the output parser refused the call: " + call.error;
    const Json whole = Json::parse(body, nullptr, false);
    if (whole.is_discarded() || whole.size() != 2) return "the call is not {name, arguments}";
    const ToolSchema* tool = nullptr;
    for (const ToolSchema& t : c.tools) if (t.name == call.name) tool = &t;
    if (tool == nullptr) return "unknown tool " + call.name;
    schema = tool->parameters.empty() ? Json::parse(R"({"type": "object", "additionalProperties": false})")
                                      : Json::parse(tool->parameters);
    value = Json::parse(call.arguments);
  }
  return testing::SchemaViolation(schema, value);
}

class ConstrainedDecodingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) GTEST_SKIP() << "no Qwen3 tokenizer files (../shared/fixtures or scripts/setup.sh): skipping";
    ModelWriteOptions o;
    o.out_dir = dir_.path();
    o.shape = *NamedModelShape("tiny");
    o.shape.max_position_embeddings = 512;
    o.seed = 5;
    o.tokenizer_dir = *tok;
    ASSERT_TRUE(WriteRandomModel(o).ok());
    model_ = std::move(*LoadModel(dir_.path(), LoadOptions{.progress = nullptr, .prefault = false}));
    tok_ = std::move(*Tokenizer::Load(model_->tokenizer_json_path()));
    runner_ = std::move(*Qwen3Runner::Create(*model_, RunnerOptions{.threads = 2}));
  }

  testing::ScratchDir dir_;
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<Tokenizer> tok_;
  std::unique_ptr<Qwen3Runner> runner_;
};

struct Outcome {
  std::string text;
  FinishReason reason = FinishReason::kNone;
  absl::Status error;
  int tokens = 0;
  bool done = false;
};

TEST_F(ConstrainedDecodingTest, EveryOutputIsSchemaValid) {
  GrammarCache cache(tok_.get(), runner_->vocab_size());
  auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 32, .max_queue = 4096});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const int32_t im_end = *tok_->TokenId("<|im_end|>");
  const std::vector<int32_t> prompt = *tok_->Encode("<|im_start|>user\nAnswer in JSON.<|im_end|>\n<|im_start|>assistant\n");
  const std::vector<Case> cases = Cases();

  absl::Mutex mu;
  std::vector<Outcome> outcomes(cases.size() * kSeeds);
  int done = 0;
  for (size_t c = 0; c < cases.size(); ++c) {
    auto grammar = cases[c].tools.empty() ? cache.ForJsonSchema(cases[c].schema, "response_format.json_schema")
                                          : cache.ForToolCalls(cases[c].tools);
    ASSERT_TRUE(grammar.ok()) << cases[c].name << ": " << grammar.status();
    for (int seed = 0; seed < kSeeds; ++seed) {
      const size_t i = c * kSeeds + static_cast<size_t>(seed);
      EngineRequest r;
      r.id = absl::StrCat(cases[c].name, "/", seed);
      r.prompt = prompt;
      // Temperature 1 alone, with top-k, and with top-k and top-p: the mask comes before every
      // rule. (Top-k also keeps the test fast: the sampler's cost over 151k logits dominates.)
      r.sampling.temperature = 1.0f;
      if (seed % 4 != 0) r.sampling.top_k = 40;
      if (seed % 4 == 3) r.sampling.top_p = 0.9f;
      r.sampling.seed = static_cast<uint64_t>(seed);
      r.sampling.max_tokens = kMaxTokens;
      r.sampling.stop_token_ids = {im_end};
      r.sampling.grammar = *grammar;
      r.on_output = [&, i](SequenceOutput o) {
        absl::MutexLock lock(&mu);
        Outcome& out = outcomes[i];
        out.text += o.text;
        out.tokens = o.completion_tokens;
        if (o.finished) {
          out.done = true;
          out.reason = o.reason;
          out.error = o.error;
          ++done;
        }
      };
      ASSERT_TRUE((*engine)->Submit(std::move(r)).ok());
    }
  }
  {
    absl::MutexLock lock(&mu);
    const int all = static_cast<int>(outcomes.size());
    mu.Await(absl::Condition(+[](std::pair<int*, int>* p) { return *p->first >= p->second; },
                             std::make_unique<std::pair<int*, int>>(&done, all).get()));
  }
  std::map<std::string, int> valid;
  int64_t tokens = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const Case& c = cases[i / kSeeds];
    const Outcome& o = outcomes[i];
    tokens += o.tokens;
    const std::string label = absl::StrCat(c.name, " seed ", i % kSeeds, ": ", o.text);
    ASSERT_TRUE(o.error.ok()) << label << " " << o.error;
    EXPECT_EQ(o.reason, FinishReason::kStop) << label;
    const std::string why = Violation(c, o.text);
    EXPECT_EQ(why, "") << label;
    if (why.empty() && o.reason == FinishReason::kStop) ++valid[c.name];
  }
  for (const Case& c : cases) EXPECT_EQ(valid[c.name], kSeeds) << c.name;
  std::printf("%zu outputs, %lld tokens; examples:\n", outcomes.size(), static_cast<long long>(tokens));
  for (size_t c = 0; c < cases.size(); ++c) std::printf("  %s: %s\n", cases[c].name.c_str(), outcomes[c * kSeeds].text.c_str());
}

// Without stop tokens the grammar's own end ends the output (Generator, the single-sequence
// path); greedy picks the best allowed token; a grammar for another vocabulary is refused.
TEST_F(ConstrainedDecodingTest, GrammarEndStopsGreedyGeneratorAndVocabularyMustMatch) {
  GrammarCache cache(tok_.get(), runner_->vocab_size());
  const Case c = Cases()[0];
  auto grammar = cache.ForToolCalls(c.tools);
  ASSERT_TRUE(grammar.ok()) << grammar.status();
  auto pool = MakeKvPool(*runner_, KvPoolSpec{runner_->kv_shape(16), 64, KvMemory::kHost});
  ASSERT_TRUE(pool.ok()) << pool.status();
  Generator gen(*runner_, *tok_, **pool);
  GenerateOptions o;
  o.sampling.temperature = 0.0f;
  o.sampling.max_tokens = kMaxTokens;
  o.sampling.grammar = *grammar;
  auto r = gen.Generate(*tok_->Encode("Call the weather tool."), o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_EQ(Violation(c, r->text), "") << r->text;

  GrammarCache other(tok_.get(), runner_->vocab_size() + 64);
  auto wrong = other.ForToolCalls(c.tools);
  ASSERT_TRUE(wrong.ok());
  o.sampling.grammar = *wrong;
  EXPECT_EQ(gen.Generate(*tok_->Encode("x"), o, nullptr).status().code(), absl::StatusCode::kInvalidArgument);
  auto engine = Engine::Create(runner_.get(), tok_.get(), EngineOptions{.max_batch = 2});
  ASSERT_TRUE(engine.ok());
  EngineRequest req;
  req.prompt = *tok_->Encode("x");
  req.sampling = o.sampling;
  EXPECT_EQ((*engine)->Submit(std::move(req)).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
