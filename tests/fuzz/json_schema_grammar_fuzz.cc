// Fuzz target: the engine's JSON Schema -> grammar compiler (constrained decoding, schemas come
// from requests) and the matcher over it. The input is a schema, a NUL byte, then bytes to feed
// the matcher (no NUL: the input is both). Any bytes give InvalidArgument or a grammar, and the
// matcher takes any bytes without crashing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/json_schema_grammar.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "json_schema_grammar_fuzz: %s\n", what);
    std::abort();
  }
}

// Bytes the matcher refuses are skipped (a refusal leaves it unchanged), so it walks as far into
// the language as the input allows. Once finished (nothing may follow), every byte is refused.
void Feed(const switchyard::Grammar& grammar, const std::string& bytes) {
  switchyard::GrammarMatcher matcher(&grammar);
  for (size_t i = 0; i < bytes.size() && i < 4096; ++i) {
    const bool finished = matcher.finished();
    const bool ok = matcher.Advance(bytes.substr(i, 1));
    Require(!(finished && ok), "a finished matcher took another byte");
    if (finished) Require(matcher.accepted(), "a finished matcher does not accept");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string schema = input.substr(0, nul);
  const std::string bytes = nul == std::string::npos ? input : input.substr(nul + 1);

  auto grammar = switchyard::CompileJsonSchema(schema, "fuzz");
  if (grammar.ok()) {
    Feed(*grammar, bytes);
  } else {
    Require(grammar.status().code() == absl::StatusCode::kInvalidArgument, "compile error is not InvalidArgument");
  }
  const std::vector<switchyard::ToolSchema> tools = {{"f", schema}, {"g", "{}"}};
  auto calls = switchyard::CompileToolCallGrammar(tools);
  if (calls.ok()) {
    Feed(*calls, "<tool_call>\n{\"name\": \"f\", \"arguments\": " + bytes);
  } else {
    Require(calls.status().code() == absl::StatusCode::kInvalidArgument, "tool grammar error is not InvalidArgument");
  }
  return 0;
}
