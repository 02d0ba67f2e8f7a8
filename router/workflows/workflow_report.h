// What `switchyard run` prints: one JSON object for the whole run on stdout, and a logfmt line
// per step event on stderr as the run goes.
//
//   {"workflow": "codegen", "ok": false, "error": "step \"fix\": tests still failing after 3 rounds",
//    "failed_step": "fix", "outputs": {...}, "latency_ms": 5210,
//    "usage": {"prompt_tokens": 812, "completion_tokens": 640, "cached_prompt_tokens": 512},
//    "steps": [{"id": "write", "kind": "model", "role": "coder", "status": "ok", "ok": true,
//               "attempts": 1, "latency_ms": 900, "output": "...", "finish": "stop",
//               "trace_id": "...", "usage": {...}},
//              {"id": "patch", "loop": "fix", "round": 2, ...}, ...]}
//
//   event=finished step=test kind=tool tool=run_code ok=false attempts=2 latency_ms=41 error="..."
//   event=finished step=fix kind=repeat ok=true rounds=2 latency_ms=3410
//
// Step outputs longer than kReportOutputBytes are cut (with "output_truncated": true); the
// workflow's outputs never are.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_REPORT_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_REPORT_H_

#include <cstddef>
#include <string>

#include "nlohmann/json.hpp"
#include "router/workflows/workflow.h"
#include "router/workflows/workflow_runner.h"

namespace switchyard::workflows {

inline constexpr size_t kReportOutputBytes = 4000;

nlohmann::json ReportJson(const Workflow& workflow, const RunResult& result);

// One logfmt line, without the newline.
std::string FormatStepEvent(const StepEvent& event);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_REPORT_H_
