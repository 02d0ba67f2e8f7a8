// Expression: the small expression language of workflow files. A step's `if:`, a repeat's
// `until:`, and the inside of every `{{ }}` in a template are expressions.
//
//   steps.test.result.exit_code == 0 and not (steps.write.output contains "TODO")
//   steps.fix.output or steps.write.output        # the first truthy operand, as in Python
//
// Grammar (lowest precedence first):
//   or      := and (("or" | "||") and)*
//   and     := not (("and" | "&&") not)*
//   not     := ("not" | "!") not | compare
//   compare := primary (("==" | "!=" | "<" | "<=" | ">" | ">=" | "contains") primary)?
//   primary := "string" | 'string' | number | true | false | null | path | "(" or ")"
//   path    := name ("." name | "[" integer "]" | "[" string "]")*     name: [A-Za-z_][A-Za-z0-9_-]*
//
// Values are JSON. Truthy: true, a non-zero number, a non-empty string, array or object.
// `==` compares a number with a string that spells a number numerically (inputs arrive as
// text); the orderings compare two numbers or two strings and are an error otherwise.
// `a contains b`: substring (strings), element (arrays), key (objects).
//
// Why written here: no library on the project's list (Abseil, nlohmann-json, yaml-cpp, RE2, ...)
// evaluates expressions, and the embeddable ones (a Jinja port, Lua, CEL) would each bring a
// language far larger than conditions need and errors we could not word for the user.
//
// Thread safety: an Expression is immutable after Parse; copies share the tree.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace switchyard::workflows {

// A dotted reference such as steps.test.result.exit_code: names and [index] / ["key"] parts.
struct ValuePath {
  // A string is a field name (from `.name` or `["name"]`), an integer an array index.
  std::vector<std::variant<std::string, int64_t>> parts;
  std::string text;  // as written, for messages

  // parts[i] as a field name, or empty when it is an index or out of range.
  std::string Field(size_t i) const;
};

// Looks a path up when an expression is evaluated (the workflow runner implements it).
class ValueResolver {
 public:
  virtual ~ValueResolver() = default;
  // The value, or an InvalidArgument whose message explains what is wrong with the path.
  virtual absl::StatusOr<nlohmann::json> Resolve(const ValuePath& path) const = 0;
};

class Expression {
 public:
  // InvalidArgument "at column N: <what>" (1-based) for text that is not an expression.
  static absl::StatusOr<Expression> Parse(absl::string_view text);

  // The expression's value. InvalidArgument when a path cannot be resolved or an ordering
  // compares values that have no order (a string and null, say).
  absl::StatusOr<nlohmann::json> Evaluate(const ValueResolver& resolver) const;
  // Evaluate, then Truthy.
  absl::StatusOr<bool> Test(const ValueResolver& resolver) const;

  const std::string& text() const { return text_; }
  // Every path the expression mentions, in order: what the loader checks before any step runs.
  const std::vector<ValuePath>& paths() const { return paths_; }

  struct Node;  // the parse tree; defined in condition.cc

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  std::vector<ValuePath> paths_;
};

bool Truthy(const nlohmann::json& v);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_H_
