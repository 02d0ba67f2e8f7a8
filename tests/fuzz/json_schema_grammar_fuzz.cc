// Fuzz target: the engine's JSON Schema -> grammar compiler (constrained decoding, schemas come
// from requests) and the matcher over it. The input is a schema, a NUL byte, then bytes to feed
// the matcher (no NUL: the input is both). Any bytes give InvalidArgument or a grammar, and the
// matcher takes any bytes without crashing. Two properties of sharing schema/ are checked too:
// the compiler refuses exactly what schema/'s parser refuses, with the same status, and what
// the matcher accepts is JSON the validator passes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "schema/parser.h"
#include "schema/validator.h"
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
// Returns the bytes taken when they form a complete value, else nullopt.
std::optional<std::string> Feed(const switchyard::Grammar& grammar, const std::string& bytes) {
  switchyard::GrammarMatcher matcher(&grammar);
  std::string taken;
  for (size_t i = 0; i < bytes.size() && i < 4096; ++i) {
    const bool finished = matcher.finished();
    const bool ok = matcher.Advance(bytes.substr(i, 1));
    Require(!(finished && ok), "a finished matcher took another byte");
    if (finished) Require(matcher.accepted(), "a finished matcher does not accept");
    if (ok) taken += bytes[i];
  }
  if (!matcher.accepted()) return std::nullopt;
  return taken;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string schema = input.substr(0, nul);
  const std::string bytes = nul == std::string::npos ? input : input.substr(nul + 1);

  auto grammar = switchyard::CompileJsonSchema(schema, "fuzz");
  auto parsed = switchyard::schema::ParseSchema(schema, "fuzz");
  if (grammar.ok()) {
    Require(parsed.ok(), "the grammar compiler accepts a schema the parser refuses");
    if (std::optional<std::string> value = Feed(*grammar, bytes)) {
      const nlohmann::json instance = nlohmann::json::parse(*value, nullptr, /*allow_exceptions=*/false);
      Require(!instance.is_discarded(), "the grammar accepts text that is not JSON");
      Require(switchyard::schema::Validate(*parsed, instance).empty(), "the grammar accepts a value the validator refuses");
    }
  } else {
    Require(grammar.status().code() == absl::StatusCode::kInvalidArgument, "compile error is not InvalidArgument");
    Require(!parsed.ok() && parsed.status() == grammar.status(), "the grammar compiler and the parser disagree");
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
