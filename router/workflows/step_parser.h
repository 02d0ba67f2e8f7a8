// StepParser: the `steps:` lists of a workflow file read into Steps (workflow.h): model calls,
// tool calls and repeats, with their `if:`, `retry:`, `timeout_s:` and `documents:`. Every
// template and condition of a step is checked against what that step may see (template_reader.h).
//
// It keeps what spans the whole file: the shape of every step (so a step may name a later step
// of its repeat, whose previous round it sees, and a step that runs later gets a better message
// than "unknown"), the ids seen so far (no duplicates) and the step count (at most 1000).
//
// Thread safety: one parser per file; not for concurrent use.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_STEP_PARSER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_STEP_PARSER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "router/workflows/reference_scope.h"
#include "router/workflows/workflow.h"
#include "router/workflows/yaml_node_reader.h"

namespace switchyard::workflows {

// Repeats nest at most this deep.
inline constexpr int kMaxRepeatNesting = 4;

// Every step id under `seq` (repeats' steps included, `depth` repeats deep so far), with its kind,
// read before the steps are parsed. Malformed steps are skipped: parsing reports them.
void CollectStepShapes(const YAML::Node& seq, int depth, std::map<std::string, StepShape>* out);

class StepParser {
 public:
  explicit StepParser(const YamlNodeReader& yaml) : yaml_(yaml) {}  // `yaml` must outlive the parser
  StepParser(const StepParser&) = delete;
  StepParser& operator=(const StepParser&) = delete;

  // Collects the file's step shapes from its top-level `steps:`; call before any template that
  // may name a step is read. all() then holds them, for ReferenceScope::all.
  void CollectFileShapes(const YAML::Node& steps) { CollectStepShapes(steps, 0, &all_); }
  const std::map<std::string, StepShape>& all() const { return all_; }
  // The steps parsed so far: after the last one, what the workflow's outputs may name.
  const std::map<std::string, StepShape>& parsed() const { return parsed_; }

  // A non-empty list of steps at `where` ("steps", "steps[2].steps"), inside `nesting` repeats.
  // Each parsed step becomes visible in `scope` to the steps after it.
  absl::Status ParseSteps(const YAML::Node& seq, const std::string& where, ReferenceScope& scope, int nesting,
                          std::vector<Step>* out);

 private:
  absl::StatusOr<Step> ParseStep(const YAML::Node& n, const std::string& where, ReferenceScope& scope, int nesting);
  // id (unique in the file) and name.
  absl::Status ParseIdentity(const YAML::Node& n, const std::string& where, Step* s);
  // Exactly one of role:, tool:, repeat:, and no key that belongs to another kind.
  absl::StatusOr<StepKind> ParseKind(const YAML::Node& n, const std::string& where) const;
  // The keys every kind may have: if, continue_on_error, retry, timeout_s, documents.
  absl::Status ParseControls(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, Step* s) const;
  absl::Status ParseRetry(const YAML::Node& r, const std::string& at, RetryPolicy* retry) const;
  // Makes the step, and a repeat's inner steps, visible to what follows it in `scope`.
  void Publish(const YAML::Node& n, const Step& s, ReferenceScope& scope);

  absl::Status ParseModel(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, ModelCall* m) const;
  // schema: a JSON Schema (a mapping, or a string holding JSON) that makes the answer JSON.
  absl::Status ParseAnswerSchema(const YAML::Node& schema, const std::string& at, bool extract_given, ModelCall* m) const;
  // tools: the router tools the model may call.
  absl::Status ParseAgentTools(const YAML::Node& tools, const std::string& at, ModelCall* m) const;
  // max_tokens, temperature, seed, thinking, max_steps.
  absl::Status ParseGenerationOptions(const YAML::Node& n, const std::string& where, ModelCall* m) const;
  absl::Status ParseTool(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, ToolCall* t) const;
  absl::Status ParseRepeat(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, int nesting, Step* s);

  const YamlNodeReader& yaml_;
  std::map<std::string, StepShape> all_;      // CollectFileShapes over the whole file
  std::map<std::string, StepShape> parsed_;   // steps parsed so far
  std::map<std::string, std::string> ids_;    // id -> where, for duplicates
  int step_count_ = 0;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_STEP_PARSER_H_
