// GateRunPolicy: the agent loop's RunPolicy answered by the router's PolicyGate for one
// request — its tenant (the Admission, which keeps the policy it was judged by alive for the
// request) and its trace id, which every audit record carries.
// Thread safety: as PolicyGate, safe from any thread; the gate must outlive it.
#ifndef SWITCHYARD_ROUTER_SERVICE_GATE_RUN_POLICY_H_
#define SWITCHYARD_ROUTER_SERVICE_GATE_RUN_POLICY_H_

#include <string>
#include <utility>

#include "router/agent/run_policy.h"
#include "router/service/policy_gate.h"

namespace switchyard {

class GateRunPolicy final : public RunPolicy {
 public:
  GateRunPolicy(PolicyGate& gate, Admission who, std::string trace_id)
      : gate_(gate), who_(std::move(who)), trace_id_(std::move(trace_id)) {}

  absl::Status AdmitTool(absl::string_view tool) override { return gate_.AdmitTool(who_, trace_id_, tool); }
  absl::Status AdmitDelegation(absl::string_view role) override {
    return gate_.AdmitDelegation(who_, trace_id_, role);
  }
  absl::StatusOr<std::string> GuardToolArguments(absl::string_view tool, std::string arguments_json) override {
    return gate_.GuardToolArguments(who_, trace_id_, tool, std::move(arguments_json));
  }
  absl::Status AuditOutput(const GuardrailOutcome& outcome) override {
    return gate_.AuditOutput(who_, trace_id_, outcome);
  }
  absl::Status AuditToolCall(absl::string_view tool, int step, const absl::Status& result) override {
    return gate_.AuditToolCall(who_, trace_id_, tool, step, result);
  }

 private:
  PolicyGate& gate_;
  const Admission who_;
  const std::string trace_id_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_GATE_RUN_POLICY_H_
