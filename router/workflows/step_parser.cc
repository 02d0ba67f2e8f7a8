#include "router/workflows/step_parser.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "router/workflows/template_reader.h"
#include "router/workflows/workflow_file.h"
#include "router/workflows/workflow_names.h"
#include "yaml-cpp/yaml.h"

namespace switchyard::workflows {
namespace {

constexpr int kMaxStepCount = 1000;

// The router's roles and tools (router.proto). Listing them here turns a typo into a load error
// with a line number instead of a PERMISSION_DENIED or INVALID_ARGUMENT from the router later.
const std::vector<std::string> kRoles = {"reasoning", "coder", "translation", "auto"};
const std::vector<std::string> kRouterTools = {"run_code", "search_documents", "ask_coder", "ask_translator",
                                               "ask_reasoner"};
const std::vector<std::string> kModelKeys = {"role", "system", "prompt", "extract", "schema", "tools",
                                             "max_tokens", "temperature", "seed", "thinking", "max_steps"};
const std::vector<std::string> kStepKeys = {
    "id", "name", "if", "retry", "continue_on_error", "timeout_s", "documents", "role", "system", "prompt",
    "extract", "schema", "tools", "max_tokens", "temperature", "seed", "thinking", "max_steps", "tool", "with",
    "repeat", "steps"};

}  // namespace

void CollectStepShapes(const YAML::Node& seq, int depth, std::map<std::string, StepShape>* out) {
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
    if (const YAML::Node steps = n["steps"]) CollectStepShapes(steps, depth + 1, out);
  }
}

absl::Status StepParser::ParseSteps(const YAML::Node& seq, const std::string& where, ReferenceScope& scope, int nesting,
                                    std::vector<Step>* out) {
  if (!seq.IsSequence() || seq.size() == 0) return yaml_.Error(seq, where, "expected a list of steps (at least one)");
  for (size_t i = 0; i < seq.size(); ++i) {
    auto step = ParseStep(seq[i], absl::StrCat(where, "[", i, "]"), scope, nesting);
    if (!step.ok()) return step.status();
    out->push_back(*std::move(step));
  }
  return absl::OkStatus();
}

absl::StatusOr<Step> StepParser::ParseStep(const YAML::Node& n, const std::string& where, ReferenceScope& scope,
                                           int nesting) {
  if (auto s = yaml_.CheckMap(n, where, kStepKeys); !s.ok()) return s;
  if (++step_count_ > kMaxStepCount) return yaml_.Error(n, where, absl::StrCat("more than ", kMaxStepCount, " steps"));
  Step s;
  s.where = where;
  s.line = n.Mark().is_null() ? 0 : n.Mark().line + 1;
  if (auto st = ParseIdentity(n, where, &s); !st.ok()) return st;
  auto kind = ParseKind(n, where);
  if (!kind.ok()) return kind.status();
  s.kind = *kind;

  ReferenceScope here = scope;
  here.step_id = s.id;
  if (auto st = ParseControls(n, where, here, &s); !st.ok()) return st;
  absl::Status kind_status;
  switch (s.kind) {
    case StepKind::kModel: kind_status = ParseModel(n, where, here, &s.model); break;
    case StepKind::kTool: kind_status = ParseTool(n, where, here, &s.tool); break;
    case StepKind::kRepeat: kind_status = ParseRepeat(n, where, here, nesting, &s); break;
  }
  if (!kind_status.ok()) return kind_status;
  Publish(n, s, scope);
  return s;
}

absl::Status StepParser::ParseIdentity(const YAML::Node& n, const std::string& where, Step* s) {
  const YAML::Node id = n["id"];
  if (!id) return yaml_.Error(n, KeyPath(where, "id"), "required: a name other steps use, as in steps.ID.output");
  auto id_text = yaml_.String(id, KeyPath(where, "id"));
  if (!id_text.ok()) return id_text.status();
  if (!IsIdentifier(*id_text)) {
    return yaml_.Error(id, KeyPath(where, "id"),
                       "a step id is [A-Za-z_][A-Za-z0-9_-]* (at most 64): it is used in paths such as steps.ID.output");
  }
  if (auto [it, fresh] = ids_.emplace(*id_text, where); !fresh) {
    return yaml_.Error(id, KeyPath(where, "id"), absl::StrCat("duplicate step id \"", *id_text, "\" (also ", it->second, ")"));
  }
  s->id = *id_text;
  s->name = s->id;
  if (const YAML::Node name = n["name"]) {
    auto v = yaml_.String(name, KeyPath(where, "name"));
    if (!v.ok()) return v.status();
    s->name = *v;
  }
  return absl::OkStatus();
}

absl::StatusOr<StepKind> StepParser::ParseKind(const YAML::Node& n, const std::string& where) const {
  const int kinds = (n["role"] ? 1 : 0) + (n["tool"] ? 1 : 0) + (n["repeat"] ? 1 : 0);
  if (kinds != 1) {
    return yaml_.Error(n, where, kinds == 0 ? "a step needs one of role: (a model call), tool: (a router tool) or repeat: (a loop over steps:)"
                                            : "a step does one thing: give only one of role:, tool: and repeat:");
  }
  const StepKind kind = n["role"] ? StepKind::kModel : n["tool"] ? StepKind::kTool : StepKind::kRepeat;
  for (const std::string& k : kModelKeys) {
    if (n[k] && kind != StepKind::kModel) return yaml_.Error(n[k], KeyPath(where, k), absl::StrCat("only a model step (role:) takes ", k));
  }
  if (n["with"] && kind != StepKind::kTool) return yaml_.Error(n["with"], KeyPath(where, "with"), "only a tool step (tool:) takes with");
  if (n["steps"] && kind != StepKind::kRepeat) return yaml_.Error(n["steps"], KeyPath(where, "steps"), "only a repeat step takes steps");
  for (const char* k : {"retry", "timeout_s", "documents"}) {
    if (n[k] && kind == StepKind::kRepeat) {
      return yaml_.Error(n[k], KeyPath(where, k), absl::StrCat("a repeat step takes no ", k, ": give it to the steps inside"));
    }
  }
  return kind;
}

absl::Status StepParser::ParseControls(const YAML::Node& n, const std::string& where, const ReferenceScope& scope,
                                       Step* s) const {
  if (const YAML::Node c = n["if"]) {
    auto e = ReadCondition(yaml_, c, KeyPath(where, "if"), scope);
    if (!e.ok()) return e.status();
    s->condition = *std::move(e);
  }
  if (const YAML::Node c = n["continue_on_error"]) {
    auto v = yaml_.Bool(c, KeyPath(where, "continue_on_error"));
    if (!v.ok()) return v.status();
    s->continue_on_error = *v;
  }
  if (const YAML::Node r = n["retry"]) {
    if (auto st = ParseRetry(r, KeyPath(where, "retry"), &s->retry); !st.ok()) return st;
  }
  if (const YAML::Node t = n["timeout_s"]) {
    auto v = yaml_.Int(t, KeyPath(where, "timeout_s"), 1, 86400);
    if (!v.ok()) return v.status();
    s->timeout_s = *v;
  }
  if (const YAML::Node d = n["documents"]) {
    auto docs = ReadDocuments(yaml_, d, KeyPath(where, "documents"), scope);
    if (!docs.ok()) return docs.status();
    s->documents = *std::move(docs);
  }
  return absl::OkStatus();
}

absl::Status StepParser::ParseRetry(const YAML::Node& r, const std::string& at, RetryPolicy* retry) const {
  if (auto st = yaml_.CheckMap(r, at, {"attempts", "delay_ms"}); !st.ok()) return st;
  if (const YAML::Node a = r["attempts"]) {
    auto v = yaml_.Int(a, KeyPath(at, "attempts"), 1, 10);
    if (!v.ok()) return v.status();
    retry->attempts = static_cast<int>(*v);
  }
  if (const YAML::Node d = r["delay_ms"]) {
    auto v = yaml_.Int(d, KeyPath(at, "delay_ms"), 0, 600000);
    if (!v.ok()) return v.status();
    retry->delay_ms = *v;
  }
  return absl::OkStatus();
}

void StepParser::Publish(const YAML::Node& n, const Step& s, ReferenceScope& scope) {
  StepShape shape;
  shape.kind = s.kind;
  shape.json_result = s.kind == StepKind::kModel && s.model.extract == Extract::kJson;
  scope.visible[s.id] = shape;
  parsed_[s.id] = shape;
  if (s.kind == StepKind::kRepeat) {
    std::map<std::string, StepShape> body;
    CollectStepShapes(n["steps"], 0, &body);
    for (const auto& [k, v] : body) scope.visible[k] = v;  // a finished repeat's steps keep their last values
  }
}

absl::Status StepParser::ParseModel(const YAML::Node& n, const std::string& where, const ReferenceScope& scope,
                                    ModelCall* m) const {
  auto role = yaml_.OneOf(n["role"], KeyPath(where, "role"), kRoles, "role");
  if (!role.ok()) return role.status();
  m->role = *role;
  const YAML::Node prompt = n["prompt"];
  if (!prompt) return yaml_.Error(n, KeyPath(where, "prompt"), "required: the user message");
  auto p = ReadTemplate(yaml_, prompt, KeyPath(where, "prompt"), scope);
  if (!p.ok()) return p.status();
  m->prompt = *std::move(p);
  if (const YAML::Node sys = n["system"]) {
    auto t = ReadTemplate(yaml_, sys, KeyPath(where, "system"), scope);
    if (!t.ok()) return t.status();
    m->system = *std::move(t);
  }
  const YAML::Node extract = n["extract"];
  if (extract) {
    auto e = yaml_.OneOf(extract, KeyPath(where, "extract"), {"text", "code", "json"}, "extract");
    if (!e.ok()) return e.status();
    m->extract = *e == "code" ? Extract::kCode : *e == "json" ? Extract::kJson : Extract::kText;
  }
  if (const YAML::Node schema = n["schema"]) {
    if (auto st = ParseAnswerSchema(schema, KeyPath(where, "schema"), static_cast<bool>(extract), m); !st.ok()) return st;
  }
  if (const YAML::Node tools = n["tools"]) {
    if (auto st = ParseAgentTools(tools, KeyPath(where, "tools"), m); !st.ok()) return st;
  }
  return ParseGenerationOptions(n, where, m);
}

absl::Status StepParser::ParseAnswerSchema(const YAML::Node& schema, const std::string& at, bool extract_given,
                                           ModelCall* m) const {
  if (extract_given && m->extract != Extract::kJson) {
    return yaml_.Error(schema, at, "a schema makes the answer JSON: use extract: json (or leave extract out)");
  }
  nlohmann::json j;
  if (schema.IsScalar()) {
    j = nlohmann::json::parse(schema.Scalar(), nullptr, false);
    if (j.is_discarded()) return yaml_.Error(schema, at, "expected a JSON Schema: a mapping, or a string holding a JSON object");
  } else {
    auto v = yaml_.Json(schema, at, 0);
    if (!v.ok()) return v.status();
    j = *std::move(v);
  }
  if (!j.is_object()) return yaml_.Error(schema, at, "a JSON Schema is an object");
  m->json_schema = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  m->extract = Extract::kJson;
  return absl::OkStatus();
}

absl::Status StepParser::ParseAgentTools(const YAML::Node& tools, const std::string& at, ModelCall* m) const {
  if (!tools.IsSequence()) return yaml_.Error(tools, at, "expected a list of router tools");
  for (size_t i = 0; i < tools.size(); ++i) {
    auto t = yaml_.OneOf(tools[i], absl::StrCat(at, "[", i, "]"), kRouterTools, "tool");
    if (!t.ok()) return t.status();
    if (std::find(m->tools.begin(), m->tools.end(), *t) != m->tools.end()) {
      return yaml_.Error(tools[i], absl::StrCat(at, "[", i, "]"), absl::StrCat("\"", *t, "\" is listed twice"));
    }
    m->tools.push_back(*t);
  }
  return absl::OkStatus();
}

absl::Status StepParser::ParseGenerationOptions(const YAML::Node& n, const std::string& where, ModelCall* m) const {
  if (const YAML::Node v = n["max_tokens"]) {
    auto x = yaml_.Int(v, KeyPath(where, "max_tokens"), 1, 1 << 20);
    if (!x.ok()) return x.status();
    m->max_tokens = static_cast<int>(*x);
  }
  if (const YAML::Node v = n["temperature"]) {
    auto x = yaml_.Double(v, KeyPath(where, "temperature"), 0, 2);
    if (!x.ok()) return x.status();
    m->temperature = *x;
  }
  if (const YAML::Node v = n["seed"]) {
    auto x = yaml_.Int(v, KeyPath(where, "seed"), 0, INT64_MAX);
    if (!x.ok()) return x.status();
    m->seed = static_cast<uint64_t>(*x);
  }
  if (const YAML::Node v = n["thinking"]) {
    auto x = yaml_.Bool(v, KeyPath(where, "thinking"));
    if (!x.ok()) return x.status();
    m->thinking = *x;
  }
  if (const YAML::Node v = n["max_steps"]) {
    auto x = yaml_.Int(v, KeyPath(where, "max_steps"), 1, 256);
    if (!x.ok()) return x.status();
    m->max_steps = static_cast<int>(*x);
  }
  return absl::OkStatus();
}

absl::Status StepParser::ParseTool(const YAML::Node& n, const std::string& where, const ReferenceScope& scope,
                                   ToolCall* t) const {
  auto name = yaml_.OneOf(n["tool"], KeyPath(where, "tool"), kRouterTools, "tool");
  if (!name.ok()) return name.status();
  t->name = *name;
  t->with.kind = JsonTemplate::Kind::kObject;
  if (const YAML::Node with = n["with"]) {
    if (!with.IsMap()) return yaml_.Error(with, KeyPath(where, "with"), "expected a mapping of the tool's arguments");
    auto w = ReadJsonTemplate(yaml_, with, KeyPath(where, "with"), scope, 0);
    if (!w.ok()) return w.status();
    t->with = *std::move(w);
  }
  return absl::OkStatus();
}

absl::Status StepParser::ParseRepeat(const YAML::Node& n, const std::string& where, const ReferenceScope& scope,
                                     int nesting, Step* s) {
  const std::string at = KeyPath(where, "repeat");
  const YAML::Node r = n["repeat"];
  if (nesting + 1 > kMaxRepeatNesting) return yaml_.Error(r, at, absl::StrCat("repeats nest at most ", kMaxRepeatNesting, " deep"));
  if (auto st = yaml_.CheckMap(r, at, {"max", "until", "error"}); !st.ok()) return st;
  const YAML::Node max = r["max"];
  if (!max) {
    return yaml_.Error(r, KeyPath(at, "max"),
                       absl::StrCat("required: the rounds at most (1 to ", kMaxRepeatRounds, "), or a template giving them"));
  }
  auto m = ReadTemplate(yaml_, max, KeyPath(at, "max"), scope);
  if (!m.ok()) return m.status();
  if (!m->has_holes()) {
    if (auto v = yaml_.Int(max, KeyPath(at, "max"), 1, kMaxRepeatRounds); !v.ok()) return v.status();
  }
  s->repeat.max = *std::move(m);
  const YAML::Node steps = n["steps"];
  if (!steps) return yaml_.Error(n, KeyPath(where, "steps"), "required: the steps to repeat");

  ReferenceScope inner = scope;
  inner.loop_depth++;
  inner.enclosing.push_back(s->id);
  std::map<std::string, StepShape> body;
  CollectStepShapes(steps, 0, &body);
  for (const auto& [k, v] : body) inner.visible[k] = v;
  ReferenceScope body_scope = inner;
  if (auto st = ParseSteps(steps, KeyPath(where, "steps"), body_scope, nesting + 1, &s->repeat.steps); !st.ok()) return st;

  // until and error see the repeat itself: its error message may say how many rounds ran.
  inner.enclosing.pop_back();
  inner.visible[s->id] = StepShape{StepKind::kRepeat, false};
  if (const YAML::Node u = r["until"]) {
    auto e = ReadCondition(yaml_, u, KeyPath(at, "until"), inner);
    if (!e.ok()) return e.status();
    s->repeat.until = *std::move(e);
  }
  if (const YAML::Node e = r["error"]) {
    auto t = ReadTemplate(yaml_, e, KeyPath(at, "error"), inner);
    if (!t.ok()) return t.status();
    s->repeat.error = *std::move(t);
  }
  return absl::OkStatus();
}

}  // namespace switchyard::workflows
