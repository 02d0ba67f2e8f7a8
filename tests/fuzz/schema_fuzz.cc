// Fuzz target: schema/ on its own, the parser every JSON Schema from outside goes through (tool
// definitions, response formats), then the validator and the conjunction graph over what it
// accepts. The input is a schema, a NUL byte, then an instance (no NUL: the input is both).
// Any bytes give InvalidArgument "fuzz ..." or a schema whose every "$ref" and child index is
// in range, whose root has a finite value, and which validates any instance with well-formed
// violations — never a crash, a hang or an exception.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "schema/conjunction_graph.h"
#include "schema/parser.h"
#include "schema/validator.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "schema_fuzz: %s\n", what);
    std::abort();
  }
}

bool InRange(const switchyard::schema::Schema& s, int index) { return index >= 0 && index < s.size(); }

void CheckGraph(const switchyard::schema::Schema& s) {
  using switchyard::schema::Node;
  for (int i = 0; i < s.size(); ++i) {
    const Node& n = s.node(i);
    Require(n.ref == -1 || InRange(s, n.ref), "\"$ref\" out of range");
    Require(n.items == -1 || InRange(s, n.items), "items out of range");
    for (int a : n.any_of) Require(InRange(s, a), "anyOf out of range");
    Require(n.properties_by_name.size() == n.properties.size(), "properties_by_name incomplete");
    for (const switchyard::schema::Property& p : n.properties) {
      Require(InRange(s, p.node), "property out of range");
      Require(n.FindProperty(p.name) >= 0, "declared property not found");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string schema_text = input.substr(0, nul);
  const std::string instance_text = nul == std::string::npos ? input : input.substr(nul + 1);

  absl::StatusOr<switchyard::schema::Schema> schema = switchyard::schema::ParseSchema(schema_text, "fuzz");
  if (!schema.ok()) {
    Require(schema.status().code() == absl::StatusCode::kInvalidArgument, "parse error is not InvalidArgument");
    Require(schema.status().message().substr(0, 4) == "fuzz", "parse error does not start with `where`");
    return 0;
  }
  CheckGraph(*schema);
  absl::StatusOr<switchyard::schema::ConjunctionGraph> graph = switchyard::schema::ConjunctionGraph::Build(*schema, "fuzz");
  Require(graph.ok(), "the graph the parser built fails to build again");
  Require(graph->root_value() == switchyard::schema::ConjunctionGraph::RootValue::kFinite &&
              graph->entry(switchyard::schema::ConjunctionGraph::kRoot).finite,
          "an accepted schema without a finite value");

  const nlohmann::json instance = nlohmann::json::parse(instance_text, nullptr, /*allow_exceptions=*/false);
  if (!instance.is_discarded()) {
    for (const switchyard::schema::Violation& v : switchyard::schema::Validate(*schema, instance)) {
      Require(!v.pointer.empty() && v.pointer[0] == '/' && !v.message.empty(), "malformed violation");
    }
  }
  return 0;
}
