#include "router/config/router_config.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "yaml-cpp/yaml.h"

namespace switchyard {
namespace {

// yaml-cpp reports errors by throwing; everything that touches it stays inside this file's
// try blocks and comes out as a Status.
class Reader {
 public:
  explicit Reader(absl::string_view file) : file_(file) {}

  absl::Status Error(const std::string& key, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(file_, ": ", key, ": ", what));
  }
  absl::Status CheckKeys(const YAML::Node& map, const std::string& where, std::set<std::string> allowed) const {
    if (!map.IsMap()) return Error(where.empty() ? "(top level)" : where, "expected a mapping");
    for (const auto& kv : map) {
      const std::string k = kv.first.as<std::string>();
      if (!allowed.count(k)) {
        std::string list;
        for (const auto& a : allowed) absl::StrAppend(&list, list.empty() ? "" : ", ", a);
        return Error(where.empty() ? k : absl::StrCat(where, ".", k), absl::StrCat("unknown key (expected one of: ", list, ")"));
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> String(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) return Error(key, "expected a string");
    return n.as<std::string>();
  }
  absl::StatusOr<int64_t> Int(const YAML::Node& n, const std::string& key, int64_t lo, int64_t hi) const {
    int64_t v;
    if (!n.IsScalar() || !absl::SimpleAtoi(n.as<std::string>(), &v)) return Error(key, "expected an integer");
    if (v < lo || v > hi) return Error(key, absl::StrCat(v, " is outside [", lo, ", ", hi, "]"));
    return v;
  }
  absl::StatusOr<double> Double(const YAML::Node& n, const std::string& key, double lo, double hi) const {
    double v;
    if (!n.IsScalar() || !absl::SimpleAtod(n.as<std::string>(), &v)) return Error(key, "expected a number");
    if (!(v >= lo && v <= hi)) return Error(key, absl::StrCat(v, " is outside [", lo, ", ", hi, "]"));
    return v;
  }

 private:
  std::string file_;
};

bool IsHostPort(absl::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  int port;
  return absl::SimpleAtoi(s.substr(colon + 1), &port) && port >= 0 && port <= 65535;
}

absl::Status ParseHttp(const YAML::Node& n, const Reader& r, HttpConfig* http) {
  if (auto s = r.CheckKeys(n, "http", {"listen", "max_body_bytes", "read_timeout_ms", "model_aliases"}); !s.ok()) return s;
  if (!n["listen"]) return r.Error("http.listen", "required: HOST:PORT to serve HTTP on (leave http out for no gateway)");
  auto listen = r.String(n["listen"], "http.listen");
  if (!listen.ok()) return listen.status();
  if (!IsHostPort(*listen)) return r.Error("http.listen", absl::StrCat("'", *listen, "' is not HOST:PORT"));
  http->listen = *listen;
  if (n["max_body_bytes"]) {
    auto v = r.Int(n["max_body_bytes"], "http.max_body_bytes", 1024, int64_t{1} << 30);
    if (!v.ok()) return v.status();
    http->max_body_bytes = *v;
  }
  if (n["read_timeout_ms"]) {
    auto v = r.Int(n["read_timeout_ms"], "http.read_timeout_ms", 100, 3600000);
    if (!v.ok()) return v.status();
    http->read_timeout_ms = *v;
  }
  if (n["model_aliases"]) {
    const YAML::Node aliases = n["model_aliases"];
    if (!aliases.IsMap()) return r.Error("http.model_aliases", "expected a mapping of model name to route");
    for (const auto& kv : aliases) {
      const std::string name = kv.first.as<std::string>();
      const std::string key = absl::StrCat("http.model_aliases.", name);
      // The built-in names mean what they say; an alias may not redefine them.
      if (name == "auto" || IsRole(name)) return r.Error(key, "a built-in model name; aliases cannot redefine it");
      auto route = r.String(kv.second, key);
      if (!route.ok()) return route.status();
      if (*route != "auto" && !IsRole(*route)) {
        return r.Error(key, absl::StrCat("'", *route, "' is not a route (expected auto, reasoning, coder or translation)"));
      }
      http->model_aliases[name] = *route;
    }
  }
  return absl::OkStatus();
}

// pools.ROLE: {endpoints: [HOST:PORT, ...]} or {target: "dns:///..."}, exactly one of them.
absl::StatusOr<PoolConfig> ParsePool(const YAML::Node& n, const std::string& key, const Reader& r) {
  if (auto s = r.CheckKeys(n, key, {"endpoints", "target"}); !s.ok()) return s;
  PoolConfig p;
  if (n["endpoints"]) {
    const YAML::Node eps = n["endpoints"];
    if (!eps.IsSequence() || eps.size() == 0) return r.Error(key + ".endpoints", "expected a non-empty list of HOST:PORT");
    for (size_t i = 0; i < eps.size(); ++i) {
      const std::string k = absl::StrCat(key, ".endpoints[", i, "]");
      auto v = r.String(eps[i], k);
      if (!v.ok()) return v.status();
      if (!IsHostPort(*v)) return r.Error(k, absl::StrCat("'", *v, "' is not HOST:PORT"));
      p.endpoints.push_back(*v);
    }
  }
  if (n["target"]) {
    auto v = r.String(n["target"], key + ".target");
    if (!v.ok()) return v.status();
    if (v->empty()) return r.Error(key + ".target", "empty");
    p.target = *v;
  }
  if (p.endpoints.empty() == p.target.empty()) return r.Error(key, "give exactly one of endpoints and target");
  return p;
}

absl::Status ParsePools(const YAML::Node& pools, const Reader& r, RouterConfig* c) {
  if (!pools.IsMap()) return r.Error("pools", "expected a mapping of role to pool");
  for (const auto& kv : pools) {
    const std::string role = kv.first.as<std::string>();
    const std::string key = absl::StrCat("pools.", role);
    if (!IsRole(role)) return r.Error(key, "unknown role (expected reasoning, coder or translation)");
    auto pool = ParsePool(kv.second, key, r);
    if (!pool.ok()) return pool.status();
    c->pools[role] = *std::move(pool);
  }
  if (c->pools.empty()) return r.Error("pools", "no pool defined");
  return absl::OkStatus();
}

absl::Status ParseClassifier(const YAML::Node& n, const Reader& r, RouterConfig* c) {
  if (auto s = r.CheckKeys(n, "classifier", {"model", "min_confidence", "fallback_route"}); !s.ok()) return s;
  if (n["model"]) {
    auto v = r.String(n["model"], "classifier.model");
    if (!v.ok()) return v.status();
    c->classifier_model = *v;
  }
  if (n["min_confidence"]) {
    auto v = r.Double(n["min_confidence"], "classifier.min_confidence", 0.0, 1.0);
    if (!v.ok()) return v.status();
    c->min_confidence = *v;
  }
  if (n["fallback_route"]) {
    auto v = r.String(n["fallback_route"], "classifier.fallback_route");
    if (!v.ok()) return v.status();
    if (!IsRole(*v)) return r.Error("classifier.fallback_route", absl::StrCat("'", *v, "' is not a role"));
    c->fallback_route = *v;
  }
  return absl::OkStatus();
}

absl::Status ParseDefaults(const YAML::Node& n, const Reader& r, RouterConfig* c) {
  if (auto s = r.CheckKeys(n, "defaults", {"deadline_seconds", "max_tokens"}); !s.ok()) return s;
  if (n["deadline_seconds"]) {
    auto v = r.Int(n["deadline_seconds"], "defaults.deadline_seconds", 1, 86400);
    if (!v.ok()) return v.status();
    c->deadline_seconds = *v;
  }
  if (n["max_tokens"]) {
    auto v = r.Int(n["max_tokens"], "defaults.max_tokens", 1, 1 << 20);
    if (!v.ok()) return v.status();
    c->max_tokens = static_cast<int32_t>(*v);
  }
  return absl::OkStatus();
}

absl::Status ParseAgent(const YAML::Node& n, const Reader& r, AgentDefaults* agent) {
  if (auto s = r.CheckKeys(n, "agent", {"max_steps", "max_tokens", "max_seconds", "max_identical_calls", "tool_threads"});
      !s.ok()) {
    return s;
  }
  struct Field {
    const char* key;
    int64_t max;
    int64_t* out;
  };
  const Field fields[] = {{"max_steps", 1000, &agent->max_steps},
                          {"max_tokens", int64_t{1} << 40, &agent->max_tokens},
                          {"max_seconds", 86400, &agent->max_seconds},
                          {"max_identical_calls", 1000, &agent->max_identical_calls},
                          {"tool_threads", 1024, &agent->tool_threads}};
  for (const Field& f : fields) {
    if (!n[f.key]) continue;
    auto v = r.Int(n[f.key], absl::StrCat("agent.", f.key), 1, f.max);
    if (!v.ok()) return v.status();
    *f.out = *v;
  }
  return absl::OkStatus();
}

absl::Status ParseHealth(const YAML::Node& n, const Reader& r, RouterConfig* c) {
  if (auto s = r.CheckKeys(n, "health", {"interval_ms", "timeout_ms"}); !s.ok()) return s;
  if (n["interval_ms"]) {
    auto v = r.Int(n["interval_ms"], "health.interval_ms", 10, 600000);
    if (!v.ok()) return v.status();
    c->health_interval_ms = *v;
  }
  if (n["timeout_ms"]) {
    auto v = r.Int(n["timeout_ms"], "health.timeout_ms", 10, 600000);
    if (!v.ok()) return v.status();
    c->health_timeout_ms = *v;
  }
  return absl::OkStatus();
}

// prefix_cache: {salt_secret: TEXT} or {salt_secret_file: PATH}, not both.
absl::Status ParsePrefixCache(const YAML::Node& n, const Reader& r, PrefixCacheConfig* p) {
  if (auto s = r.CheckKeys(n, "prefix_cache", {"salt_secret", "salt_secret_file"}); !s.ok()) return s;
  if (n["salt_secret"] && n["salt_secret_file"]) return r.Error("prefix_cache", "give salt_secret or salt_secret_file, not both");
  if (n["salt_secret"]) {
    auto v = r.String(n["salt_secret"], "prefix_cache.salt_secret");
    if (!v.ok()) return v.status();
    if (v->size() < kMinSaltSecretBytes) {
      return r.Error("prefix_cache.salt_secret", absl::StrCat(v->size(), " bytes; at least ", kMinSaltSecretBytes, " are needed"));
    }
    p->salt_secret = *v;
  }
  if (n["salt_secret_file"]) {
    auto v = r.String(n["salt_secret_file"], "prefix_cache.salt_secret_file");
    if (!v.ok()) return v.status();
    if (v->empty()) return r.Error("prefix_cache.salt_secret_file", "empty");
    p->salt_secret_file = *v;
  }
  return absl::OkStatus();
}

absl::StatusOr<RouterConfig> Parse(const YAML::Node& root, const Reader& r) {
  RouterConfig c;
  if (root.IsNull()) return r.Error("(top level)", "the file is empty");
  if (auto s = r.CheckKeys(root, "", {"listen", "pools", "classifier", "defaults", "agent", "health", "policy", "http",
                                      "prefix_cache"});
      !s.ok()) {
    return s;
  }
  if (root["listen"]) {
    auto v = r.String(root["listen"], "listen");
    if (!v.ok()) return v.status();
    if (!IsHostPort(*v)) return r.Error("listen", absl::StrCat("'", *v, "' is not HOST:PORT"));
    c.listen = *v;
  }
  if (!root["pools"]) return r.Error("pools", "required: one pool per role (reasoning, coder, translation)");
  if (absl::Status s = ParsePools(root["pools"], r, &c); !s.ok()) return s;
  if (root["classifier"]) {
    if (absl::Status s = ParseClassifier(root["classifier"], r, &c); !s.ok()) return s;
  }
  if (!c.pools.count(c.fallback_route)) {
    return r.Error("classifier.fallback_route", absl::StrCat("'", c.fallback_route, "' has no pool"));
  }
  if (root["defaults"]) {
    if (absl::Status s = ParseDefaults(root["defaults"], r, &c); !s.ok()) return s;
  }
  if (root["agent"]) {
    if (absl::Status s = ParseAgent(root["agent"], r, &c.agent); !s.ok()) return s;
  }
  if (root["health"]) {
    if (absl::Status s = ParseHealth(root["health"], r, &c); !s.ok()) return s;
  }
  if (root["policy"]) {
    auto v = r.String(root["policy"], "policy");
    if (!v.ok()) return v.status();
    if (v->empty()) return r.Error("policy", "empty (leave the key out for an open router)");
    c.policy_file = *v;
  }
  if (root["http"]) {
    if (absl::Status s = ParseHttp(root["http"], r, &c.http); !s.ok()) return s;
  }
  if (root["prefix_cache"]) {
    if (absl::Status s = ParsePrefixCache(root["prefix_cache"], r, &c.prefix_cache); !s.ok()) return s;
  }
  return c;
}

}  // namespace

bool IsRole(absl::string_view name) { return name == "reasoning" || name == "coder" || name == "translation"; }

absl::StatusOr<RouterConfig> ParseRouterConfig(absl::string_view yaml, absl::string_view file) {
  Reader r(file);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    return Parse(root, r);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": ", e.what()));
  }
}

absl::StatusOr<RouterConfig> LoadRouterConfig(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto config = ParseRouterConfig(*text, path);
  if (!config.ok()) return config;
  // Paths in the file are relative to its directory.
  auto resolve = [&path](std::string* p) {
    const size_t slash = path.rfind('/');
    if (!p->empty() && p->front() != '/' && slash != std::string::npos) *p = path.substr(0, slash + 1) + *p;
  };
  resolve(&config->policy_file);
  PrefixCacheConfig& cache = config->prefix_cache;
  if (!cache.salt_secret_file.empty()) {
    resolve(&cache.salt_secret_file);
    auto secret = ReadFile(cache.salt_secret_file, 1 << 16);
    if (!secret.ok()) {
      return absl::Status(secret.status().code(),
                          absl::StrCat(path, ": prefix_cache.salt_secret_file: ", secret.status().message()));
    }
    // `echo ... > salt.key` leaves a newline that is no part of the secret.
    cache.salt_secret = std::string(absl::StripTrailingAsciiWhitespace(*secret));
    if (cache.salt_secret.size() < kMinSaltSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": prefix_cache.salt_secret_file: ", cache.salt_secret_file,
                                                     " holds ", cache.salt_secret.size(), " bytes; at least ",
                                                     kMinSaltSecretBytes, " are needed"));
    }
  }
  return config;
}

}  // namespace switchyard
