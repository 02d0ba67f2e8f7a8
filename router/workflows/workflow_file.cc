#include "router/workflows/workflow_file.h"

#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "router/workflows/reference_scope.h"
#include "router/workflows/step_parser.h"
#include "router/workflows/template_reader.h"
#include "router/workflows/workflow_inputs.h"
#include "router/workflows/workflow_names.h"
#include "router/workflows/yaml_node_reader.h"
#include "yaml-cpp/yaml.h"

namespace switchyard::workflows {
namespace {

constexpr size_t kMaxWorkflowBytes = 1 << 20;

// The file as a whole: its name and description, inputs, documents and outputs; the steps
// themselves are StepParser's.
class WorkflowFileParser {
 public:
  explicit WorkflowFileParser(std::string file) : yaml_(std::move(file)), steps_(yaml_) {}

  absl::StatusOr<Workflow> Parse(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) return yaml_.Error(root, "", "the file is empty: a workflow needs steps:");
    if (auto s = yaml_.CheckMap(root, "", {"name", "description", "inputs", "documents", "steps", "outputs"}); !s.ok()) return s;
    Workflow wf;
    if (auto s = ParseHeader(root, &wf); !s.ok()) return s;
    if (const YAML::Node n = root["inputs"]) {
      if (auto s = ParseInputs(n, &wf); !s.ok()) return s;
    }
    ReferenceScope scope;
    for (const WorkflowInput& in : wf.inputs) scope.inputs.push_back(in.name);
    scope.all = &steps_.all();
    const YAML::Node steps = root["steps"];
    if (!steps) return yaml_.Error(root, "steps", "required: a list of steps");
    steps_.CollectFileShapes(steps);
    if (const YAML::Node n = root["documents"]) {
      // Rendered for each step that searches, but checked once: inputs only, no step is certain to have run.
      auto docs = ReadDocuments(yaml_, n, "documents", scope);
      if (!docs.ok()) return docs.status();
      wf.documents = *std::move(docs);
    }
    if (auto s = steps_.ParseSteps(steps, "steps", scope, 0, &wf.steps); !s.ok()) return s;
    if (const YAML::Node n = root["outputs"]) {
      if (auto s = ParseOutputs(n, scope, &wf); !s.ok()) return s;
    }
    return wf;
  }

 private:
  // file, name (the file's stem unless given) and description.
  absl::Status ParseHeader(const YAML::Node& root, Workflow* wf) const {
    wf->file = yaml_.file();
    wf->name = std::filesystem::path(yaml_.file()).stem().string();
    if (wf->name.empty()) wf->name = "workflow";
    if (const YAML::Node n = root["name"]) {
      auto name = yaml_.String(n, "name");
      if (!name.ok()) return name.status();
      if (!IsWorkflowName(*name)) return yaml_.Error(n, "name", "must be 1-64 characters of [A-Za-z0-9_.-]");
      wf->name = *name;
    }
    if (const YAML::Node n = root["description"]) {
      auto d = yaml_.String(n, "description");
      if (!d.ok()) return d.status();
      wf->description = *d;
    }
    return absl::OkStatus();
  }

  absl::Status ParseInputs(const YAML::Node& n, Workflow* wf) const {
    if (n.IsNull()) return absl::OkStatus();
    if (!n.IsMap()) {
      return yaml_.Error(n, "inputs", "expected a mapping of input names to {required, default, type, file, description}");
    }
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const std::string where = KeyPath("inputs", name);
      if (!IsIdentifier(name)) return yaml_.Error(kv.first, where, "an input name is [A-Za-z_][A-Za-z0-9_-]* (at most 64)");
      if (!seen.insert(name).second) return yaml_.Error(kv.first, where, "duplicate input");
      WorkflowInput in;
      in.name = name;
      if (!kv.second.IsNull()) {
        if (auto s = ParseInputSpec(kv.second, where, &in); !s.ok()) return s;
      }
      wf->inputs.push_back(std::move(in));
    }
    return absl::OkStatus();
  }

  // {description, required, default, type, file}; a default is checked against the type.
  absl::Status ParseInputSpec(const YAML::Node& spec, const std::string& where, WorkflowInput* in) const {
    if (auto s = yaml_.CheckMap(spec, where, {"description", "required", "default", "type", "file"}); !s.ok()) return s;
    if (const YAML::Node d = spec["description"]) {
      auto v = yaml_.String(d, KeyPath(where, "description"));
      if (!v.ok()) return v.status();
      in->description = *v;
    }
    if (const YAML::Node r = spec["required"]) {
      auto v = yaml_.Bool(r, KeyPath(where, "required"));
      if (!v.ok()) return v.status();
      in->required = *v;
    }
    if (const YAML::Node f = spec["file"]) {
      auto v = yaml_.Bool(f, KeyPath(where, "file"));
      if (!v.ok()) return v.status();
      in->file = *v;
    }
    if (const YAML::Node t = spec["type"]) {
      auto v = yaml_.OneOf(t, KeyPath(where, "type"), {"string", "integer", "number", "boolean"}, "type");
      if (!v.ok()) return v.status();
      in->type = *v == "integer" ? InputType::kInteger : *v == "number" ? InputType::kNumber
               : *v == "boolean" ? InputType::kBoolean : InputType::kString;
    }
    if (const YAML::Node d = spec["default"]) {
      const std::string at = KeyPath(where, "default");
      if (!d.IsScalar()) return yaml_.Error(d, at, "expected a single value");
      if (in->required) return yaml_.Error(d, at, "a required input has no default (drop one of the two)");
      in->default_value = d.Scalar();
      if (!in->file) {
        if (auto v = ConvertInputValue(d.Scalar(), in->type); !v.ok()) return yaml_.Error(d, at, v.status().message());
      }
    }
    return absl::OkStatus();
  }

  absl::Status ParseOutputs(const YAML::Node& n, const ReferenceScope& scope, Workflow* wf) const {
    ReferenceScope end = scope;  // after the last step: every step has had its chance to run
    end.visible = steps_.parsed();
    end.step_id.clear();
    if (!n.IsMap()) return yaml_.Error(n, "outputs", "expected a mapping of names to templates");
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const std::string where = KeyPath("outputs", key);
      if (!IsIdentifier(key)) return yaml_.Error(kv.first, where, "an output name is [A-Za-z_][A-Za-z0-9_-]*");
      if (!seen.insert(key).second) return yaml_.Error(kv.first, where, "duplicate output");
      auto t = ReadTemplate(yaml_, kv.second, where, end);
      if (!t.ok()) return t.status();
      wf->outputs.emplace_back(key, *std::move(t));
    }
    return absl::OkStatus();
  }

  YamlNodeReader yaml_;
  StepParser steps_;  // holds a reference to yaml_: declared after it
};

}  // namespace

absl::StatusOr<Workflow> ParseWorkflow(absl::string_view yaml, absl::string_view file) {
  // yaml-cpp reports errors by throwing; everything that touches it stays inside this try, which
  // turns what escapes into a Status.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    WorkflowFileParser p{std::string(file)};
    return p.Parse(root);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return absl::InvalidArgumentError(absl::StrCat(file, ": invalid YAML: ", e.msg));
    // e.mark is 0-based; editors count from 1.
    return absl::InvalidArgumentError(absl::StrCat(file, ":", e.mark.line + 1, ":", e.mark.column + 1, ": invalid YAML: ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": invalid workflow file: ", e.what()));
  }
}

absl::StatusOr<Workflow> LoadWorkflowFile(const std::string& path) {
  auto text = ReadFile(path, kMaxWorkflowBytes);
  if (!text.ok()) return text.status();
  return ParseWorkflow(*text, path);
}

}  // namespace switchyard::workflows
