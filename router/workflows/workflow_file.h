// Workflow files: YAML read and checked into a Workflow (workflow.h). Everything that can be
// checked before a model runs is: keys, kinds, roles, tools, numbers, and every `{{ }}` and
// condition against the inputs and steps it may name (reference_scope.h).
//
//   name: codegen                      # optional; [A-Za-z0-9_.-], default: the file's stem
//   description: ...
//   inputs:
//     spec:   {required: true, description: what to build}
//     rounds: {type: integer, default: 3}             # string | integer | number | boolean
//     tests:  {file: true, default: data/tests.py}   # the value is a path; its content is used
//   documents:                         # for search_documents (steps may list their own)
//     - {name: contract.txt, text: "{{ inputs.contract }}"}
//   steps:
//     - id: write                      # [A-Za-z_][A-Za-z0-9_-]*, unique in the file
//       role: coder                    # reasoning | coder | translation | auto
//       system: You write Python.
//       prompt: "Write {{ inputs.spec }}"
//       extract: code                  # text (default) | code | json
//       schema: {type: object, ...}    # JSON Schema the answer must follow (implies json)
//       tools: [run_code]              # router tools: an agent loop inside the step
//       max_tokens: 512                # also temperature, seed, thinking, max_steps
//       retry: {attempts: 3, delay_ms: 500}
//       timeout_s: 120
//       continue_on_error: false
//     - id: test
//       tool: run_code                 # run_code | search_documents | ask_coder | ask_translator | ask_reasoner
//       with: {language: python, code: "{{ steps.write.output }}"}
//     - id: fix
//       if: steps.test.result.exit_code != 0
//       repeat: {max: "{{ inputs.rounds }}", until: "steps.retest.result.exit_code == 0",
//                error: "tests still failing after {{ loop.round }} rounds"}
//       steps: [...]
//   outputs:
//     code: "{{ steps.fix.output or steps.write.output }}"
//
// Errors are InvalidArgument "<file>:<line>: <key path>: <what>", e.g.
// "codegen.yaml:12: steps[1].with.code: steps.wrte.output: unknown step \"wrte\" (steps: fix, test, write)";
// YAML syntax errors "<file>:<line>:<column>: invalid YAML: <what>". Unknown keys are errors.
//
// Thread safety: free functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_FILE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "router/workflows/workflow.h"

namespace switchyard::workflows {

inline constexpr int kMaxRepeatRounds = 100;  // a repeat's max; loops are bounded by design

// `file` names the text in messages and becomes Workflow::file.
absl::StatusOr<Workflow> ParseWorkflow(absl::string_view yaml, absl::string_view file);

// NotFound when the file is missing; otherwise as ParseWorkflow.
absl::StatusOr<Workflow> LoadWorkflowFile(const std::string& path);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_FILE_H_
