// PolicyGate: what the router's policy file (policies/) decides for one request, in the order a
// request meets it: who is asking (the `authorization: Bearer <key>` metadata), whether the
// tenant is within its rate limits and daily budget, whether it may use the chosen role, and
// what the input guardrails do to its messages (redact in place, or block). Every decision that
// refuses or changes a request, and every route taken, is appended to the audit log before the
// answer starts, and tokens used are charged when it ends.
//
// Without a policy file the router is open (no keys, no limits, no audit), as `switchyard up`
// runs it on loopback: Admit lets everything through.
//
// Status codes: UNAUTHENTICATED (missing or wrong key), RESOURCE_EXHAUSTED (over a rate limit or
// the daily budget; the message carries "retry after N s"), PERMISSION_DENIED (a role the tenant
// may not use, or input blocked by a guardrail), UNAVAILABLE when the audit log cannot record
// the decision (a request that cannot be audited is not served).
// Thread safety: Admit, Charge and AuditRoute may be called from any thread.
#ifndef SWITCHYARD_ROUTER_SERVICE_POLICY_GATE_H_
#define SWITCHYARD_ROUTER_SERVICE_POLICY_GATE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policies/audit_log.h"
#include "policies/policy.h"
#include "policies/policy_store.h"
#include "policies/rate_limiter.h"
#include "sandbox/sandbox_limits.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

// What Admit granted: the tenant (empty on an open router) and the policy it was judged by,
// kept alive for the request even if the file is reloaded meanwhile.
struct Admission {
  std::shared_ptr<const Policy> policy;
  const TenantPolicy* tenant = nullptr;
  std::string tenant_name() const { return tenant ? tenant->name : ""; }
};

class PolicyGate {
 public:
  // An open gate: everything is admitted, nothing audited.
  PolicyGate() = default;
  // `store` and `audit` (may be null: no audit log) must outlive the gate.
  PolicyGate(PolicyStore* store, AuditLog* audit) : store_(store), audit_(audit) {}

  bool open() const { return store_ == nullptr; }

  // Authenticates `authorization` (the metadata value, "Bearer <key>"; empty when absent) and
  // checks the rate limits. Call before routing.
  absl::StatusOr<Admission> Authenticate(absl::string_view authorization, absl::string_view trace_id);
  // The role check and the input guardrails for the chosen route; redacts `messages`' text in
  // place. Appends the route decision to the audit log when admitted.
  absl::Status AdmitRoute(const Admission& who, absl::string_view trace_id, absl::string_view role, double confidence,
                          bool pinned, google::protobuf::RepeatedPtrField<v1::ChatMessage>* messages);
  // The tokens a finished request used, against the tenant's per-minute and daily budgets.
  void Charge(const Admission& who, int64_t tokens);
  // The output rules the answer must pass through (an OutputGuard per stream), or null when the
  // policy has none.
  const Guardrails* OutputRules(const Admission& who) const;
  // Records what the output rules did to a piece of the answer: OK, the block (PERMISSION_DENIED)
  // that ends the stream, or UNAVAILABLE when the audit log refuses.
  absl::Status AuditOutput(const Admission& who, absl::string_view trace_id, const GuardrailOutcome& outcome);

  // The agent loop's questions. A router tool the request asks for (PERMISSION_DENIED unless
  // the tenant may use it; the denial is audited).
  absl::Status AdmitTool(const Admission& who, absl::string_view trace_id, absl::string_view tool);
  // A delegation (ask_coder, ...) to `role`, checked when the model makes it.
  absl::Status AdmitDelegation(const Admission& who, absl::string_view trace_id, absl::string_view role);
  // Records one executed tool call; UNAVAILABLE when the log refuses (the run must end).
  absl::Status AuditToolCall(const Admission& who, absl::string_view trace_id, absl::string_view tool, int step,
                             const absl::Status& result);
  // The output rules applied to a tool call's arguments (JSON text): the text to run with
  // (redacted where a rule says so), PERMISSION_DENIED when a rule blocks it or redaction would
  // leave text that is no longer JSON. Unchanged without output rules.
  absl::StatusOr<std::string> GuardToolArguments(const Admission& who, absl::string_view trace_id,
                                                 absl::string_view tool, std::string arguments_json);
  // The tenant's sandbox limits for run_code, on the sandbox's defaults (open router: defaults).
  sandbox::SandboxLimits SandboxLimitsFor(const Admission& who) const;

 private:
  // Appends a denial and returns `denial` (or UNAVAILABLE when the log refuses).
  absl::Status Deny(absl::string_view tenant, absl::string_view trace_id, absl::Status denial);
  absl::Status Audit(const nlohmann::json& event);

  PolicyStore* store_ = nullptr;
  AuditLog* audit_ = nullptr;
  RateLimiter limiter_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_POLICY_GATE_H_
