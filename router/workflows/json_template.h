// JsonTemplate: a JSON value whose strings may hold `{{ }}` holes: a tool step's `with:`
// arguments. Evaluating it renders each string (a string that is exactly one hole keeps the
// hole's JSON type) and keeps the shape: objects, arrays, numbers and booleans as written.
//
// Thread safety: immutable once built.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_JSON_TEMPLATE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_JSON_TEMPLATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "router/workflows/condition.h"
#include "router/workflows/template.h"

namespace switchyard::workflows {

struct JsonTemplate {
  enum class Kind { kLiteral, kTemplate, kObject, kArray };
  Kind kind = Kind::kObject;
  nlohmann::json literal;                                // kLiteral: a number, bool, null or plain string
  Template text;                                         // kTemplate
  // kObject: keys[i] names items[i], in file order; kArray: items. (Two vectors, not pairs:
  // a pair needs JsonTemplate complete, and here it is not yet.)
  std::vector<std::string> keys;
  std::vector<JsonTemplate> items;

  // Errors name the place: "code: {{ steps.x.output }}: ..." or "files[2]: ...".
  absl::StatusOr<nlohmann::json> Evaluate(const ValueResolver& resolver) const;
};

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_JSON_TEMPLATE_H_
