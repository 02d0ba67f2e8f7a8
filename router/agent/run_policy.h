// RunPolicy: what an agent run asks of the operator's policy while it runs — may the tenant use
// this tool or role, what do the output guardrails make of the answer and of a tool call's
// arguments, and the audit record of each tool call. The router answers with its PolicyGate for
// the request's tenant (router/service/gate_run_policy.h); tests answer with a fake.
// Thread safety: implementations must be safe from any thread (tool calls audit in parallel).
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_POLICY_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policies/guardrails.h"

namespace switchyard {

class RunPolicy {
 public:
  virtual ~RunPolicy() = default;
  // A router tool the request asks for: PERMISSION_DENIED unless the tenant may use it.
  virtual absl::Status AdmitTool(absl::string_view tool) = 0;
  // A delegation (ask_*) to `role`, when the model makes it: PERMISSION_DENIED ends the
  // delegation (the model reads why), not the run.
  virtual absl::Status AdmitDelegation(absl::string_view role) = 0;
  // A tool call's arguments through the output rules: the text to run with, or
  // PERMISSION_DENIED when a rule blocks them (the run ends).
  virtual absl::StatusOr<std::string> GuardToolArguments(absl::string_view tool, std::string arguments_json) = 0;
  // Records what the output rules did to a piece of the answer: OK, the block
  // (PERMISSION_DENIED) that ends the run, or UNAVAILABLE when the audit log refuses.
  virtual absl::Status AuditOutput(const GuardrailOutcome& outcome) = 0;
  // Records one executed tool call before its result goes anywhere; UNAVAILABLE when the log
  // refuses (the run must end).
  virtual absl::Status AuditToolCall(absl::string_view tool, int step, const absl::Status& result) = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_POLICY_H_
