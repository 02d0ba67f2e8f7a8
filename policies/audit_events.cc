#include "policies/audit_events.h"

namespace switchyard {
namespace {

nlohmann::json Base(absl::string_view kind, absl::string_view tenant, absl::string_view trace_id) {
  nlohmann::json j = nlohmann::json::object();
  j["event"] = std::string(kind);
  j["tenant"] = std::string(tenant);
  j["trace_id"] = std::string(trace_id);
  return j;
}

}  // namespace

nlohmann::json RouteDecisionEvent(absl::string_view tenant, absl::string_view trace_id, absl::string_view route,
                                  double confidence, bool pinned) {
  nlohmann::json j = Base("route", tenant, trace_id);
  j["route"] = std::string(route);
  j["confidence"] = confidence;
  j["pinned"] = pinned;
  return j;
}

nlohmann::json ToolCallEvent(absl::string_view tenant, absl::string_view trace_id, absl::string_view tool, int step,
                             const absl::Status& result) {
  nlohmann::json j = Base("tool_call", tenant, trace_id);
  j["tool"] = std::string(tool);
  j["step"] = step;
  j["code"] = absl::StatusCodeToString(result.code());
  j["error"] = std::string(result.message());
  return j;
}

nlohmann::json PolicyDenialEvent(absl::string_view tenant, absl::string_view trace_id, const absl::Status& denial) {
  nlohmann::json j = Base("denial", tenant, trace_id);
  j["code"] = absl::StatusCodeToString(denial.code());
  j["error"] = std::string(denial.message());
  return j;
}

nlohmann::json GuardrailEvent(absl::string_view tenant, absl::string_view trace_id, const GuardrailDecision& d) {
  nlohmann::json j = Base("guardrail", tenant, trace_id);
  j["rule"] = d.rule;
  j["direction"] = std::string(DirectionName(d.direction));
  j["action"] = std::string(ActionName(d.action));
  j["spans"] = d.spans;
  return j;
}

}  // namespace switchyard
