#include "router/classify/labeled_prompts.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "nlohmann/json.hpp"

namespace switchyard::classify {
namespace {

std::string StringField(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

absl::StatusOr<std::vector<LabeledPrompt>> ParseLabeledPrompts(absl::string_view text,
                                                               absl::string_view source,
                                                               const std::string& group_field) {
  std::vector<LabeledPrompt> out;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == absl::string_view::npos) nl = text.size();
    absl::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == absl::string_view::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_no, ": not valid JSON"));
    }
    if (!j.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_no, ": expected a JSON object"));
    }
    auto p = j.find("prompt");
    if (p == j.end() || !p->is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_no, ": missing string field \"prompt\""));
    }
    LabeledPrompt lp;
    lp.prompt = p->get<std::string>();
    lp.label = StringField(j, "label");
    lp.split = StringField(j, "split");
    lp.id = StringField(j, "id");
    if (lp.id.empty()) lp.id = StringField(j, "origin");
    lp.line = line_no;
    if (!group_field.empty()) {
      auto g = j.find(group_field);
      if (g != j.end() && !g->is_null()) {
        lp.group = g->is_string() ? g->get<std::string>()
                                  : g->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    }
    out.push_back(std::move(lp));
  }
  return out;
}

absl::StatusOr<std::vector<LabeledPrompt>> ReadLabeledPrompts(const std::string& path,
                                                              const std::string& group_field) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return ParseLabeledPrompts(text, "<stdin>", group_field);
  }
  absl::StatusOr<std::string> file = ReadFile(path);
  if (!file.ok()) return file.status();
  return ParseLabeledPrompts(*file, path, group_field);
}

}  // namespace switchyard::classify
