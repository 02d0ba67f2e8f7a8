// Fuzz target: the policy file parser. Any bytes give a policy or an InvalidArgument status
// (yaml-cpp's exceptions never escape); an accepted policy has tenants, each with a key hash, and
// its guardrails run on the input bytes without crashing.
#include <cstdint>
#include <cstdlib>

#include "policies/policy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = switchyard::ParsePolicyFile(text, "fuzz.yaml");
  if (!p.ok()) {
    if (p.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if ((*p)->tenants.empty()) std::abort();
  for (const auto& t : (*p)->tenants) {
    if (t.key_hashes.empty()) std::abort();
  }
  (*p)->guardrails.Apply(switchyard::GuardrailDirection::kInput, text);
  (*p)->guardrails.Apply(switchyard::GuardrailDirection::kOutput, text);
  return 0;
}
