// FixtureReference: what llama.cpp produced on a fixture model (../shared/fixtures/*/ref.json,
// format in ../shared/oracle/README.md), read for the engine's comparison tests.
#ifndef SWITCHYARD_TESTS_ENGINE_RUNTIME_FIXTURE_REFERENCE_H_
#define SWITCHYARD_TESTS_ENGINE_RUNTIME_FIXTURE_REFERENCE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::testing {

struct TopEntry {
  int32_t id;
  double logit;
};

struct ReferenceStep {
  int32_t token;
  std::vector<TopEntry> top;
  double lse;
  double margin;  // top1 - top2 logit
};

struct ReferencePrompt {
  std::string id;
  std::string text;
  std::vector<int32_t> tokens_hf;
  std::vector<std::vector<TopEntry>> prompt_next;  // per prompt position
  std::vector<ReferenceStep> greedy;
};

// Reads ref.json; fails the current test (and returns empty) on a malformed file.
std::vector<ReferencePrompt> ReadReference(const std::string& path);

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ENGINE_RUNTIME_FIXTURE_REFERENCE_H_
