#include "router/workflows/workflow_inputs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "base/read_file.h"

namespace switchyard::workflows {
namespace {

constexpr size_t kMaxInputFileBytes = 16 << 20;  // a contract or a paper, not a data set

absl::StatusOr<std::string> ReadInputFile(const std::string& input, const std::string& path) {
  auto text = ReadFile(path, kMaxInputFileBytes);
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat("input \"", input, "\": ", text.status().message()));
  return text;
}

}  // namespace

absl::StatusOr<std::pair<std::string, std::string>> ParseInputAssignment(absl::string_view text) {
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos || eq == 0) {
    return absl::InvalidArgumentError(absl::StrCat("--input takes KEY=VALUE (or KEY=@file), got \"", text, "\""));
  }
  return std::make_pair(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
}

absl::StatusOr<nlohmann::json> ConvertInputValue(absl::string_view text, InputType type) {
  const absl::string_view t = absl::StripAsciiWhitespace(text);
  switch (type) {
    case InputType::kString:
      return nlohmann::json(std::string(text));
    case InputType::kInteger: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(t, &v)) return absl::InvalidArgumentError(absl::StrCat("expected an integer, got \"", text, "\""));
      return nlohmann::json(v);
    }
    case InputType::kNumber: {
      double v = 0;
      if (!absl::SimpleAtod(t, &v) || !std::isfinite(v)) {
        return absl::InvalidArgumentError(absl::StrCat("expected a number, got \"", text, "\""));
      }
      return nlohmann::json(v);
    }
    case InputType::kBoolean: {
      const std::string lower = absl::AsciiStrToLower(t);
      if (lower == "true" || lower == "yes" || lower == "1") return nlohmann::json(true);
      if (lower == "false" || lower == "no" || lower == "0") return nlohmann::json(false);
      return absl::InvalidArgumentError(absl::StrCat("expected true or false, got \"", text, "\""));
    }
  }
  return absl::InternalError("unknown input type");
}

absl::StatusOr<nlohmann::json> ResolveInputs(const Workflow& workflow,
                                             const std::vector<std::pair<std::string, std::string>>& given) {
  std::map<std::string, std::string> values;
  std::vector<std::string> names;
  for (const WorkflowInput& in : workflow.inputs) names.push_back(in.name);
  for (const auto& [key, value] : given) {
    const bool declared = std::find(names.begin(), names.end(), key) != names.end();
    if (!declared) {
      return absl::InvalidArgumentError(
          names.empty() ? absl::StrCat("unknown input \"", key, "\": workflow \"", workflow.name, "\" declares no inputs")
                        : absl::StrCat("unknown input \"", key, "\" (inputs: ", absl::StrJoin(names, ", "), ")"));
    }
    if (!values.emplace(key, value).second) return absl::InvalidArgumentError(absl::StrCat("input \"", key, "\" given twice"));
  }
  const std::filesystem::path base = std::filesystem::path(workflow.file).parent_path();
  nlohmann::json out = nlohmann::json::object();
  for (const WorkflowInput& in : workflow.inputs) {
    std::string text;
    auto it = values.find(in.name);
    if (it != values.end()) {
      text = it->second;
      if (absl::StartsWith(text, "@@")) {
        text.erase(0, 1);
      } else if (absl::StartsWith(text, "@") || in.file) {
        auto content = ReadInputFile(in.name, absl::StartsWith(text, "@") ? text.substr(1) : text);
        if (!content.ok()) return content.status();
        text = *std::move(content);
      }
    } else if (in.default_value) {
      text = *in.default_value;
      if (in.file) {
        std::filesystem::path p(text);
        if (p.is_relative() && !workflow.file.empty()) p = base / p;
        auto content = ReadInputFile(in.name, p.string());
        if (!content.ok()) return content.status();
        text = *std::move(content);
      }
    } else if (in.required) {
      return absl::InvalidArgumentError(absl::StrCat("missing required input \"", in.name, "\" (--input ", in.name,
                                                     in.file ? "=@FILE)" : "=VALUE)"));
    } else {
      out[in.name] = nullptr;
      continue;
    }
    auto v = ConvertInputValue(text, in.type);
    if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat("input \"", in.name, "\": ", v.status().message()));
    out[in.name] = *std::move(v);
  }
  return out;
}

}  // namespace switchyard::workflows
