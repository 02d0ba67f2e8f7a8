#include "policies/policy_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "base/sha256.h"
#include "yaml-cpp/yaml.h"

namespace switchyard {
namespace {

constexpr int64_t kMaxPolicyBytes = 16 << 20;  // a policy file is small; refuse a runaway one

// yaml-cpp reports errors by throwing; everything that touches it stays inside this file and
// ParsePolicyFile's try block turns what escapes into a Status.
class Reader {
 public:
  explicit Reader(absl::string_view file) : file_(file) {}

  absl::Status Error(absl::string_view key, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(file_, ": ", key.empty() ? "(top level)" : key, ": ", what));
  }

  // A mapping whose keys are all in `allowed`, each once.
  absl::Status CheckMap(const YAML::Node& map, const std::string& where, const std::set<std::string>& allowed) const {
    if (!map.IsMap()) return Error(where, "expected a mapping");
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) return Error(where, "keys must be plain strings");
      const std::string k = kv.first.as<std::string>();
      const std::string path = where.empty() ? k : absl::StrCat(where, ".", k);
      if (!allowed.count(k)) {
        std::string list;
        for (const auto& a : allowed) absl::StrAppend(&list, list.empty() ? "" : ", ", a);
        return Error(path, absl::StrCat("unknown key (expected one of: ", list, ")"));
      }
      if (!seen.insert(k).second) return Error(path, "duplicate key");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> String(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) return Error(key, "expected a string");
    return n.as<std::string>();
  }

  absl::StatusOr<int64_t> PositiveInt(const YAML::Node& n, const std::string& key, int64_t max) const {
    int64_t v = 0;
    if (!n.IsScalar() || !absl::SimpleAtoi(n.as<std::string>(), &v) || v <= 0) {
      return Error(key, "must be a positive integer");
    }
    if (v > max) return Error(key, absl::StrCat("must be at most ", max));
    return v;
  }

  absl::StatusOr<std::vector<std::string>> StringList(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence()) return Error(key, "expected a list of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < n.size(); ++i) {
      auto s = String(n[i], absl::StrCat(key, "[", i, "]"));
      if (!s.ok()) return s.status();
      out.push_back(*std::move(s));
    }
    return out;
  }

 private:
  std::string file_;
};

bool IsName(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

bool IsPolicyRole(absl::string_view s) {
  for (const char* r : kPolicyRoles) {
    if (s == r) return true;
  }
  return false;
}

// Assigns `*out` from an optional positive integer key of `map`.
#define SY_OPTIONAL_INT(map, name, where, max, out)                                   \
  if (const YAML::Node n = (map)[name]) {                                             \
    auto v = r.PositiveInt(n, absl::StrCat(where, ".", name), max);                   \
    if (!v.ok()) return v.status();                                                   \
    *(out) = *v;                                                                      \
  }

absl::Status ParseTenant(const YAML::Node& node, const std::string& where, const Reader& r, TenantPolicy* t) {
  if (auto s = r.CheckMap(node, where, {"name", "api_keys", "limits", "allow", "sandbox", "max_steps"}); !s.ok()) {
    return s;
  }
  if (!node["name"]) return r.Error(absl::StrCat(where, ".name"), "required");
  auto name = r.String(node["name"], absl::StrCat(where, ".name"));
  if (!name.ok()) return name.status();
  if (!IsName(*name)) return r.Error(absl::StrCat(where, ".name"), "must be 1-64 characters of [A-Za-z0-9_.-]");
  t->name = *name;

  const std::string keys_at = absl::StrCat(where, ".api_keys");
  const YAML::Node keys = node["api_keys"];
  if (!keys || !keys.IsSequence() || keys.size() == 0) {
    return r.Error(keys_at, "required: a list of at least one {sha256: <64 hex digits>}");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string at = absl::StrCat(keys_at, "[", i, "]");
    if (auto s = r.CheckMap(keys[i], at, {"sha256", "label"}); !s.ok()) return s;
    if (!keys[i]["sha256"]) return r.Error(absl::StrCat(at, ".sha256"), "required");
    auto h = r.String(keys[i]["sha256"], absl::StrCat(at, ".sha256"));
    if (!h.ok()) return h.status();
    const std::string hash = absl::AsciiStrToLower(*h);
    if (!IsSha256Hex(hash)) {
      return r.Error(absl::StrCat(at, ".sha256"),
                     "must be 64 hex digits: the SHA-256 of the key, never the key itself");
    }
    if (keys[i]["label"]) {
      if (auto l = r.String(keys[i]["label"], absl::StrCat(at, ".label")); !l.ok()) return l.status();
    }
    t->key_hashes.push_back(hash);
  }

  if (const YAML::Node limits = node["limits"]) {
    const std::string at = absl::StrCat(where, ".limits");
    if (auto s = r.CheckMap(limits, at, {"requests_per_minute", "tokens_per_minute", "tokens_per_day"}); !s.ok()) {
      return s;
    }
    constexpr int64_t kMax = int64_t{1} << 40;  // far above any real limit, far below overflow
    SY_OPTIONAL_INT(limits, "requests_per_minute", at, kMax, &t->limits.requests_per_minute)
    SY_OPTIONAL_INT(limits, "tokens_per_minute", at, kMax, &t->limits.tokens_per_minute)
    SY_OPTIONAL_INT(limits, "tokens_per_day", at, kMax, &t->limits.tokens_per_day)
  }

  if (const YAML::Node allow = node["allow"]) {
    const std::string at = absl::StrCat(where, ".allow");
    if (auto s = r.CheckMap(allow, at, {"roles", "tools"}); !s.ok()) return s;
    if (allow["roles"]) {
      auto roles = r.StringList(allow["roles"], absl::StrCat(at, ".roles"));
      if (!roles.ok()) return roles.status();
      for (size_t i = 0; i < roles->size(); ++i) {
        if (!IsPolicyRole((*roles)[i])) {
          return r.Error(absl::StrCat(at, ".roles[", i, "]"),
                         absl::StrCat("unknown role '", (*roles)[i], "' (expected reasoning, coder or translation)"));
        }
        t->allowed_roles.insert((*roles)[i]);
      }
    }
    if (allow["tools"]) {
      auto tools = r.StringList(allow["tools"], absl::StrCat(at, ".tools"));
      if (!tools.ok()) return tools.status();
      for (size_t i = 0; i < tools->size(); ++i) {
        if (!IsName((*tools)[i])) {
          return r.Error(absl::StrCat(at, ".tools[", i, "]"), "must be 1-64 characters of [A-Za-z0-9_.-]");
        }
        t->allowed_tools.insert((*tools)[i]);
      }
    }
  }

  if (const YAML::Node sandbox = node["sandbox"]) {
    const std::string at = absl::StrCat(where, ".sandbox");
    if (auto s = r.CheckMap(sandbox, at, {"timeout_seconds", "memory_mb"}); !s.ok()) return s;
    SY_OPTIONAL_INT(sandbox, "timeout_seconds", at, 86400, &t->sandbox.timeout_seconds)
    SY_OPTIONAL_INT(sandbox, "memory_mb", at, 1 << 20, &t->sandbox.memory_mb)
  }
  SY_OPTIONAL_INT(node, "max_steps", where, 10000, &t->max_steps)
  return absl::OkStatus();
}

#undef SY_OPTIONAL_INT

absl::Status ParseGuardrails(const YAML::Node& node, const Reader& r, std::vector<GuardrailRuleSpec>* rules) {
  if (auto s = r.CheckMap(node, "guardrails", {"input", "output"}); !s.ok()) return s;
  for (const GuardrailDirection dir : {GuardrailDirection::kInput, GuardrailDirection::kOutput}) {
    const std::string list_at = absl::StrCat("guardrails.", DirectionName(dir));
    const YAML::Node list = node[std::string(DirectionName(dir))];
    if (!list) continue;
    if (!list.IsSequence()) return r.Error(list_at, "expected a list of rules");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = absl::StrCat(list_at, "[", i, "]");
      if (auto s = r.CheckMap(list[i], at, {"name", "pattern", "builtin", "action", "replacement"}); !s.ok()) return s;
      GuardrailRuleSpec spec;
      spec.direction = dir;
      if (!list[i]["name"]) return r.Error(absl::StrCat(at, ".name"), "required");
      auto name = r.String(list[i]["name"], absl::StrCat(at, ".name"));
      if (!name.ok()) return name.status();
      if (!IsName(*name)) return r.Error(absl::StrCat(at, ".name"), "must be 1-64 characters of [A-Za-z0-9_.-]");
      spec.name = *name;
      for (const auto& [key, field] : {std::pair{"pattern", &spec.pattern}, std::pair{"builtin", &spec.builtin},
                                       std::pair{"replacement", &spec.replacement}}) {
        if (!list[i][key]) continue;
        auto v = r.String(list[i][key], absl::StrCat(at, ".", key));
        if (!v.ok()) return v.status();
        if (v->empty()) return r.Error(absl::StrCat(at, ".", key), "must not be empty");
        *field = *v;
      }
      if (!list[i]["action"]) return r.Error(absl::StrCat(at, ".action"), "required: block or redact");
      auto action = r.String(list[i]["action"], absl::StrCat(at, ".action"));
      if (!action.ok()) return action.status();
      if (*action == "block") {
        spec.action = GuardrailAction::kBlock;
      } else if (*action == "redact") {
        spec.action = GuardrailAction::kRedact;
      } else {
        return r.Error(absl::StrCat(at, ".action"), absl::StrCat("'", *action, "' is not block or redact"));
      }
      if (spec.action == GuardrailAction::kBlock && !spec.replacement.empty()) {
        return r.Error(absl::StrCat(at, ".replacement"), "only a redact rule has a replacement");
      }
      // Compile the rule alone first, so that a bad pattern is reported at its own key path.
      if (auto one = Guardrails::Create({spec}); !one.ok()) {
        return r.Error(at, one.status().message());
      }
      rules->push_back(std::move(spec));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const Policy>> Parse(const YAML::Node& root, const Reader& r, absl::string_view file) {
  if (!root || root.IsNull()) return r.Error("", "the file is empty");
  if (auto s = r.CheckMap(root, "", {"version", "tenants", "guardrails", "audit"}); !s.ok()) return s;
  if (root["version"]) {
    auto v = r.PositiveInt(root["version"], "version", 1000);
    if (!v.ok()) return v.status();
    if (*v != 1) return r.Error("version", absl::StrCat("version ", *v, " is not supported (expected 1)"));
  }
  auto policy = std::make_shared<Policy>();
  policy->source = std::string(file);

  const YAML::Node tenants = root["tenants"];
  if (!tenants || !tenants.IsSequence() || tenants.size() == 0) {
    return r.Error("tenants", "required: a list of at least one tenant");
  }
  std::map<std::string, std::string> key_owner;  // hash -> key path where first seen
  for (size_t i = 0; i < tenants.size(); ++i) {
    const std::string at = absl::StrCat("tenants[", i, "]");
    TenantPolicy t;
    if (auto s = ParseTenant(tenants[i], at, r, &t); !s.ok()) return s;
    if (policy->FindTenant(t.name) != nullptr) {
      return r.Error(absl::StrCat(at, ".name"), absl::StrCat("duplicate tenant '", t.name, "'"));
    }
    for (size_t k = 0; k < t.key_hashes.size(); ++k) {
      const std::string key_at = absl::StrCat(at, ".api_keys[", k, "].sha256");
      auto [it, fresh] = key_owner.emplace(t.key_hashes[k], key_at);
      if (!fresh) return r.Error(key_at, absl::StrCat("the same key as ", it->second));
    }
    policy->tenants.push_back(std::move(t));
  }

  if (const YAML::Node g = root["guardrails"]) {
    std::vector<GuardrailRuleSpec> rules;
    if (auto s = ParseGuardrails(g, r, &rules); !s.ok()) return s;
    auto compiled = Guardrails::Create(std::move(rules));
    if (!compiled.ok()) return r.Error("guardrails", compiled.status().message());  // e.g. a duplicate name
    policy->guardrails = *std::move(compiled);
  }

  if (const YAML::Node audit = root["audit"]) {
    if (auto s = r.CheckMap(audit, "audit", {"path"}); !s.ok()) return s;
    if (audit["path"]) {
      auto p = r.String(audit["path"], "audit.path");
      if (!p.ok()) return p.status();
      if (p->empty()) return r.Error("audit.path", "must not be empty");
      policy->audit.path = *p;
    }
  }
  return std::shared_ptr<const Policy>(std::move(policy));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Policy>> ParsePolicyFile(absl::string_view yaml, absl::string_view file) {
  const Reader r(file);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    return Parse(root, r, file);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return absl::InvalidArgumentError(absl::StrCat(file, ": invalid YAML: ", e.msg));
    // e.mark is 0-based; editors count from 1.
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", e.mark.line + 1, ":", e.mark.column + 1, ": invalid YAML: ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": invalid policy file: ", e.what()));
  }
}

absl::StatusOr<std::shared_ptr<const Policy>> LoadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, static_cast<size_t>(kMaxPolicyBytes));
  if (!text.ok()) return text.status();
  return ParsePolicyFile(*text, path);
}

}  // namespace switchyard
