// switchyard-bench-grammar: constrained decoding's cost per token, on a real-shaped model:
//   switchyard-bench-grammar [MODEL_DIR] [TOKENS]   (default build/bench/qwen3-0.6b-shape/hf, 48)
// 1. Decode tok/s of the same prompt and seed, unconstrained and under a tool-call grammar.
// 2. The constraint alone (mask + Accept) per token, replaying the constrained output with a
//    fresh grammar (every mask computed: the first request for a schema) and again (cached).
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "workers/engine/grammar/grammar_cache.h"
#include "workers/engine/grammar/token_constraint.h"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard {
namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int Main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "build/bench/qwen3-0.6b-shape/hf";
  const int tokens = argc > 2 ? std::atoi(argv[2]) : 48;
  auto model = LoadModel(dir, LoadOptions{.progress = nullptr});
  if (!model.ok()) return std::fprintf(stderr, "%s\n", model.status().ToString().c_str()), 1;
  auto tok = Tokenizer::Load((*model)->tokenizer_json_path());
  auto runner = Qwen3Runner::Create(**model, RunnerOptions{});
  if (!tok.ok() || !runner.ok()) return std::fprintf(stderr, "cannot load the tokenizer or the runner\n"), 1;
  auto pool = MakeKvPool(**runner, KvPoolSpec{ModelKvShape((*runner)->config(), 16, DType::kF32), 64, KvMemory::kHost});
  if (!pool.ok()) return std::fprintf(stderr, "%s\n", pool.status().ToString().c_str()), 1;
  Generator gen(**runner, **tok, **pool);
  const std::vector<int32_t> prompt = *(*tok)->Encode("<|im_start|>user\nWhat is the weather in Paris?<|im_end|>\n<|im_start|>assistant\n");
  const std::vector<ToolSchema> tools = {
      {"get_weather", R"({"type": "object", "properties": {"city": {"type": "string", "maxLength": 200},
        "unit": {"enum": ["celsius", "fahrenheit"]}, "days": {"type": "integer"}}, "required": ["city", "unit", "days"]})"}};

  auto t0 = std::chrono::steady_clock::now();
  GrammarCache cache(tok->get(), (*runner)->vocab_size());
  auto grammar = cache.ForToolCalls(tools);
  if (!grammar.ok()) return std::fprintf(stderr, "%s\n", grammar.status().ToString().c_str()), 1;
  std::printf("vocabulary trie + compile: %.1f ms (once per tokenizer / schema)\n", 1e3 * Seconds(t0));

  auto run = [&](bool constrained) {
    GenerateOptions o;
    o.sampling.temperature = 1.0f;
    o.sampling.seed = 3;
    o.sampling.max_tokens = tokens;
    if (constrained) o.sampling.grammar = *grammar;  // no stop tokens: the grammar's end ends it
    const auto start = std::chrono::steady_clock::now();
    auto r = gen.Generate(prompt, o, nullptr);
    const double s = Seconds(start);
    if (!r.ok()) std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return std::make_pair(r.ok() ? *r : GenerationResult{}, s);
  };
  run(false);  // warm up
  const auto [plain, plain_s] = run(false);
  const auto [cons, cons_s] = run(true);
  const double plain_tps = static_cast<double>(plain.tokens.size()) / plain_s;
  const double cons_tps = static_cast<double>(cons.tokens.size()) / cons_s;
  std::printf("decode incl. prefill: unconstrained %zu tokens %.2f tok/s; constrained %zu tokens %.2f tok/s (%s)\n",
              plain.tokens.size(), plain_tps, cons.tokens.size(), cons_tps, cons.finish_reason.c_str());
  std::printf("constrained output: %s\n", cons.text.c_str());

  // The constraint alone, per token of the constrained output.
  std::vector<float> logits(static_cast<size_t>((*runner)->vocab_size()), 0.5f);
  for (int pass = 0; pass < 2; ++pass) {
    auto fresh = pass == 0 ? std::make_shared<const CompiledGrammar>(*CompileToolCallGrammar(tools),
                                                                     std::make_shared<const VocabularyTrie>((*grammar)->vocab()),
                                                                     (*runner)->vocab_size())
                           : *grammar;
    TokenConstraint c(fresh, {});
    double worst = 0, total = 0;
    for (int32_t t : cons.tokens) {
      const auto start = std::chrono::steady_clock::now();
      c.ApplyMask(logits.data(), static_cast<int64_t>(logits.size()));
      if (!c.Accept(t).ok()) return std::fprintf(stderr, "replay refused token %d\n", t), 1;
      const double s = Seconds(start);
      worst = std::max(worst, s);
      total += s;
    }
    const double per = total / static_cast<double>(cons.tokens.size());
    std::printf("mask + accept per token (%s): mean %.3f ms, worst %.3f ms = %.2f%% of an unconstrained decode step\n",
                pass == 0 ? "uncached" : "cached", 1e3 * per, 1e3 * worst, 100.0 * per * plain_tps);
  }
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Main(argc, argv); }
