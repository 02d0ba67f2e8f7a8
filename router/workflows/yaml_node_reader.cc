#include "router/workflows/yaml_node_reader.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "yaml-cpp/yaml.h"

namespace switchyard::workflows {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

std::string KeyPath(const std::string& where, absl::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", key);
}

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

absl::Status YamlNodeReader::Error(const YAML::Node& at, const std::string& where, absl::string_view what) const {
  std::string place = file_;
  if (at.IsDefined() && !at.Mark().is_null()) absl::StrAppend(&place, ":", at.Mark().line + 1);
  return absl::InvalidArgumentError(absl::StrCat(place, ": ", where.empty() ? "(top level)" : where, ": ", what));
}

absl::Status YamlNodeReader::CheckMap(const YAML::Node& map, const std::string& where,
                                      const std::vector<std::string>& allowed) const {
  if (!map.IsMap()) return Error(map, where, "expected a mapping");
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) return Error(kv.first, where, "keys must be plain strings");
    const std::string& k = kv.first.Scalar();
    if (!Contains(allowed, k)) {
      return Error(kv.first, KeyPath(where, k), absl::StrCat("unknown key (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
    }
    if (!seen.insert(k).second) return Error(kv.first, KeyPath(where, k), "duplicate key");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> YamlNodeReader::String(const YAML::Node& n, const std::string& where) const {
  if (!n.IsScalar()) return Error(n, where, "expected a string");
  return n.Scalar();
}

absl::StatusOr<bool> YamlNodeReader::Bool(const YAML::Node& n, const std::string& where) const {
  bool b = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b)) return Error(n, where, "expected true or false");
  return b;
}

absl::StatusOr<int64_t> YamlNodeReader::Int(const YAML::Node& n, const std::string& where, int64_t lo, int64_t hi) const {
  int64_t v = 0;
  if (!n.IsScalar() || !absl::SimpleAtoi(n.Scalar(), &v) || v < lo || v > hi) {
    return Error(n, where, absl::StrCat("expected an integer from ", lo, " to ", hi));
  }
  return v;
}

absl::StatusOr<double> YamlNodeReader::Double(const YAML::Node& n, const std::string& where, double lo, double hi) const {
  double v = 0;
  if (!n.IsScalar() || !absl::SimpleAtod(n.Scalar(), &v) || !std::isfinite(v) || v < lo || v > hi) {
    return Error(n, where, absl::StrCat("expected a number from ", lo, " to ", hi));
  }
  return v;
}

absl::StatusOr<std::string> YamlNodeReader::OneOf(const YAML::Node& n, const std::string& where,
                                                  const std::vector<std::string>& allowed, absl::string_view what) const {
  auto s = String(n, where);
  if (!s.ok()) return s.status();
  if (!Contains(allowed, *s)) {
    return Error(n, where, absl::StrCat("unknown ", what, " \"", *s, "\" (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
  }
  return s;
}

absl::StatusOr<nlohmann::json> YamlNodeReader::Json(const YAML::Node& n, const std::string& where, int depth) const {
  if (depth > kMaxYamlValueDepth) return Error(n, where, "nested too deeply");
  if (n.IsNull()) return nullptr;
  if (n.IsScalar()) return ScalarToJson(n);
  if (n.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < n.size(); ++i) {
      auto v = Json(n[i], absl::StrCat(where, "[", i, "]"), depth + 1);
      if (!v.ok()) return v.status();
      out.push_back(*std::move(v));
    }
    return out;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) return Error(kv.first, where, "keys must be plain strings");
    const std::string& k = kv.first.Scalar();
    if (out.contains(k)) return Error(kv.first, KeyPath(where, k), "duplicate key");
    auto v = Json(kv.second, KeyPath(where, k), depth + 1);
    if (!v.ok()) return v.status();
    out[k] = *std::move(v);
  }
  return out;
}

}  // namespace switchyard::workflows
