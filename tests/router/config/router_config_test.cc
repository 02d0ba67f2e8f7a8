#include "router/config/router_config.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(RouterConfigTest, ReadsAFullConfig) {
  auto c = ParseRouterConfig(R"(
listen: 0.0.0.0:7700
pools:
  reasoning: {endpoints: [127.0.0.1:7801, "127.0.0.1:7811"]}
  coder:
    endpoints:
      - 127.0.0.1:7802
  translation: {target: "dns:///workers-translation.default.svc:7800"}
classifier: {min_confidence: 0.4, fallback_route: coder}
defaults: {deadline_seconds: 60, max_tokens: 256}
health: {interval_ms: 200, timeout_ms: 300}
agent: {max_steps: 12, max_tokens: 100000, max_seconds: 600, max_identical_calls: 2}
policy: /etc/switchyard/policy.yaml
http: {listen: 127.0.0.1:8080, max_body_bytes: 65536, read_timeout_ms: 2000, model_aliases: {gpt-4o: reasoning, fast: auto}}
)", "router.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->listen, "0.0.0.0:7700");
  EXPECT_EQ(c->pools.at("reasoning").endpoints, (std::vector<std::string>{"127.0.0.1:7801", "127.0.0.1:7811"}));
  EXPECT_EQ(c->pools.at("translation").target, "dns:///workers-translation.default.svc:7800");
  EXPECT_DOUBLE_EQ(c->min_confidence, 0.4);
  EXPECT_EQ(c->fallback_route, "coder");
  EXPECT_EQ(c->deadline_seconds, 60);
  EXPECT_EQ(c->max_tokens, 256);
  EXPECT_EQ(c->health_interval_ms, 200);
  EXPECT_EQ(c->policy_file, "/etc/switchyard/policy.yaml");
  EXPECT_EQ(c->agent.max_steps, 12);
  EXPECT_EQ(c->agent.max_tokens, 100000);
  EXPECT_EQ(c->agent.max_seconds, 600);
  EXPECT_EQ(c->agent.max_identical_calls, 2);
  EXPECT_EQ(c->http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c->http.max_body_bytes, 65536);
  EXPECT_EQ(c->http.read_timeout_ms, 2000);
  EXPECT_EQ(c->http.model_aliases, (std::map<std::string, std::string>{{"fast", "auto"}, {"gpt-4o", "reasoning"}}));
}

// Without `http:` there is no gateway; with it, the defaults fill what is left out.
TEST(RouterConfigTest, HttpIsOptional) {
  auto off = ParseRouterConfig("pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\n", "r.yaml");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->http.listen, "");
  auto on = ParseRouterConfig("pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: ':8080'}\n",
                              "r.yaml");
  EXPECT_FALSE(on.ok());  // no host
  on = ParseRouterConfig("pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: 0.0.0.0:0}\n",
                         "r.yaml");
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_EQ(on->http.listen, "0.0.0.0:0");
  EXPECT_EQ(on->http.max_body_bytes, 8 << 20);
  EXPECT_EQ(on->http.read_timeout_ms, 30000);
  EXPECT_TRUE(on->http.model_aliases.empty());
}

// agent.tool_threads sizes the router's tool pool: 32 unless set, from 1 to 1024.
TEST(RouterConfigTest, ToolThreadsSizeTheToolPool) {
  const std::string base = "pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\n";
  auto unset = ParseRouterConfig(base, "r.yaml");
  ASSERT_TRUE(unset.ok()) << unset.status();
  EXPECT_EQ(unset->agent.tool_threads, 32);
  auto set = ParseRouterConfig(base + "agent: {tool_threads: 4}\n", "r.yaml");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->agent.tool_threads, 4);
  EXPECT_EQ(set->agent.max_steps, 8);  // the per-run limits keep their defaults
  auto zero = ParseRouterConfig(base + "agent: {tool_threads: 0}\n", "r.yaml");
  EXPECT_EQ(zero.status().message(), "r.yaml: agent.tool_threads: 0 is outside [1, 1024]");
}

// A relative policy path is the config file's neighbour, whatever the working directory.
TEST(RouterConfigTest, PolicyPathIsRelativeToTheConfigFile) {
  const std::string dir = ::testing::TempDir() + "router_config_policy";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/router.yaml");
    f << "pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\npolicy: tenants.yaml\n";
  }
  auto c = LoadRouterConfig(dir + "/router.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->policy_file, dir + "/tenants.yaml");
  auto open = ParseRouterConfig("pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\n", "r.yaml");
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->policy_file, "");
}

// prefix_cache: the salt secret inline or from a file beside the config (its trailing newline
// dropped), at least 16 bytes; absent, the router draws one per process.
TEST(RouterConfigTest, TheSaltSecretInlineOrFromAFile) {
  const std::string base = "pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\n";
  auto none = ParseRouterConfig(base, "r.yaml");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->prefix_cache.salt_secret, "");
  auto inline_secret = ParseRouterConfig(base + "prefix_cache: {salt_secret: 'sixteen bytes ok'}\n", "r.yaml");
  ASSERT_TRUE(inline_secret.ok()) << inline_secret.status();
  EXPECT_EQ(inline_secret->prefix_cache.salt_secret, "sixteen bytes ok");

  const std::string dir = ::testing::TempDir() + "router_config_salt";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir + "/router.yaml");
    f << base << "prefix_cache: {salt_secret_file: salt.key}\n";
    std::ofstream k(dir + "/salt.key");
    k << "a secret of the whole fleet\n";
  }
  auto c = LoadRouterConfig(dir + "/router.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->prefix_cache.salt_secret, "a secret of the whole fleet");
  EXPECT_EQ(c->prefix_cache.salt_secret_file, dir + "/salt.key");
  {
    std::ofstream k(dir + "/salt.key");
    k << "too short\n";
  }
  EXPECT_EQ(LoadRouterConfig(dir + "/router.yaml").status().message(),
            dir + "/router.yaml: prefix_cache.salt_secret_file: " + dir + "/salt.key holds 9 bytes; at least 16 are needed");
  std::filesystem::remove(dir + "/salt.key");
  const absl::Status missing = LoadRouterConfig(dir + "/router.yaml").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.message()), HasSubstr(dir + "/router.yaml: prefix_cache.salt_secret_file: " + dir + "/salt.key"));
}

TEST(RouterConfigTest, ErrorsNameTheKey) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"", "router.yaml: (top level): the file is empty"},
      {"pools: {coder: {endpoints: [1.2.3.4:7]}}\nlisten: nowhere", "router.yaml: listen: 'nowhere' is not HOST:PORT"},
      {"pools: {coder: {endpoints: [a:1, b]}}", "router.yaml: pools.coder.endpoints[1]: 'b' is not HOST:PORT"},
      {"pools: {chef: {endpoints: [a:1]}}", "router.yaml: pools.chef: unknown role"},
      {"pools: {coder: {endpoints: [a:1], target: x}}", "router.yaml: pools.coder: give exactly one of endpoints and target"},
      {"pools: {coder: {endpoints: []}}", "pools.coder.endpoints: expected a non-empty list"},
      {"pools: {coder: {endpoints: [a:1]}}\nlisen: x:1", "router.yaml: lisen: unknown key"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder, min_confidence: 2}",
       "classifier.min_confidence: 2 is outside [0, 1]"},
      {"pools: {coder: {endpoints: [a:1]}}", "classifier.fallback_route: 'reasoning' has no pool"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\ndefaults: {max_tokens: lots}",
       "defaults.max_tokens: expected an integer"},
      {"pools: [1, 2]", "pools: expected a mapping"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nagent: {max_steps: 0}",
       "router.yaml: agent.max_steps: 0 is outside [1, 1000]"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nagent: {steps: 3}",
       "router.yaml: agent.steps: unknown key"},
      {"pools: {coder: {endpoints: [a:1]}\n  bad indent: [", "router.yaml:"},
      {"listen: 127.0.0.1:1", "pools: required"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\npolicy: ''", "router.yaml: policy: empty"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\npolicy: [a]", "router.yaml: policy: "},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {max_body_bytes: 2048}",
       "router.yaml: http.listen: required: HOST:PORT to serve HTTP on (leave http out for no gateway)"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: web}",
       "router.yaml: http.listen: 'web' is not HOST:PORT"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, port: 2}",
       "router.yaml: http.port: unknown key (expected one of: listen, max_body_bytes, model_aliases, read_timeout_ms)"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, max_body_bytes: 10}",
       "router.yaml: http.max_body_bytes: 10 is outside [1024, 1073741824]"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, read_timeout_ms: soon}",
       "router.yaml: http.read_timeout_ms: expected an integer"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, model_aliases: [gpt]}",
       "router.yaml: http.model_aliases: expected a mapping of model name to route"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, model_aliases: {gpt-4o: chef}}",
       "router.yaml: http.model_aliases.gpt-4o: 'chef' is not a route (expected auto, reasoning, coder or translation)"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nhttp: {listen: a:1, model_aliases: {coder: auto}}",
       "router.yaml: http.model_aliases.coder: a built-in model name; aliases cannot redefine it"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nprefix_cache: {salt_secret: short}",
       "router.yaml: prefix_cache.salt_secret: 5 bytes; at least 16 are needed"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\n"
       "prefix_cache: {salt_secret: 'sixteen bytes ok', salt_secret_file: k}",
       "router.yaml: prefix_cache: give salt_secret or salt_secret_file, not both"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nprefix_cache: {salt: x}",
       "router.yaml: prefix_cache.salt: unknown key (expected one of: salt_secret, salt_secret_file)"},
      {"pools: {coder: {endpoints: [a:1]}}\nclassifier: {fallback_route: coder}\nprefix_cache: {salt_secret_file: ''}",
       "router.yaml: prefix_cache.salt_secret_file: empty"},
  };
  for (const Case& c : cases) {
    auto r = ParseRouterConfig(c.yaml, "router.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.message)) << c.yaml;
  }
  EXPECT_EQ(LoadRouterConfig("/nonexistent/router.yaml").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace switchyard
