// RouterConfig: the router's YAML configuration.
//
//   listen: 127.0.0.1:7700
//   pools:                       # one per role; a role without a pool cannot be routed to
//     reasoning:   {endpoints: [127.0.0.1:7801, 127.0.0.1:7811]}   # replicas picked by load
//     coder:       {endpoints: [127.0.0.1:7802]}
//     translation: {target: "dns:///workers-translation.ns.svc:7800"}  # gRPC balances the
//                                                                    # resolved addresses
//   classifier:
//     model: router/classify/model/classifier.bin   # default: the shipped model
//     min_confidence: 0.0        # below it, fallback_route is used
//     fallback_route: reasoning
//   defaults:
//     deadline_seconds: 300      # for requests that carry none
//     max_tokens: 1024
//   agent:                       # the agent loop's limits per run (a request may lower them; the
//     max_steps: 8               # tenant's policy caps max_steps)
//     max_tokens: 65536          # prompt + completion over all steps and delegations
//     max_seconds: 300
//     max_identical_calls: 3     # the same tool with the same arguments: more is a loop
//     tool_threads: 32           # router tools of all runs together run on this many threads
//                                # (one answer's calls: at most 8 of them at once); more wait
//   health:
//     interval_ms: 500
//     timeout_ms: 1000
//   policy: policy.yaml          # tenants, keys, limits, guardrails, audit (policies/); absent:
//                                # an open router. Relative to this file's directory.
//   http:                        # the OpenAI-compatible gateway (router/gateway/); absent: off
//     listen: 127.0.0.1:8080
//     max_body_bytes: 8388608    # larger requests get 413
//     read_timeout_ms: 30000     # a request (headers and body) must arrive within it, else 408
//     model_aliases: {gpt-4o: reasoning, gpt-4o-mini: auto}   # `model` names -> a route
//   prefix_cache:                # the secret behind each tenant's cache salt (router/service/cache_salt.h)
//     salt_secret_file: salt.key # the file's bytes (trailing whitespace dropped), at least 16; relative
//                                # to this file's directory. Or inline: salt_secret: "...". Give every
//                                # router of a fleet the same one. Absent: 32 random bytes per router
//                                # process (isolated as well, but no reuse across restarts or routers)
//
// Thread safety: a plain value.
#ifndef SWITCHYARD_ROUTER_CONFIG_ROUTER_CONFIG_H_
#define SWITCHYARD_ROUTER_CONFIG_ROUTER_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

inline constexpr const char* kRoles[] = {"reasoning", "coder", "translation"};
bool IsRole(absl::string_view name);

struct PoolConfig {
  std::vector<std::string> endpoints;  // HOST:PORT replicas, or
  std::string target;                  // one gRPC target (dns:///name:port) balanced by gRPC
};

struct AgentDefaults {
  int64_t max_steps = 8;
  int64_t max_tokens = 65536;
  int64_t max_seconds = 300;
  int64_t max_identical_calls = 3;
  // Not a per-run limit: the size of the router's tool pool (tools block on the sandbox or on
  // another worker; a bounded pool queues a burst instead of starting threads without limit).
  int64_t tool_threads = 32;
};

// The HTTP gateway's settings. An empty `listen` means no gateway.
struct HttpConfig {
  std::string listen;
  int64_t max_body_bytes = 8 << 20;
  int64_t read_timeout_ms = 30000;
  std::map<std::string, std::string> model_aliases;  // model name -> auto | reasoning | coder | translation
};

// The prefix cache's salt secret. LoadRouterConfig reads salt_secret_file into salt_secret.
struct PrefixCacheConfig {
  std::string salt_secret;       // empty: a random one per process
  std::string salt_secret_file;  // as written in the config (resolved against its directory)
};
inline constexpr size_t kMinSaltSecretBytes = 16;

struct RouterConfig {
  std::string listen = "127.0.0.1:7700";
  std::map<std::string, PoolConfig> pools;  // role -> pool
  std::string classifier_model;             // empty: the shipped model
  double min_confidence = 0.0;
  std::string fallback_route = "reasoning";
  int64_t deadline_seconds = 300;
  int32_t max_tokens = 1024;
  AgentDefaults agent;
  int64_t health_interval_ms = 500;
  int64_t health_timeout_ms = 1000;
  std::string policy_file;  // empty: open (no keys, no limits, no audit)
  HttpConfig http;
  PrefixCacheConfig prefix_cache;
};

// InvalidArgument naming `file` and the key ("router.yaml: pools.coder.endpoints[1]: ...") for
// malformed YAML, unknown keys, wrong types, bad addresses or roles. Reads no other file: the
// salt secret file is LoadRouterConfig's (NotFound, or InvalidArgument when under 16 bytes).
absl::StatusOr<RouterConfig> ParseRouterConfig(absl::string_view yaml, absl::string_view file);
absl::StatusOr<RouterConfig> LoadRouterConfig(const std::string& path);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_CONFIG_ROUTER_CONFIG_H_
