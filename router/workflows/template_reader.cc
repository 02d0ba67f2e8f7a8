#include "router/workflows/template_reader.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "yaml-cpp/yaml.h"

namespace switchyard::workflows {

absl::StatusOr<Template> ReadTemplate(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                      const ReferenceScope& scope) {
  if (n.IsMap() || n.IsSequence()) {
    return yaml.Error(n, where, "expected text (a value that starts with \"{{\" must be quoted, or YAML reads a mapping)");
  }
  auto t = Template::Parse(n.IsScalar() ? n.Scalar() : "");
  if (!t.ok()) return yaml.Error(n, where, t.status().message());
  for (const Expression* e : t->holes()) {
    if (auto s = scope.Check(*e); !s.ok()) return yaml.Error(n, where, s.message());
  }
  return t;
}

absl::StatusOr<Expression> ReadCondition(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                         const ReferenceScope& scope) {
  if (!n.IsScalar()) {
    return yaml.Error(n, where, "expected a condition, such as steps.test.ok and steps.test.result.exit_code == 0");
  }
  absl::string_view text = n.Scalar();
  // Accept a condition written as a template, "{{ x == 1 }}", as GitHub Actions users do.
  absl::string_view stripped = absl::StripAsciiWhitespace(text);
  if (absl::StartsWith(stripped, "{{") && absl::EndsWith(stripped, "}}") && stripped.size() >= 4 &&
      stripped.substr(2).find("{{") == absl::string_view::npos) {
    text = stripped.substr(2, stripped.size() - 4);
  }
  auto e = Expression::Parse(text);
  if (!e.ok()) return yaml.Error(n, where, e.status().message());
  if (auto s = scope.Check(*e); !s.ok()) return yaml.Error(n, where, s.message());
  return e;
}

absl::StatusOr<JsonTemplate> ReadJsonTemplate(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                              const ReferenceScope& scope, int depth) {
  if (depth > kMaxYamlValueDepth) return yaml.Error(n, where, "nested too deeply");
  JsonTemplate out;
  if (n.IsNull()) {
    out.kind = JsonTemplate::Kind::kLiteral;
  } else if (n.IsScalar()) {
    out.literal = ScalarToJson(n);
    out.kind = JsonTemplate::Kind::kLiteral;
    if (out.literal.is_string() && absl::StrContains(n.Scalar(), "{{")) {
      auto t = ReadTemplate(yaml, n, where, scope);
      if (!t.ok()) return t.status();
      out.kind = JsonTemplate::Kind::kTemplate;
      out.text = *std::move(t);
      out.literal = nullptr;
    }
  } else if (n.IsSequence()) {
    out.kind = JsonTemplate::Kind::kArray;
    for (size_t i = 0; i < n.size(); ++i) {
      auto v = ReadJsonTemplate(yaml, n[i], absl::StrCat(where, "[", i, "]"), scope, depth + 1);
      if (!v.ok()) return v.status();
      out.items.push_back(*std::move(v));
    }
  } else {
    out.kind = JsonTemplate::Kind::kObject;
    std::set<std::string> seen;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) return yaml.Error(kv.first, where, "keys must be plain strings");
      const std::string& k = kv.first.Scalar();
      if (!seen.insert(k).second) return yaml.Error(kv.first, KeyPath(where, k), "duplicate key");
      auto v = ReadJsonTemplate(yaml, kv.second, KeyPath(where, k), scope, depth + 1);
      if (!v.ok()) return v.status();
      out.keys.push_back(k);
      out.items.push_back(*std::move(v));
    }
  }
  return out;
}

absl::StatusOr<std::vector<DocumentSpec>> ReadDocuments(const YamlNodeReader& yaml, const YAML::Node& n,
                                                        const std::string& where, const ReferenceScope& scope) {
  if (!n.IsSequence()) return yaml.Error(n, where, "expected a list of {name, text}");
  std::vector<DocumentSpec> out;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string at = absl::StrCat(where, "[", i, "]");
    const YAML::Node d = n[i];
    if (auto s = yaml.CheckMap(d, at, {"name", "text"}); !s.ok()) return s;
    DocumentSpec doc;
    for (const char* key : {"name", "text"}) {
      if (!d[key]) return yaml.Error(d, KeyPath(at, key), "required");
      auto t = ReadTemplate(yaml, d[key], KeyPath(at, key), scope);
      if (!t.ok()) return t.status();
      (std::string(key) == "name" ? doc.name : doc.text) = *std::move(t);
    }
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace switchyard::workflows
