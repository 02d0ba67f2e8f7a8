// Template: text with `{{ expression }}` holes, as in a step's prompt or a tool's argument.
//
//   "Write a Python function for: {{ inputs.spec }}"
//   "{{ steps.fix.output or steps.write.output }}"     # any Expression (condition.h) fits a hole
//   "{{ '{{' }}"                                       # a literal "{{"
//
// A hole's value is rendered by RenderValue (a string as itself, null as "", objects as JSON).
// A template that is exactly one hole (spaces inside the braces allowed, none outside) can also
// be evaluated to the hole's JSON value, so `top_k: "{{ inputs.k }}"` passes a number.
// A "}}" outside a hole is plain text; a "{{" without its "}}" is an error.
//
// Why written here: the allowed libraries hold no template engine, and a Jinja port would accept
// a language (loops, filters, macros) whose mistakes we could not check before a workflow runs.
//
// Thread safety: immutable after Parse.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"

namespace switchyard::workflows {

class Template {
 public:
  Template() = default;  // the empty text
  // InvalidArgument "at column N: ..." (1-based, counted in the whole template) when a hole is
  // unclosed, empty, or not an expression.
  static absl::StatusOr<Template> Parse(absl::string_view text);

  // The text with every hole replaced. Errors come from evaluating a hole and name it:
  // "{{ steps.x.result.y }}: <why>".
  absl::StatusOr<std::string> Render(const ValueResolver& resolver) const;
  // The hole's value when the template is exactly one hole; otherwise Render's string.
  absl::StatusOr<nlohmann::json> Evaluate(const ValueResolver& resolver) const;

  const std::string& text() const { return text_; }
  bool has_holes() const { return !holes_.empty(); }
  // The holes in order, for the loader's reference checks.
  std::vector<const Expression*> holes() const;

 private:
  std::string text_;
  // Literal text and holes in order.
  std::vector<std::variant<std::string, Expression>> parts_;
  std::vector<size_t> holes_;  // indexes into parts_
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_TEMPLATE_H_
