#include "router/workflows/reference_scope.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace switchyard::workflows {
namespace {

absl::Status Bad(const ValuePath& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path.text, ": ", why));
}

std::string Quoted(const std::vector<std::string>& names) {
  return absl::StrJoin(names, ", ");
}

}  // namespace

std::vector<std::string> StepFields(const StepShape& shape) {
  std::vector<std::string> f = {"output", "ok", "error", "status", "attempts", "latency_ms", "skipped"};
  switch (shape.kind) {
    case StepKind::kModel:
      f.push_back("reasoning");
      if (shape.json_result) f.push_back("result");
      break;
    case StepKind::kTool:
      f.push_back("result");
      break;
    case StepKind::kRepeat:
      f.push_back("rounds");
      break;
  }
  return f;
}

absl::Status ReferenceScope::Check(const Expression& e) const {
  for (const ValuePath& p : e.paths()) {
    if (absl::Status s = Check(p); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ReferenceScope::Check(const ValuePath& path) const {
  const std::string root = path.Field(0);
  if (root == "inputs") {
    const std::string name = path.Field(1);
    if (name.empty()) return Bad(path, "name an input: inputs.NAME");
    if (std::find(inputs.begin(), inputs.end(), name) == inputs.end()) {
      return Bad(path, inputs.empty() ? absl::StrCat("unknown input \"", name, "\" (the workflow declares no inputs)")
                                      : absl::StrCat("unknown input \"", name, "\" (inputs: ", Quoted(inputs), ")"));
    }
    if (path.parts.size() > 2) return Bad(path, absl::StrCat("inputs.", name, " is a single value: it has no fields"));
    return absl::OkStatus();
  }
  if (root == "loop") {
    if (loop_depth == 0) return Bad(path, "loop.round and loop.max exist only inside a repeat's steps");
    const std::string field = path.Field(1);
    if (path.parts.size() != 2 || (field != "round" && field != "max")) {
      return Bad(path, "a loop has two values: loop.round (1, 2, ...) and loop.max");
    }
    return absl::OkStatus();
  }
  if (root != "steps") {
    return Bad(path, absl::StrCat("unknown name \"", root.empty() ? path.text : root,
                                  "\": a path starts with inputs., steps. or loop."));
  }
  const std::string id = path.Field(1);
  if (id.empty()) return Bad(path, "name a step: steps.ID.FIELD");
  if (all && all->find(id) == all->end()) {
    std::vector<std::string> ids;
    for (const auto& [k, v] : *all) ids.push_back(k);
    return Bad(path, absl::StrCat("unknown step \"", id, "\" (steps: ", Quoted(ids), ")"));
  }
  const auto it = visible.find(id);
  if (it == visible.end()) {
    if (std::find(enclosing.begin(), enclosing.end(), id) != enclosing.end()) {
      return Bad(path, absl::StrCat("repeat \"", id, "\" is still running here: use loop.round and loop.max"));
    }
    if (id == step_id) return Bad(path, "a step cannot use its own values (except a step inside a repeat, from its previous round)");
    if (all == nullptr) return Bad(path, absl::StrCat("unknown step \"", id, "\""));
    return Bad(path, absl::StrCat("step \"", id, "\" runs after ", step_id.empty() ? "this point" : absl::StrCat("step \"", step_id, "\""),
                                  ": only earlier steps (and steps of an enclosing repeat) can be used"));
  }
  const std::vector<std::string> fields = StepFields(it->second);
  const std::string field = path.Field(2);
  if (field.empty()) return Bad(path, absl::StrCat("name a field: steps.", id, ".FIELD (", Quoted(fields), ")"));
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
    if (field == "result" && it->second.kind == StepKind::kModel) {
      return Bad(path, absl::StrCat("step \"", id, "\" has a result only with extract: json (or a schema:); use .output"));
    }
    return Bad(path, absl::StrCat("unknown field \"", field, "\" of ", StepKindName(it->second.kind), " step \"", id,
                                  "\" (fields: ", Quoted(fields), ")"));
  }
  if (path.parts.size() > 3 && field != "result") {
    return Bad(path, absl::StrCat("steps.", id, ".", field, " is a single value: only .result has fields"));
  }
  return absl::OkStatus();
}

}  // namespace switchyard::workflows
