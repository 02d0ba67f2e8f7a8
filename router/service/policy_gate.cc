#include "router/service/policy_gate.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "policies/api_key_hash.h"
#include "policies/audit_events.h"

namespace switchyard {

absl::Status PolicyGate::Audit(const nlohmann::json& event) {
  if (audit_ == nullptr) return absl::OkStatus();
  auto seq = audit_->Append(event);
  if (seq.ok()) return absl::OkStatus();
  // The decision could not be put on record: refuse rather than serve unaudited.
  return absl::UnavailableError(absl::StrCat("the audit log cannot record this request (", seq.status().message(),
                                             "); the operator must check ", audit_->path()));
}

absl::Status PolicyGate::Deny(absl::string_view tenant, absl::string_view trace_id, absl::Status denial) {
  if (absl::Status s = Audit(PolicyDenialEvent(tenant, trace_id, denial)); !s.ok()) return s;
  return denial;
}

absl::StatusOr<Admission> PolicyGate::Authenticate(absl::string_view authorization, absl::string_view trace_id) {
  Admission who;
  if (store_ == nullptr) return who;
  who.policy = store_->Current();
  auto tenant = who.policy->Authenticate(BearerToken(authorization));
  if (!tenant.ok()) return Deny("", trace_id, tenant.status());
  who.tenant = *tenant;
  if (absl::Status s = limiter_.Admit(*who.tenant); !s.ok()) return Deny(who.tenant->name, trace_id, std::move(s));
  return who;
}

absl::Status PolicyGate::AdmitRoute(const Admission& who, absl::string_view trace_id, absl::string_view role,
                                    double confidence, bool pinned,
                                    google::protobuf::RepeatedPtrField<v1::ChatMessage>* messages) {
  if (store_ == nullptr) return absl::OkStatus();
  const std::string tenant = who.tenant_name();
  if (absl::Status s = CheckRole(*who.tenant, role); !s.ok()) return Deny(tenant, trace_id, std::move(s));
  // Input guardrails on what the client wrote (system, user and tool text); earlier assistant
  // turns are the models' own words, checked on their way out.
  for (v1::ChatMessage& m : *messages) {
    if (m.role() == v1::ChatMessage::ASSISTANT || m.content().empty()) continue;
    GuardrailOutcome outcome = who.policy->guardrails.Apply(GuardrailDirection::kInput, m.content());
    for (const GuardrailDecision& d : outcome.decisions) {
      if (absl::Status s = Audit(GuardrailEvent(tenant, trace_id, d)); !s.ok()) return s;
    }
    if (outcome.blocked) return Deny(tenant, trace_id, outcome.ToStatus(GuardrailDirection::kInput));
    if (!outcome.decisions.empty()) m.set_content(std::move(outcome.text));
  }
  return Audit(RouteDecisionEvent(tenant, trace_id, role, confidence, pinned));
}

const Guardrails* PolicyGate::OutputRules(const Admission& who) const {
  if (store_ == nullptr || who.policy == nullptr) return nullptr;
  return who.policy->guardrails.HasRules(GuardrailDirection::kOutput) ? &who.policy->guardrails : nullptr;
}

absl::Status PolicyGate::AuditOutput(const Admission& who, absl::string_view trace_id, const GuardrailOutcome& outcome) {
  const std::string tenant = who.tenant_name();
  for (const GuardrailDecision& d : outcome.decisions) {
    if (absl::Status s = Audit(GuardrailEvent(tenant, trace_id, d)); !s.ok()) return s;
  }
  if (outcome.blocked) return Deny(tenant, trace_id, outcome.ToStatus(GuardrailDirection::kOutput));
  return absl::OkStatus();
}

absl::Status PolicyGate::AdmitTool(const Admission& who, absl::string_view trace_id, absl::string_view tool) {
  if (store_ == nullptr) return absl::OkStatus();
  if (absl::Status s = CheckTool(*who.tenant, tool); !s.ok()) return Deny(who.tenant_name(), trace_id, std::move(s));
  return absl::OkStatus();
}

absl::Status PolicyGate::AdmitDelegation(const Admission& who, absl::string_view trace_id, absl::string_view role) {
  if (store_ == nullptr) return absl::OkStatus();
  if (absl::Status s = CheckRole(*who.tenant, role); !s.ok()) return Deny(who.tenant_name(), trace_id, std::move(s));
  return absl::OkStatus();
}

absl::Status PolicyGate::AuditToolCall(const Admission& who, absl::string_view trace_id, absl::string_view tool,
                                       int step, const absl::Status& result) {
  if (store_ == nullptr) return absl::OkStatus();
  return Audit(ToolCallEvent(who.tenant_name(), trace_id, tool, step, result));
}

absl::StatusOr<std::string> PolicyGate::GuardToolArguments(const Admission& who, absl::string_view trace_id,
                                                           absl::string_view tool, std::string arguments_json) {
  const Guardrails* rules = OutputRules(who);
  if (rules == nullptr) return arguments_json;
  GuardrailOutcome outcome = rules->Apply(GuardrailDirection::kOutput, arguments_json);
  if (absl::Status s = AuditOutput(who, trace_id, outcome); !s.ok()) return s;
  if (outcome.decisions.empty()) return arguments_json;
  if (!nlohmann::json::accept(outcome.text)) {
    return Deny(who.tenant_name(), trace_id,
                absl::PermissionDeniedError(absl::StrCat("the arguments of a call of ", tool,
                                                         " are no longer JSON once redacted by the output guardrails")));
  }
  return std::move(outcome.text);
}

sandbox::SandboxLimits PolicyGate::SandboxLimitsFor(const Admission& who) const {
  sandbox::SandboxLimits limits;
  if (who.tenant == nullptr) return limits;
  limits.timeout = std::chrono::seconds(who.tenant->sandbox.timeout_seconds);
  limits.memory_bytes = who.tenant->sandbox.memory_mb << 20;
  return limits;
}

void PolicyGate::Charge(const Admission& who, int64_t tokens) {
  if (store_ == nullptr || who.tenant == nullptr || tokens <= 0) return;
  limiter_.Charge(*who.tenant, tokens);
}

}  // namespace switchyard
