// AuditEvents: the shapes of the events the router appends to the AuditLog, in one place so that
// every writer spells them alike and a reader (or `switchyard audit`) can rely on them.
//
// Every event has "event" (its kind), "tenant" and "trace_id"; the rest depends on the kind.
// Keys never hold API keys or request text: an audit log is read by more people than a request.
//
// Thread safety: free functions.
#ifndef SWITCHYARD_POLICIES_AUDIT_EVENTS_H_
#define SWITCHYARD_POLICIES_AUDIT_EVENTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "policies/guardrails.h"

namespace switchyard {

// {"event":"route","route":"coder","confidence":0.93,"pinned":false,...}
nlohmann::json RouteDecisionEvent(absl::string_view tenant, absl::string_view trace_id, absl::string_view route,
                                  double confidence, bool pinned);

// {"event":"tool_call","tool":"run_code","step":2,"code":"OK","error":""}
nlohmann::json ToolCallEvent(absl::string_view tenant, absl::string_view trace_id, absl::string_view tool,
                             int step, const absl::Status& result);

// {"event":"denial","code":"PERMISSION_DENIED","error":"tenant 'acme' may not use tool 'x'"}
// `tenant` is empty for an UNAUTHENTICATED request.
nlohmann::json PolicyDenialEvent(absl::string_view tenant, absl::string_view trace_id, const absl::Status& denial);

// {"event":"guardrail","rule":"email","direction":"input","action":"redact","spans":2}
nlohmann::json GuardrailEvent(absl::string_view tenant, absl::string_view trace_id, const GuardrailDecision& d);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_AUDIT_EVENTS_H_
