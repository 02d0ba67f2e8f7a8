#include "router/workflows/run_values.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {
namespace {

absl::Status Bad(absl::string_view what) { return absl::InvalidArgumentError(what); }

std::string FieldList(const nlohmann::json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end() && keys.size() < 12; ++it) keys.push_back(it.key());
  if (keys.empty()) return "it has none";
  return absl::StrCat("fields: ", absl::StrJoin(keys, ", "), object.size() > keys.size() ? ", ..." : "");
}

}  // namespace

RunValues::RunValues(const Workflow& workflow, nlohmann::json inputs) : inputs_(std::move(inputs)) {
  AddSteps(workflow.steps);
}

void RunValues::AddSteps(const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    steps_[s.id].kind = s.kind;
    if (s.kind == StepKind::kRepeat) AddSteps(s.repeat.steps);
  }
}

absl::StatusOr<nlohmann::json> RunValues::Resolve(const ValuePath& path) const {
  const std::string root = path.Field(0);
  if (root == "inputs") {
    const std::string name = path.Field(1);
    if (path.parts.size() != 2 || !inputs_.is_object() || !inputs_.contains(name)) {
      return Bad(absl::StrCat(path.text, ": no such input"));
    }
    return inputs_[name];
  }
  if (root == "loop") {
    if (loops_.empty()) return Bad(absl::StrCat(path.text, ": not inside a repeat"));
    const std::string field = path.Field(1);
    if (path.parts.size() == 2 && field == "round") return loops_.back().round;
    if (path.parts.size() == 2 && field == "max") return loops_.back().max;
    return Bad(absl::StrCat(path.text, ": a loop has round and max"));
  }
  if (root != "steps") return Bad(absl::StrCat(path.text, ": a path starts with inputs., steps. or loop."));
  const std::string id = path.Field(1);
  auto it = steps_.find(id);
  if (it == steps_.end()) return Bad(absl::StrCat(path.text, ": no step \"", id, "\""));
  const StepState& s = it->second;
  const std::string field = path.Field(2);
  if (field != "result") {
    if (path.parts.size() != 3) return Bad(absl::StrCat(path.text, ": steps.", id, ".FIELD has no parts below it (only result has)"));
    if (field == "output") return s.output;
    if (field == "ok") return s.status == "ok";
    if (field == "error") return s.error;
    if (field == "status") return s.status;
    if (field == "attempts") return s.attempts;
    if (field == "latency_ms") return s.latency_ms;
    if (field == "skipped") return s.status == "skipped";
    if (field == "reasoning") return s.reasoning;
    if (field == "rounds") return s.rounds;
    return Bad(absl::StrCat(path.text, ": unknown field \"", field, "\""));
  }
  const nlohmann::json* cur = &s.result;
  std::string at = absl::StrCat("steps.", id, ".result");
  for (size_t i = 3; i < path.parts.size(); ++i) {
    if (cur->is_null()) return nullptr;  // nothing to look into yet: the step has not produced a result
    const auto& part = path.parts[i];
    if (const auto* key = std::get_if<std::string>(&part)) {
      if (!cur->is_object()) return Bad(absl::StrCat(at, " is ", DescribeValue(*cur), ", not an object: it has no field \"", *key, "\""));
      auto f = cur->find(*key);
      if (f == cur->end()) return Bad(absl::StrCat(at, " has no field \"", *key, "\" (", FieldList(*cur), ")"));
      cur = &*f;
      absl::StrAppend(&at, ".", *key);
    } else {
      const int64_t index = std::get<int64_t>(part);
      if (!cur->is_array()) return Bad(absl::StrCat(at, " is ", DescribeValue(*cur), ", not an array: it has no [", index, "]"));
      // Past the end is null, not an error: lists from models vary in length, and
      // `if: steps.plan.result.queries[1]` is how a step runs only when there is a second one.
      if (index >= static_cast<int64_t>(cur->size())) return nullptr;
      cur = &(*cur)[static_cast<size_t>(index)];
      absl::StrAppend(&at, "[", index, "]");
    }
  }
  return *cur;
}

}  // namespace switchyard::workflows
