// Fuzz target: JSON Schema compilation and validation, and ToolRegistry::Execute over them. The
// input is a schema, a NUL byte, then an instance (no NUL: the input is both). Any bytes give a
// compile error, violations, or a result — never a crash, a hang or an exception.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tools/json_schema.h"
#include "tools/tool_registry.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "json_schema_fuzz: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using switchyard::tools::JsonSchema;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string schema_text = input.substr(0, nul);
  const std::string instance_text = nul == std::string::npos ? input : input.substr(nul + 1);

  absl::StatusOr<JsonSchema> schema = JsonSchema::Parse(schema_text);
  if (!schema.ok()) {
    Require(schema.status().code() == absl::StatusCode::kInvalidArgument, "compile error is not InvalidArgument");
    return 0;
  }
  const nlohmann::json instance = nlohmann::json::parse(instance_text, nullptr, /*allow_exceptions=*/false);
  if (!instance.is_discarded()) {
    for (const switchyard::tools::SchemaViolation& v : schema->Validate(instance)) {
      Require(!v.pointer.empty() && v.pointer[0] == '/' && !v.message.empty(), "malformed violation");
    }
  }

  // The same pair through the registry, as a model's tool call would arrive.
  absl::StatusOr<switchyard::tools::Tool> tool = switchyard::tools::Tool::Create(
      "fuzz", "", schema_text, [](const nlohmann::json& args, const switchyard::tools::ToolContext&) {
        return absl::StatusOr<switchyard::tools::ToolOutput>(switchyard::tools::ToolOutput{"ran", args});
      });
  if (!tool.ok()) return 0;
  switchyard::tools::ToolRegistry registry;
  Require(registry.Register(*std::move(tool)).ok(), "register failed");
  switchyard::tools::ToolResult r = registry.Execute("fuzz", instance_text, switchyard::tools::ToolContext{});
  Require(r.ok == (r.kind == switchyard::tools::ToolResultKind::kOutput), "ok disagrees with kind");
  Require(r.ok || !r.content.empty(), "error without a message");
  return 0;
}
