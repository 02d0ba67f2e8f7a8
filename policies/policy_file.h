// PolicyFile: reads and validates a policy file (YAML) into a Policy.
//
//   version: 1                          # optional; the only version so far
//   tenants:                            # required, at least one
//     - name: acme                      # [A-Za-z0-9_.-], unique
//       api_keys:                       # at least one; hashes only (HashApiKey / sha256sum)
//         - sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//           label: ci                   # optional, for the operator
//       limits:                         # each optional: absent means unlimited
//         requests_per_minute: 60       # token bucket, bursts up to a minute's worth
//         tokens_per_minute: 100000     # prompt + completion tokens, token bucket
//         tokens_per_day: 2000000       # budget per UTC calendar day
//       allow:                          # deny by default: what is not listed is refused
//         roles: [reasoning, coder]     # reasoning | coder | translation
//         tools: [run_code, search_documents]
//       sandbox: {timeout_seconds: 10, memory_mb: 256}   # defaults shown
//       max_steps: 8                    # agent-loop steps per request (default 8)
//   guardrails:                         # optional; rules run in order
//     input:
//       - {name: email, builtin: email, action: redact}          # -> "[redacted:email]"
//       - {name: card, builtin: card_number, action: redact, replacement: "[card]"}
//     output:
//       - {name: secret, pattern: 'sk-[A-Za-z0-9]{20,}', action: block}
//   audit:
//     path: /var/log/switchyard/audit.jsonl   # optional
//
// Every error is InvalidArgument "<file>: <key path>: <what>", e.g.
// "policy.yaml: tenants[1].limits.requests_per_minute: must be a positive integer"; unknown
// keys are errors, so a misspelt limit never silently means "unlimited".
//
// Thread safety: free functions.
#ifndef SWITCHYARD_POLICIES_POLICY_FILE_H_
#define SWITCHYARD_POLICIES_POLICY_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policies/policy.h"

namespace switchyard {

// `file` names the source in messages only.
absl::StatusOr<std::shared_ptr<const Policy>> ParsePolicyFile(absl::string_view yaml, absl::string_view file);

// NotFound when the file is missing, InvalidArgument when it is malformed (see above).
absl::StatusOr<std::shared_ptr<const Policy>> LoadPolicyFile(const std::string& path);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_POLICY_FILE_H_
