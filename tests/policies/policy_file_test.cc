// PolicyFile: the schema, error messages naming exact key paths, the example file, and the
// per-request checks (authentication, roles, tools) on a loaded policy.
#include "policies/policy_file.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "policies/api_key_hash.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

const std::string kKeyA = "sk-test-key-a";
const std::string kKeyB = "sk-test-key-b";

std::string ValidYaml() {
  return absl::StrCat(R"(
version: 1
tenants:
  - name: acme
    api_keys:
      - sha256: )", HashApiKey(kKeyA), R"(
        label: ci
    limits: {requests_per_minute: 60, tokens_per_minute: 1000, tokens_per_day: 50000}
    allow:
      roles: [reasoning, coder]
      tools: [run_code]
    sandbox: {timeout_seconds: 5, memory_mb: 128}
    max_steps: 4
  - name: research
    api_keys:
      - sha256: )", HashApiKey(kKeyB), R"(
guardrails:
  input:
    - {name: email, builtin: email, action: redact}
  output:
    - {name: secret, pattern: 'sk-[a-z]+', action: block}
audit:
  path: /tmp/audit.jsonl
)");
}

// The message of parsing ValidYaml() with `from` replaced by `to`.
std::string ErrorAfter(absl::string_view from, absl::string_view to) {
  const std::string yaml = absl::StrReplaceAll(ValidYaml(), {{from, to}});
  EXPECT_NE(yaml, ValidYaml()) << "the replacement did not apply: " << from;
  auto p = ParsePolicyFile(yaml, "p.yaml");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

TEST(PolicyFile, ParsesEveryField) {
  auto p = ParsePolicyFile(ValidYaml(), "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  const Policy& policy = **p;
  EXPECT_EQ(policy.source, "p.yaml");
  ASSERT_EQ(policy.tenants.size(), 2u);
  const TenantPolicy& a = policy.tenants[0];
  EXPECT_EQ(a.name, "acme");
  EXPECT_EQ(a.key_hashes, std::vector<std::string>{HashApiKey(kKeyA)});
  EXPECT_EQ(a.limits.requests_per_minute, 60);
  EXPECT_EQ(a.limits.tokens_per_minute, 1000);
  EXPECT_EQ(a.limits.tokens_per_day, 50000);
  EXPECT_EQ(a.allowed_roles, (std::set<std::string>{"coder", "reasoning"}));
  EXPECT_EQ(a.allowed_tools, (std::set<std::string>{"run_code"}));
  EXPECT_EQ(a.sandbox.timeout_seconds, 5);
  EXPECT_EQ(a.sandbox.memory_mb, 128);
  EXPECT_EQ(a.max_steps, 4);
  const TenantPolicy& r = policy.tenants[1];  // defaults
  EXPECT_EQ(r.limits.requests_per_minute, 0);
  EXPECT_TRUE(r.allowed_roles.empty());
  EXPECT_TRUE(r.allowed_tools.empty());
  EXPECT_EQ(r.sandbox.timeout_seconds, 10);
  EXPECT_EQ(r.sandbox.memory_mb, 256);
  EXPECT_EQ(r.max_steps, 8);
  EXPECT_EQ(policy.guardrails.size(), 2u);
  EXPECT_EQ(policy.guardrails.Apply(GuardrailDirection::kInput, "x a@b.io").text, "x [redacted:email]");
  EXPECT_TRUE(policy.guardrails.Apply(GuardrailDirection::kOutput, "sk-abc").blocked);
  EXPECT_EQ(policy.audit.path, "/tmp/audit.jsonl");
}

TEST(PolicyFile, ErrorsNameTheKeyPath) {
  EXPECT_EQ(ErrorAfter("requests_per_minute: 60", "requests_per_minute: 0"),
            "p.yaml: tenants[0].limits.requests_per_minute: must be a positive integer");
  EXPECT_EQ(ErrorAfter("tokens_per_minute: 1000", "tokens_per_minute: 1.5"),
            "p.yaml: tenants[0].limits.tokens_per_minute: must be a positive integer");
  EXPECT_EQ(ErrorAfter("tokens_per_day: 50000", "tokens_per_day: lots"),
            "p.yaml: tenants[0].limits.tokens_per_day: must be a positive integer");
  EXPECT_EQ(ErrorAfter("requests_per_minute: 60", "request_per_minute: 60"),
            "p.yaml: tenants[0].limits.request_per_minute: unknown key (expected one of: requests_per_minute, "
            "tokens_per_day, tokens_per_minute)");
  EXPECT_EQ(ErrorAfter("max_steps: 4", "max_steps: 4\n    extra: 1"),
            "p.yaml: tenants[0].extra: unknown key (expected one of: allow, api_keys, limits, max_steps, name, "
            "sandbox)");
  EXPECT_EQ(ErrorAfter("roles: [reasoning, coder]", "roles: [reasoning, coders]"),
            "p.yaml: tenants[0].allow.roles[1]: unknown role 'coders' (expected reasoning, coder or translation)");
  EXPECT_EQ(ErrorAfter("memory_mb: 128", "memory_mb: -1"),
            "p.yaml: tenants[0].sandbox.memory_mb: must be a positive integer");
  EXPECT_EQ(ErrorAfter("name: research", "name: acme"), "p.yaml: tenants[1].name: duplicate tenant 'acme'");
  EXPECT_EQ(ErrorAfter(HashApiKey(kKeyB), HashApiKey(kKeyA)),
            "p.yaml: tenants[1].api_keys[0].sha256: the same key as tenants[0].api_keys[0].sha256");
  EXPECT_EQ(ErrorAfter(HashApiKey(kKeyA), kKeyA),
            "p.yaml: tenants[0].api_keys[0].sha256: must be 64 hex digits: the SHA-256 of the key, never the key "
            "itself");
  EXPECT_EQ(ErrorAfter("pattern: 'sk-[a-z]+'", "pattern: 'sk-[a-z+'"),
            "p.yaml: guardrails.output[0]: guardrail rule 'secret': invalid pattern: missing ]: [a-z+");
  EXPECT_EQ(ErrorAfter("action: redact", "action: mask"), "p.yaml: guardrails.input[0].action: 'mask' is not block or redact");
  EXPECT_EQ(ErrorAfter("version: 1", "version: 2"), "p.yaml: version: version 2 is not supported (expected 1)");
  EXPECT_EQ(ErrorAfter("audit:", "audits:"),
            "p.yaml: audits: unknown key (expected one of: audit, guardrails, tenants, version)");
}

TEST(PolicyFile, StructuralErrors) {
  EXPECT_EQ(ParsePolicyFile("", "p.yaml").status().message(), "p.yaml: (top level): the file is empty");
  EXPECT_EQ(ParsePolicyFile("[1, 2]", "p.yaml").status().message(), "p.yaml: (top level): expected a mapping");
  EXPECT_EQ(ParsePolicyFile("version: 1", "p.yaml").status().message(),
            "p.yaml: tenants: required: a list of at least one tenant");
  EXPECT_EQ(ParsePolicyFile("tenants:\n  - name: a\n", "p.yaml").status().message(),
            "p.yaml: tenants[0].api_keys: required: a list of at least one {sha256: <64 hex digits>}");
  const auto bad_yaml = ParsePolicyFile("tenants: [", "p.yaml");
  EXPECT_EQ(bad_yaml.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_yaml.status().message().find("p.yaml:1:"), std::string::npos) << bad_yaml.status();
  EXPECT_NE(bad_yaml.status().message().find("invalid YAML"), std::string::npos) << bad_yaml.status();
}

TEST(PolicyFile, LoadMissingFileIsNotFound) {
  EXPECT_EQ(LoadPolicyFile("/nonexistent/policy.yaml").status().code(), absl::StatusCode::kNotFound);
}

TEST(PolicyFile, ExampleFileLoads) {
  const std::string path = testing::SourceDir() + "/examples/policies/example.yaml";
  auto p = LoadPolicyFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ((*p)->tenants.size(), 2u);
  auto t = (*p)->Authenticate("sk-acme-demo-key-0001");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->name, "acme");
  EXPECT_TRUE(CheckTool(**t, "run_code").ok());
  GuardrailOutcome o = (*p)->guardrails.Apply(GuardrailDirection::kInput, "card 4111-1111-1111-1111 from x@y.com");
  EXPECT_EQ(o.text, "card [redacted:card] from [redacted:email]");
}

TEST(Policy, AuthenticateMissingAndWrongKeys) {
  auto p = ParsePolicyFile(ValidYaml(), "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  auto a = (*p)->Authenticate(kKeyA);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->name, "acme");
  auto b = (*p)->Authenticate(kKeyB);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->name, "research");

  auto missing = (*p)->Authenticate("");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(missing.status().message(), "missing API key: send it as 'Authorization: Bearer <key>'");
  auto wrong = (*p)->Authenticate("sk-not-a-key-xyz");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), "invalid API key");  // the key itself is never echoed
  // The stored hash is not a key either.
  EXPECT_EQ((*p)->Authenticate(HashApiKey(kKeyA)).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(Policy, RolesAndToolsAreDeniedByDefault) {
  auto p = ParsePolicyFile(ValidYaml(), "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status();
  const TenantPolicy& acme = (*p)->tenants[0];
  const TenantPolicy& research = (*p)->tenants[1];
  EXPECT_TRUE(CheckRole(acme, "coder").ok());
  EXPECT_TRUE(CheckTool(acme, "run_code").ok());
  const absl::Status role = CheckRole(acme, "translation");
  EXPECT_EQ(role.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(role.message(), "tenant 'acme' may not use role 'translation'");
  const absl::Status tool = CheckTool(research, "run_code");
  EXPECT_EQ(tool.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tool.message(), "tenant 'research' may not use tool 'run_code'");
  EXPECT_EQ(CheckRole(research, "reasoning").code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace switchyard
