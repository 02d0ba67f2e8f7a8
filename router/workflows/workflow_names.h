// The names a workflow file gives to things, and what they may be spelt with. A step id, an
// input and an output appear in paths such as steps.ID.output and inputs.NAME (condition.h), so
// they are identifiers; a workflow's own name appears in file names and reports.
//
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_NAMES_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_NAMES_H_

#include "absl/strings/string_view.h"

namespace switchyard::workflows {

// A step id, input or output name: [A-Za-z_][A-Za-z0-9_-]*, at most 64 characters.
bool IsIdentifier(absl::string_view s);

// A workflow's name: 1-64 characters of [A-Za-z0-9_.-].
bool IsWorkflowName(absl::string_view s);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_NAMES_H_
