#include "router/workflows/workflow_file.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/read_file.h"
#include "router/workflows/reference_scope.h"
#include "router/workflows/workflow_inputs.h"
#include "yaml-cpp/yaml.h"

namespace switchyard::workflows {
namespace {

constexpr size_t kMaxWorkflowBytes = 1 << 20;
constexpr int kMaxRepeatNesting = 4;
constexpr int kMaxStepCount = 1000;
constexpr int kMaxJsonDepth = 32;  // `with:` and `schema:` trees; bounds our recursion, not yaml-cpp's

// The router's roles and tools (router.proto). Listing them here turns a typo into a load error
// with a line number instead of a PERMISSION_DENIED or INVALID_ARGUMENT from the router later.
const std::vector<std::string> kRoles = {"reasoning", "coder", "translation", "auto"};
const std::vector<std::string> kRouterTools = {"run_code", "search_documents", "ask_coder", "ask_translator",
                                               "ask_reasoner"};
const std::vector<std::string> kModelKeys = {"role", "system", "prompt", "extract", "schema", "tools",
                                             "max_tokens", "temperature", "seed", "thinking", "max_steps"};

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool IsIdent(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  if (!absl::ascii_isalpha(static_cast<unsigned char>(s[0])) && s[0] != '_') return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsWorkflowName(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string Sub(const std::string& where, absl::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
}

// A plain (unquoted) YAML scalar read as YAML 1.2's core schema does: true/false, null, integers
// and floats; anything else, and every quoted scalar, is a string.
nlohmann::json ScalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "?") return s;  // "!" (quoted) or an explicit tag: keep the text
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s == "null" || s == "Null" || s == "NULL" || s == "~") return nullptr;
  int64_t i = 0;
  if (absl::SimpleAtoi(s, &i) && !s.empty() && (absl::ascii_isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '+')) {
    return i;
  }
  const bool numeric_start = !s.empty() && (absl::ascii_isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' ||
                                            s[0] == '+' || s[0] == '.');
  double d = 0;
  if (numeric_start && s.find_first_of("xX") == std::string::npos && absl::SimpleAtod(s, &d) && std::isfinite(d) &&
      s.find(' ') == std::string::npos) {
    return d;
  }
  return s;
}

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  absl::StatusOr<Workflow> Parse(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) return Error(root, "", "the file is empty: a workflow needs steps:");
    if (auto s = CheckMap(root, "", {"name", "description", "inputs", "documents", "steps", "outputs"}); !s.ok()) return s;
    Workflow wf;
    wf.file = file_;
    wf.name = std::filesystem::path(file_).stem().string();
    if (wf.name.empty()) wf.name = "workflow";
    if (const YAML::Node n = root["name"]) {
      auto name = String(n, "name");
      if (!name.ok()) return name.status();
      if (!IsWorkflowName(*name)) return Error(n, "name", "must be 1-64 characters of [A-Za-z0-9_.-]");
      wf.name = *name;
    }
    if (const YAML::Node n = root["description"]) {
      auto d = String(n, "description");
      if (!d.ok()) return d.status();
      wf.description = *d;
    }
    if (const YAML::Node n = root["inputs"]) {
      if (auto s = ParseInputs(n, &wf); !s.ok()) return s;
    }
    ReferenceScope scope;
    for (const WorkflowInput& in : wf.inputs) scope.inputs.push_back(in.name);
    scope.all = &all_;
    const YAML::Node steps = root["steps"];
    if (!steps) return Error(root, "steps", "required: a list of steps");
    CollectShapes(steps, 0, &all_);
    if (const YAML::Node n = root["documents"]) {
      // Rendered for each step that searches, but checked once: inputs only, no step is certain to have run.
      auto docs = ParseDocuments(n, "documents", scope);
      if (!docs.ok()) return docs.status();
      wf.documents = *std::move(docs);
    }
    if (auto s = ParseSteps(steps, "steps", scope, 0, &wf.steps); !s.ok()) return s;
    if (const YAML::Node n = root["outputs"]) {
      ReferenceScope end = scope;  // after the last step: every step has had its chance to run
      end.visible = parsed_;
      end.step_id.clear();
      if (!n.IsMap()) return Error(n, "outputs", "expected a mapping of names to templates");
      std::set<std::string> seen;
      for (const auto& kv : n) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
        const std::string where = Sub("outputs", key);
        if (!IsIdent(key)) return Error(kv.first, where, "an output name is [A-Za-z_][A-Za-z0-9_-]*");
        if (!seen.insert(key).second) return Error(kv.first, where, "duplicate output");
        auto t = TemplateAt(kv.second, where, end);
        if (!t.ok()) return t.status();
        wf.outputs.emplace_back(key, *std::move(t));
      }
    }
    return wf;
  }

 private:
  // "<file>:<line>: <where>: <what>"; the line of `at` when it has one.
  absl::Status Error(const YAML::Node& at, const std::string& where, absl::string_view what) const {
    std::string place = file_;
    if (at.IsDefined() && !at.Mark().is_null()) absl::StrAppend(&place, ":", at.Mark().line + 1);
    return absl::InvalidArgumentError(absl::StrCat(place, ": ", where.empty() ? "(top level)" : where, ": ", what));
  }

  absl::Status CheckMap(const YAML::Node& map, const std::string& where, const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) return Error(map, where, "expected a mapping");
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) return Error(kv.first, where, "keys must be plain strings");
      const std::string& k = kv.first.Scalar();
      if (!Contains(allowed, k)) {
        return Error(kv.first, Sub(where, k), absl::StrCat("unknown key (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
      }
      if (!seen.insert(k).second) return Error(kv.first, Sub(where, k), "duplicate key");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> String(const YAML::Node& n, const std::string& where) const {
    if (!n.IsScalar()) return Error(n, where, "expected a string");
    return n.Scalar();
  }

  absl::StatusOr<bool> Bool(const YAML::Node& n, const std::string& where) const {
    bool b = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b)) return Error(n, where, "expected true or false");
    return b;
  }

  absl::StatusOr<int64_t> Int(const YAML::Node& n, const std::string& where, int64_t lo, int64_t hi) const {
    int64_t v = 0;
    if (!n.IsScalar() || !absl::SimpleAtoi(n.Scalar(), &v) || v < lo || v > hi) {
      return Error(n, where, absl::StrCat("expected an integer from ", lo, " to ", hi));
    }
    return v;
  }

  absl::StatusOr<double> Double(const YAML::Node& n, const std::string& where, double lo, double hi) const {
    double v = 0;
    if (!n.IsScalar() || !absl::SimpleAtod(n.Scalar(), &v) || !std::isfinite(v) || v < lo || v > hi) {
      return Error(n, where, absl::StrCat("expected a number from ", lo, " to ", hi));
    }
    return v;
  }

  absl::StatusOr<std::string> OneOf(const YAML::Node& n, const std::string& where, const std::vector<std::string>& allowed,
                                    absl::string_view what) const {
    auto s = String(n, where);
    if (!s.ok()) return s.status();
    if (!Contains(allowed, *s)) {
      return Error(n, where, absl::StrCat("unknown ", what, " \"", *s, "\" (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
    }
    return s;
  }

  absl::StatusOr<Template> TemplateAt(const YAML::Node& n, const std::string& where, const ReferenceScope& scope) const {
    if (n.IsMap() || n.IsSequence()) {
      return Error(n, where, "expected text (a value that starts with \"{{\" must be quoted, or YAML reads a mapping)");
    }
    auto t = Template::Parse(n.IsScalar() ? n.Scalar() : "");
    if (!t.ok()) return Error(n, where, t.status().message());
    for (const Expression* e : t->holes()) {
      if (auto s = scope.Check(*e); !s.ok()) return Error(n, where, s.message());
    }
    return t;
  }

  absl::StatusOr<Expression> ConditionAt(const YAML::Node& n, const std::string& where, const ReferenceScope& scope) const {
    if (!n.IsScalar()) return Error(n, where, "expected a condition, such as steps.test.ok and steps.test.result.exit_code == 0");
    absl::string_view text = n.Scalar();
    // Accept a condition written as a template, "{{ x == 1 }}", as GitHub Actions users do.
    absl::string_view stripped = absl::StripAsciiWhitespace(text);
    if (absl::StartsWith(stripped, "{{") && absl::EndsWith(stripped, "}}") && stripped.size() >= 4 &&
        stripped.substr(2).find("{{") == absl::string_view::npos) {
      text = stripped.substr(2, stripped.size() - 4);
    }
    auto e = Expression::Parse(text);
    if (!e.ok()) return Error(n, where, e.status().message());
    if (auto s = scope.Check(*e); !s.ok()) return Error(n, where, s.message());
    return e;
  }

  absl::StatusOr<nlohmann::json> ToJson(const YAML::Node& n, const std::string& where, int depth) const {
    if (depth > kMaxJsonDepth) return Error(n, where, "nested too deeply");
    if (n.IsNull()) return nullptr;
    if (n.IsScalar()) return ScalarToJson(n);
    if (n.IsSequence()) {
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = 0; i < n.size(); ++i) {
        auto v = ToJson(n[i], absl::StrCat(where, "[", i, "]"), depth + 1);
        if (!v.ok()) return v.status();
        out.push_back(*std::move(v));
      }
      return out;
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) return Error(kv.first, where, "keys must be plain strings");
      const std::string& k = kv.first.Scalar();
      if (out.contains(k)) return Error(kv.first, Sub(where, k), "duplicate key");
      auto v = ToJson(kv.second, Sub(where, k), depth + 1);
      if (!v.ok()) return v.status();
      out[k] = *std::move(v);
    }
    return out;
  }

  absl::StatusOr<JsonTemplate> JsonTemplateAt(const YAML::Node& n, const std::string& where, const ReferenceScope& scope,
                                              int depth) const {
    if (depth > kMaxJsonDepth) return Error(n, where, "nested too deeply");
    JsonTemplate out;
    if (n.IsNull()) {
      out.kind = JsonTemplate::Kind::kLiteral;
    } else if (n.IsScalar()) {
      out.literal = ScalarToJson(n);
      out.kind = JsonTemplate::Kind::kLiteral;
      if (out.literal.is_string() && absl::StrContains(n.Scalar(), "{{")) {
        auto t = TemplateAt(n, where, scope);
        if (!t.ok()) return t.status();
        out.kind = JsonTemplate::Kind::kTemplate;
        out.text = *std::move(t);
        out.literal = nullptr;
      }
    } else if (n.IsSequence()) {
      out.kind = JsonTemplate::Kind::kArray;
      for (size_t i = 0; i < n.size(); ++i) {
        auto v = JsonTemplateAt(n[i], absl::StrCat(where, "[", i, "]"), scope, depth + 1);
        if (!v.ok()) return v.status();
        out.items.push_back(*std::move(v));
      }
    } else {
      out.kind = JsonTemplate::Kind::kObject;
      std::set<std::string> seen;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) return Error(kv.first, where, "keys must be plain strings");
        const std::string& k = kv.first.Scalar();
        if (!seen.insert(k).second) return Error(kv.first, Sub(where, k), "duplicate key");
        auto v = JsonTemplateAt(kv.second, Sub(where, k), scope, depth + 1);
        if (!v.ok()) return v.status();
        out.keys.push_back(k);
        out.items.push_back(*std::move(v));
      }
    }
    return out;
  }

  absl::Status ParseInputs(const YAML::Node& n, Workflow* wf) const {
    if (n.IsNull()) return absl::OkStatus();
    if (!n.IsMap()) return Error(n, "inputs", "expected a mapping of input names to {required, default, type, file, description}");
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const std::string where = Sub("inputs", name);
      if (!IsIdent(name)) return Error(kv.first, where, "an input name is [A-Za-z_][A-Za-z0-9_-]* (at most 64)");
      if (!seen.insert(name).second) return Error(kv.first, where, "duplicate input");
      WorkflowInput in;
      in.name = name;
      const YAML::Node& spec = kv.second;
      if (!spec.IsNull()) {
        if (auto s = CheckMap(spec, where, {"description", "required", "default", "type", "file"}); !s.ok()) return s;
        if (const YAML::Node d = spec["description"]) {
          auto v = String(d, Sub(where, "description"));
          if (!v.ok()) return v.status();
          in.description = *v;
        }
        if (const YAML::Node r = spec["required"]) {
          auto v = Bool(r, Sub(where, "required"));
          if (!v.ok()) return v.status();
          in.required = *v;
        }
        if (const YAML::Node f = spec["file"]) {
          auto v = Bool(f, Sub(where, "file"));
          if (!v.ok()) return v.status();
          in.file = *v;
        }
        if (const YAML::Node t = spec["type"]) {
          auto v = OneOf(t, Sub(where, "type"), {"string", "integer", "number", "boolean"}, "type");
          if (!v.ok()) return v.status();
          in.type = *v == "integer" ? InputType::kInteger : *v == "number" ? InputType::kNumber
                  : *v == "boolean" ? InputType::kBoolean : InputType::kString;
        }
        if (const YAML::Node d = spec["default"]) {
          if (!d.IsScalar()) return Error(d, Sub(where, "default"), "expected a single value");
          if (in.required) return Error(d, Sub(where, "default"), "a required input has no default (drop one of the two)");
          in.default_value = d.Scalar();
          if (!in.file) {
            if (auto v = ConvertInputValue(d.Scalar(), in.type); !v.ok()) return Error(d, Sub(where, "default"), v.status().message());
          }
        }
      }
      wf->inputs.push_back(std::move(in));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<DocumentSpec>> ParseDocuments(const YAML::Node& n, const std::string& where,
                                                           const ReferenceScope& scope) const {
    if (!n.IsSequence()) return Error(n, where, "expected a list of {name, text}");
    std::vector<DocumentSpec> out;
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string at = absl::StrCat(where, "[", i, "]");
      const YAML::Node d = n[i];
      if (auto s = CheckMap(d, at, {"name", "text"}); !s.ok()) return s;
      DocumentSpec doc;
      for (const char* key : {"name", "text"}) {
        if (!d[key]) return Error(d, Sub(at, key), "required");
        auto t = TemplateAt(d[key], Sub(at, key), scope);
        if (!t.ok()) return t.status();
        (std::string(key) == "name" ? doc.name : doc.text) = *std::move(t);
      }
      out.push_back(std::move(doc));
    }
    return out;
  }

  // Every step id of the file, with its kind, before the steps are parsed: a step in a repeat
  // may use a later step of the same repeat (its previous round), and a reference to a step
  // that runs later deserves a better message than "unknown".
  void CollectShapes(const YAML::Node& seq, int depth, std::map<std::string, StepShape>* out) const {
    if (!seq.IsSequence() || depth > kMaxRepeatNesting) return;
    for (const auto& n : seq) {
      if (!n.IsMap()) continue;
      const YAML::Node id = n["id"];
      if (!id || !id.IsScalar()) continue;
      StepShape shape;
      shape.kind = n["repeat"] ? StepKind::kRepeat : n["tool"] ? StepKind::kTool : StepKind::kModel;
      const YAML::Node extract = n["extract"];
      shape.json_result = shape.kind == StepKind::kModel &&
                          ((extract && extract.IsScalar() && extract.Scalar() == "json") || n["schema"]);
      out->emplace(id.Scalar(), shape);
      if (const YAML::Node steps = n["steps"]) CollectShapes(steps, depth + 1, out);
    }
  }

  absl::Status ParseSteps(const YAML::Node& seq, const std::string& where, ReferenceScope& scope, int nesting,
                          std::vector<Step>* out) {
    if (!seq.IsSequence() || seq.size() == 0) return Error(seq, where, "expected a list of steps (at least one)");
    for (size_t i = 0; i < seq.size(); ++i) {
      auto step = ParseStep(seq[i], absl::StrCat(where, "[", i, "]"), scope, nesting);
      if (!step.ok()) return step.status();
      out->push_back(*std::move(step));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Step> ParseStep(const YAML::Node& n, const std::string& where, ReferenceScope& scope, int nesting) {
    static const std::vector<std::string> kKeys = {
        "id", "name", "if", "retry", "continue_on_error", "timeout_s", "documents", "role", "system", "prompt",
        "extract", "schema", "tools", "max_tokens", "temperature", "seed", "thinking", "max_steps", "tool", "with",
        "repeat", "steps"};
    if (auto s = CheckMap(n, where, kKeys); !s.ok()) return s;
    if (++step_count_ > kMaxStepCount) return Error(n, where, absl::StrCat("more than ", kMaxStepCount, " steps"));
    Step s;
    s.where = where;
    s.line = n.Mark().is_null() ? 0 : n.Mark().line + 1;

    const YAML::Node id = n["id"];
    if (!id) return Error(n, Sub(where, "id"), "required: a name other steps use, as in steps.ID.output");
    auto id_text = String(id, Sub(where, "id"));
    if (!id_text.ok()) return id_text.status();
    if (!IsIdent(*id_text)) {
      return Error(id, Sub(where, "id"), "a step id is [A-Za-z_][A-Za-z0-9_-]* (at most 64): it is used in paths such as steps.ID.output");
    }
    if (auto [it, fresh] = ids_.emplace(*id_text, where); !fresh) {
      return Error(id, Sub(where, "id"), absl::StrCat("duplicate step id \"", *id_text, "\" (also ", it->second, ")"));
    }
    s.id = *id_text;
    s.name = s.id;
    if (const YAML::Node name = n["name"]) {
      auto v = String(name, Sub(where, "name"));
      if (!v.ok()) return v.status();
      s.name = *v;
    }

    const int kinds = (n["role"] ? 1 : 0) + (n["tool"] ? 1 : 0) + (n["repeat"] ? 1 : 0);
    if (kinds != 1) {
      return Error(n, where, kinds == 0 ? "a step needs one of role: (a model call), tool: (a router tool) or repeat: (a loop over steps:)"
                                        : "a step does one thing: give only one of role:, tool: and repeat:");
    }
    s.kind = n["role"] ? StepKind::kModel : n["tool"] ? StepKind::kTool : StepKind::kRepeat;
    for (const std::string& k : kModelKeys) {
      if (n[k] && s.kind != StepKind::kModel) return Error(n[k], Sub(where, k), absl::StrCat("only a model step (role:) takes ", k));
    }
    if (n["with"] && s.kind != StepKind::kTool) return Error(n["with"], Sub(where, "with"), "only a tool step (tool:) takes with");
    if (n["steps"] && s.kind != StepKind::kRepeat) return Error(n["steps"], Sub(where, "steps"), "only a repeat step takes steps");
    for (const char* k : {"retry", "timeout_s", "documents"}) {
      if (n[k] && s.kind == StepKind::kRepeat) {
        return Error(n[k], Sub(where, k), absl::StrCat("a repeat step takes no ", k, ": give it to the steps inside"));
      }
    }

    ReferenceScope here = scope;
    here.step_id = s.id;
    if (const YAML::Node c = n["if"]) {
      auto e = ConditionAt(c, Sub(where, "if"), here);
      if (!e.ok()) return e.status();
      s.condition = *std::move(e);
    }
    if (const YAML::Node c = n["continue_on_error"]) {
      auto v = Bool(c, Sub(where, "continue_on_error"));
      if (!v.ok()) return v.status();
      s.continue_on_error = *v;
    }
    if (const YAML::Node r = n["retry"]) {
      const std::string at = Sub(where, "retry");
      if (auto st = CheckMap(r, at, {"attempts", "delay_ms"}); !st.ok()) return st;
      if (const YAML::Node a = r["attempts"]) {
        auto v = Int(a, Sub(at, "attempts"), 1, 10);
        if (!v.ok()) return v.status();
        s.retry.attempts = static_cast<int>(*v);
      }
      if (const YAML::Node d = r["delay_ms"]) {
        auto v = Int(d, Sub(at, "delay_ms"), 0, 600000);
        if (!v.ok()) return v.status();
        s.retry.delay_ms = *v;
      }
    }
    if (const YAML::Node t = n["timeout_s"]) {
      auto v = Int(t, Sub(where, "timeout_s"), 1, 86400);
      if (!v.ok()) return v.status();
      s.timeout_s = *v;
    }
    if (const YAML::Node d = n["documents"]) {
      auto docs = ParseDocuments(d, Sub(where, "documents"), here);
      if (!docs.ok()) return docs.status();
      s.documents = *std::move(docs);
    }

    absl::Status kind_status;
    switch (s.kind) {
      case StepKind::kModel: kind_status = ParseModel(n, where, here, &s.model); break;
      case StepKind::kTool: kind_status = ParseTool(n, where, here, &s.tool); break;
      case StepKind::kRepeat: kind_status = ParseRepeat(n, where, here, nesting, &s); break;
    }
    if (!kind_status.ok()) return kind_status;

    StepShape shape;
    shape.kind = s.kind;
    shape.json_result = s.kind == StepKind::kModel && s.model.extract == Extract::kJson;
    scope.visible[s.id] = shape;
    parsed_[s.id] = shape;
    if (s.kind == StepKind::kRepeat) {
      std::map<std::string, StepShape> body;
      CollectShapes(n["steps"], 0, &body);
      for (const auto& [k, v] : body) scope.visible[k] = v;  // a finished repeat's steps keep their last values
    }
    return s;
  }

  absl::Status ParseModel(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, ModelCall* m) const {
    auto role = OneOf(n["role"], Sub(where, "role"), kRoles, "role");
    if (!role.ok()) return role.status();
    m->role = *role;
    const YAML::Node prompt = n["prompt"];
    if (!prompt) return Error(n, Sub(where, "prompt"), "required: the user message");
    auto p = TemplateAt(prompt, Sub(where, "prompt"), scope);
    if (!p.ok()) return p.status();
    m->prompt = *std::move(p);
    if (const YAML::Node sys = n["system"]) {
      auto t = TemplateAt(sys, Sub(where, "system"), scope);
      if (!t.ok()) return t.status();
      m->system = *std::move(t);
    }
    const YAML::Node extract = n["extract"];
    if (extract) {
      auto e = OneOf(extract, Sub(where, "extract"), {"text", "code", "json"}, "extract");
      if (!e.ok()) return e.status();
      m->extract = *e == "code" ? Extract::kCode : *e == "json" ? Extract::kJson : Extract::kText;
    }
    if (const YAML::Node schema = n["schema"]) {
      const std::string at = Sub(where, "schema");
      if (extract && m->extract != Extract::kJson) return Error(schema, at, "a schema makes the answer JSON: use extract: json (or leave extract out)");
      nlohmann::json j;
      if (schema.IsScalar()) {
        j = nlohmann::json::parse(schema.Scalar(), nullptr, false);
        if (j.is_discarded()) return Error(schema, at, "expected a JSON Schema: a mapping, or a string holding a JSON object");
      } else {
        auto v = ToJson(schema, at, 0);
        if (!v.ok()) return v.status();
        j = *std::move(v);
      }
      if (!j.is_object()) return Error(schema, at, "a JSON Schema is an object");
      m->json_schema = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      m->extract = Extract::kJson;
    }
    if (const YAML::Node tools = n["tools"]) {
      const std::string at = Sub(where, "tools");
      if (!tools.IsSequence()) return Error(tools, at, "expected a list of router tools");
      for (size_t i = 0; i < tools.size(); ++i) {
        auto t = OneOf(tools[i], absl::StrCat(at, "[", i, "]"), kRouterTools, "tool");
        if (!t.ok()) return t.status();
        if (Contains(m->tools, *t)) return Error(tools[i], absl::StrCat(at, "[", i, "]"), absl::StrCat("\"", *t, "\" is listed twice"));
        m->tools.push_back(*t);
      }
    }
    if (const YAML::Node v = n["max_tokens"]) {
      auto x = Int(v, Sub(where, "max_tokens"), 1, 1 << 20);
      if (!x.ok()) return x.status();
      m->max_tokens = static_cast<int>(*x);
    }
    if (const YAML::Node v = n["temperature"]) {
      auto x = Double(v, Sub(where, "temperature"), 0, 2);
      if (!x.ok()) return x.status();
      m->temperature = *x;
    }
    if (const YAML::Node v = n["seed"]) {
      auto x = Int(v, Sub(where, "seed"), 0, INT64_MAX);
      if (!x.ok()) return x.status();
      m->seed = static_cast<uint64_t>(*x);
    }
    if (const YAML::Node v = n["thinking"]) {
      auto x = Bool(v, Sub(where, "thinking"));
      if (!x.ok()) return x.status();
      m->thinking = *x;
    }
    if (const YAML::Node v = n["max_steps"]) {
      auto x = Int(v, Sub(where, "max_steps"), 1, 256);
      if (!x.ok()) return x.status();
      m->max_steps = static_cast<int>(*x);
    }
    return absl::OkStatus();
  }

  absl::Status ParseTool(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, ToolCall* t) const {
    auto name = OneOf(n["tool"], Sub(where, "tool"), kRouterTools, "tool");
    if (!name.ok()) return name.status();
    t->name = *name;
    t->with.kind = JsonTemplate::Kind::kObject;
    if (const YAML::Node with = n["with"]) {
      if (!with.IsMap()) return Error(with, Sub(where, "with"), "expected a mapping of the tool's arguments");
      auto w = JsonTemplateAt(with, Sub(where, "with"), scope, 0);
      if (!w.ok()) return w.status();
      t->with = *std::move(w);
    }
    return absl::OkStatus();
  }

  absl::Status ParseRepeat(const YAML::Node& n, const std::string& where, const ReferenceScope& scope, int nesting, Step* s) {
    const std::string at = Sub(where, "repeat");
    const YAML::Node r = n["repeat"];
    if (nesting + 1 > kMaxRepeatNesting) return Error(r, at, absl::StrCat("repeats nest at most ", kMaxRepeatNesting, " deep"));
    if (auto st = CheckMap(r, at, {"max", "until", "error"}); !st.ok()) return st;
    const YAML::Node max = r["max"];
    if (!max) return Error(r, Sub(at, "max"), absl::StrCat("required: the rounds at most (1 to ", kMaxRepeatRounds, "), or a template giving them"));
    auto m = TemplateAt(max, Sub(at, "max"), scope);
    if (!m.ok()) return m.status();
    if (!m->has_holes()) {
      if (auto v = Int(max, Sub(at, "max"), 1, kMaxRepeatRounds); !v.ok()) return v.status();
    }
    s->repeat.max = *std::move(m);
    const YAML::Node steps = n["steps"];
    if (!steps) return Error(n, Sub(where, "steps"), "required: the steps to repeat");

    ReferenceScope inner = scope;
    inner.loop_depth++;
    inner.enclosing.push_back(s->id);
    std::map<std::string, StepShape> body;
    CollectShapes(steps, 0, &body);
    for (const auto& [k, v] : body) inner.visible[k] = v;
    ReferenceScope body_scope = inner;
    if (auto st = ParseSteps(steps, Sub(where, "steps"), body_scope, nesting + 1, &s->repeat.steps); !st.ok()) return st;

    // until and error see the repeat itself: its error message may say how many rounds ran.
    inner.enclosing.pop_back();
    inner.visible[s->id] = StepShape{StepKind::kRepeat, false};
    if (const YAML::Node u = r["until"]) {
      auto e = ConditionAt(u, Sub(at, "until"), inner);
      if (!e.ok()) return e.status();
      s->repeat.until = *std::move(e);
    }
    if (const YAML::Node e = r["error"]) {
      auto t = TemplateAt(e, Sub(at, "error"), inner);
      if (!t.ok()) return t.status();
      s->repeat.error = *std::move(t);
    }
    return absl::OkStatus();
  }

  std::string file_;
  std::map<std::string, StepShape> all_;      // CollectShapes over the whole file
  std::map<std::string, StepShape> parsed_;   // steps parsed so far
  std::map<std::string, std::string> ids_;    // id -> where, for duplicates
  int step_count_ = 0;
};

}  // namespace

absl::StatusOr<Workflow> ParseWorkflow(absl::string_view yaml, absl::string_view file) {
  // yaml-cpp reports errors by throwing; everything that touches it stays inside this try, which
  // turns what escapes into a Status.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Parser p{std::string(file)};
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
