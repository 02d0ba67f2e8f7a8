// Reading the templates and conditions of a workflow file. Each is parsed (template.h,
// condition.h), then every path it names is checked against the ReferenceScope of its place
// (reference_scope.h), so a misspelt step or input is an error with the file's line when the
// file loads, not when a model has already run:
//
//   codegen.yaml:12: steps[1].with.code: steps.wrte.output: unknown step "wrte" (steps: fix, test, write)
//
// Used by the workflow loader (workflow_file.h, step_parser.h).
//
// Thread safety: free functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_READER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "router/workflows/condition.h"
#include "router/workflows/json_template.h"
#include "router/workflows/reference_scope.h"
#include "router/workflows/template.h"
#include "router/workflows/workflow.h"
#include "router/workflows/yaml_node_reader.h"

namespace switchyard::workflows {

// A scalar as a Template. A mapping or list is an error that says why: an unquoted "{{" makes
// YAML read a mapping.
absl::StatusOr<Template> ReadTemplate(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                      const ReferenceScope& scope);

// A scalar as a condition; "{{ x == 1 }}" is accepted too and means x == 1.
absl::StatusOr<Expression> ReadCondition(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                         const ReferenceScope& scope);

// Any YAML value as a JsonTemplate: strings holding "{{" become templates, other scalars JSON
// literals. `depth` is the caller's nesting so far (at most kMaxYamlValueDepth).
absl::StatusOr<JsonTemplate> ReadJsonTemplate(const YamlNodeReader& yaml, const YAML::Node& n, const std::string& where,
                                              const ReferenceScope& scope, int depth);

// A `documents:` list of {name, text}, both templates.
absl::StatusOr<std::vector<DocumentSpec>> ReadDocuments(const YamlNodeReader& yaml, const YAML::Node& n,
                                                        const std::string& where, const ReferenceScope& scope);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_READER_H_
