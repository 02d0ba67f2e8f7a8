// Workflow: a declarative pipeline loaded from YAML (workflow_file.h) and run by WorkflowRunner.
// Steps run in order; each calls a model role through the router, runs one router tool, or
// repeats a block of steps. Plain data: the loader fills it, the runner reads it.
//
// Thread safety: immutable after loading; share it freely.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"
#include "router/workflows/json_template.h"
#include "router/workflows/template.h"

namespace switchyard::workflows {

enum class InputType { kString, kInteger, kNumber, kBoolean };

struct WorkflowInput {
  std::string name;
  std::string description;
  bool required = false;
  std::optional<std::string> default_value;  // as written; converted to `type` when used
  InputType type = InputType::kString;
  // The value names a file whose content is the input (a relative default is read from beside
  // the workflow file). Any input may also be given as @path on the command line.
  bool file = false;
};

// A document a step attaches for search_documents (ChatRequest / CallToolRequest.documents).
struct DocumentSpec {
  Template name;
  Template text;
};

enum class StepKind { kModel, kTool, kRepeat };
const char* StepKindName(StepKind kind);  // "model", "tool", "repeat"

// What a model step keeps of the answer as its output.
enum class Extract {
  kText,  // the answer as it is
  kCode,  // the first fenced ``` block; the whole answer when there is none
  kJson,  // the JSON in the answer (fenced or bare); the step fails if there is none
};

struct ModelCall {
  std::string role;                // reasoning | coder | translation | auto (the router classifies)
  std::optional<Template> system;  // the system message
  Template prompt;                 // the user message
  Extract extract = Extract::kText;
  std::string json_schema;         // set: the answer is constrained to this schema (implies kJson)
  std::vector<std::string> tools;  // router tools the model may call (an agent loop)
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<uint64_t> seed;
  std::optional<bool> thinking;    // enable_thinking
  std::optional<int> max_steps;    // the agent loop's step limit
};

struct ToolCall {
  std::string name;
  JsonTemplate with;  // the arguments: always an object
};

struct Step;

struct Repeat {
  Template max;                      // rounds at most: a number, or a template giving one
  std::optional<Expression> until;   // checked after each round; true ends the loop
  std::optional<Template> error;     // the failure message when `until` never held
  std::vector<Step> steps;
};

struct RetryPolicy {
  int attempts = 1;        // calls at most, the first included
  int64_t delay_ms = 0;    // wait between attempts
};

struct Step {
  std::string id;
  std::string name;          // a label for people; id when absent
  std::string where;         // "steps[2]", "steps[2].steps[0]": for messages
  int line = 0;              // 1-based line of the step in its file; 0 when unknown
  StepKind kind = StepKind::kModel;
  std::optional<Expression> condition;  // `if:`: the step is skipped unless it holds
  RetryPolicy retry;
  bool continue_on_error = false;  // a failure is recorded and the workflow goes on
  std::optional<int64_t> timeout_s;  // per call (each attempt), within the workflow's deadline
  std::optional<std::vector<DocumentSpec>> documents;  // replaces the workflow's documents

  ModelCall model;  // kModel
  ToolCall tool;    // kTool
  Repeat repeat;    // kRepeat
};

struct Workflow {
  std::string name;
  std::string description;
  std::string file;  // the path it was loaded from (empty when parsed from text)
  std::vector<WorkflowInput> inputs;
  // Attached to every step that can search (a search_documents tool step, a model step given
  // the search_documents tool) unless the step lists its own.
  std::vector<DocumentSpec> documents;
  std::vector<Step> steps;
  std::vector<std::pair<std::string, Template>> outputs;  // in file order
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_WORKFLOW_H_
