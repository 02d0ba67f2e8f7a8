// The values of a workflow's inputs for one run: what `--input KEY=VALUE` gave, defaults, files.
//
//   --input spec="a fizzbuzz function"   text
//   --input contract=@vertrag.txt        "@path": the file's content (relative to the current directory)
//   --input tag=@@home                   "@@": a literal "@home"
//
// An input declared `file: true` takes a path without the "@"; its default, if relative, is read
// from beside the workflow file, so examples run from anywhere. Typed inputs (integer, number,
// boolean) are converted here, so a run never starts with rounds="three".
//
// Thread safety: free functions; they read files, nothing else.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_INPUTS_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_INPUTS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "router/workflows/workflow.h"

namespace switchyard::workflows {

// "KEY=VALUE" split at the first "="; InvalidArgument when there is none or KEY is empty.
absl::StatusOr<std::pair<std::string, std::string>> ParseInputAssignment(absl::string_view text);

// `text` as a value of `type`: a string, an int64, a finite double, or true/false.
// InvalidArgument "expected an integer, got \"abc\"".
absl::StatusOr<nlohmann::json> ConvertInputValue(absl::string_view text, InputType type);

// A JSON object with every declared input: the given value, else the default, else null
// (optional inputs). InvalidArgument for an unknown or repeated key, a missing required input,
// a value of the wrong type, or a file that cannot be read; each names the input.
absl::StatusOr<nlohmann::json> ResolveInputs(const Workflow& workflow,
                                             const std::vector<std::pair<std::string, std::string>>& given);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_INPUTS_H_
