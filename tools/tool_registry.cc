#include "tools/tool_registry.h"

#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "schema/json_depth.h"

namespace switchyard::tools {
namespace {

ToolResult Error(std::string message) {
  ToolResult r;
  r.kind = ToolResultKind::kError;
  r.ok = false;
  r.content = message;
  r.error = std::move(message);
  return r;
}

}  // namespace

absl::Status ToolRegistry::Register(Tool tool) {
  if (by_name_.contains(tool.name)) {
    return absl::AlreadyExistsError(absl::StrCat("tool \"", tool.name, "\" is already registered"));
  }
  by_name_.emplace(tool.name, tools_.size());
  tools_.push_back(std::move(tool));
  return absl::OkStatus();
}

const Tool* ToolRegistry::Find(absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tools_[it->second];
}

nlohmann::json ToolRegistry::ToOpenAiTools() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Tool& t : tools_) {
    out.push_back({{"type", "function"},
                   {"function", {{"name", t.name}, {"description", t.description}, {"parameters", t.parameters.schema_json()}}}});
  }
  return out;
}

ToolResult ToolRegistry::Execute(absl::string_view name, absl::string_view arguments_json,
                                 const ToolContext& context) const {
  const Tool* tool = Find(name);
  if (tool == nullptr) {
    std::vector<std::string> names;
    for (const Tool& t : tools_) names.push_back(t.name);
    return Error(absl::StrCat("unknown tool \"", name, "\"; available tools: ", absl::StrJoin(names, ", ")));
  }
  nlohmann::json arguments;
  if (absl::StripAsciiWhitespace(arguments_json).empty()) {
    arguments = nlohmann::json::object();  // models often send "" for a call without arguments
  } else {
    try {
      arguments = nlohmann::json::parse(arguments_json.begin(), arguments_json.end(), nullptr, false);
    } catch (const std::exception&) {
      arguments = nlohmann::json::value_t::discarded;
    }
    if (arguments.is_discarded()) {
      return Error(absl::StrCat("arguments for tool \"", name, "\" are not valid JSON"));
    }
  }
  if (schema::JsonDepthExceeds(arguments, kMaxArgumentDepth)) {
    return Error(absl::StrCat("arguments for tool \"", name, "\" nest deeper than ", kMaxArgumentDepth, " levels"));
  }
  std::vector<SchemaViolation> violations = tool->parameters.Validate(arguments);
  if (!violations.empty()) {
    return Error(absl::StrCat("invalid arguments for tool \"", name, "\": ",
                              absl::StrJoin(violations, "; ", [](std::string* out, const SchemaViolation& v) {
                                out->append(v.ToString());
                              })));
  }
  if (tool->is_client_tool()) {
    ToolResult r;
    r.kind = ToolResultKind::kClientCall;
    r.ok = false;
    r.content = "client";
    return r;
  }
  absl::StatusOr<ToolOutput> out;
  try {
    out = tool->executor(arguments, context);
  } catch (const std::exception& e) {  // an executor's nlohmann or std exception ends here
    return Error(absl::StrCat("tool \"", name, "\" failed: ", e.what()));
  }
  if (!out.ok()) return Error(absl::StrCat("tool \"", name, "\" failed: ", out.status().message()));
  ToolResult r;
  r.kind = ToolResultKind::kOutput;
  r.ok = true;
  r.content = std::move(out->content);
  r.structured = std::move(out->structured);
  return r;
}

}  // namespace switchyard::tools
