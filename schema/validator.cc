// Validate and Satisfies, through one Checker per call (it carries the pointer being built and
// the step budget).
#include "schema/validator.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "schema/json_equal.h"
#include "schema/json_pointer.h"

namespace switchyard::schema {
namespace {

constexpr std::pair<TypeSet, const char*> kTypeNames[] = {
    {kTypeObject, "object"},   {kTypeArray, "array"},     {kTypeString, "string"}, {kTypeNumber, "number"},
    {kTypeInteger, "integer"}, {kTypeBoolean, "boolean"}, {kTypeNull, "null"},
};

// JSON's own type names: integers are numbers here ("expected integer, got number" for 2.5).
const char* JsonTypeName(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

bool IsInteger(const nlohmann::json& v) {
  if (v.is_number_integer()) return true;  // signed and unsigned
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool HasType(TypeSet types, const nlohmann::json& v) {
  if (v.is_null()) return types & kTypeNull;
  if (v.is_boolean()) return types & kTypeBoolean;
  if (v.is_string()) return types & kTypeString;
  if (v.is_array()) return types & kTypeArray;
  if (v.is_object()) return types & kTypeObject;
  if (types & kTypeNumber) return true;
  return (types & kTypeInteger) && IsInteger(v);
}

// "string", "string or null", "object, array or null".
std::string ExpectedTypes(TypeSet types) {
  std::vector<const char*> names;
  for (const auto& [bit, name] : kTypeNames) {
    if (types & bit) names.push_back(name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

uint64_t CodePoints(const std::string& s) {
  uint64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A schema value shown in a message, shortened so a large enum does not flood the model.
std::string Shown(const nlohmann::ordered_json& v) {
  constexpr size_t kMax = 200;
  std::string s = v.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

class Checker {
 public:
  explicit Checker(const Schema& schema) : schema_(schema) {}

  std::vector<Violation> Run(int node, const nlohmann::json& instance) {
    std::vector<Violation> out;
    Check(node, instance, 0, out);
    // Whatever was found before the budget ran out is partial: report only that it ran out.
    if (over_budget_) return {{"/", "validation stopped: the check would take too long"}};
    return out;
  }

 private:
  void Add(std::vector<Violation>& out, std::string message) const {
    out.push_back({pointer_.empty() ? "/" : pointer_, std::move(message)});
  }

  void Check(int index, const nlohmann::json& v, int depth, std::vector<Violation>& out) {
    if (over_budget_) return;
    if (++steps_ > kMaxSteps) {
      over_budget_ = true;
      return;
    }
    if (depth > kMaxValueDepth) {
      Add(out, absl::StrCat("nested deeper than ", kMaxValueDepth, " levels"));
      return;
    }
    const Node& n = schema_.node(index);
    if (n.reject_all) {
      Add(out, "no value is allowed here");
      return;
    }
    if (n.types != 0 && !HasType(n.types, v)) {
      // The other keywords describe a value of the expected type: their messages would be noise.
      Add(out, absl::StrCat("expected ", ExpectedTypes(n.types), ", got ", JsonTypeName(v)));
      return;
    }
    if (n.Has(Keyword::kEnum) &&
        std::none_of(n.enum_values.begin(), n.enum_values.end(),
                     [&v](const nlohmann::ordered_json& e) { return JsonEqual(v, e); })) {
      Add(out, absl::StrCat("not one of the enum values ", Shown(nlohmann::ordered_json(n.enum_values))));
    }
    if (n.const_value && !JsonEqual(v, *n.const_value)) {
      Add(out, absl::StrCat("not equal to the const value ", Shown(*n.const_value)));
    }
    if (v.is_string()) CheckString(n, v, out);
    if (v.is_array()) CheckArray(n, v, depth, out);
    if (v.is_object()) CheckObject(n, v, depth, out);
    if (!n.any_of.empty()) {
      bool matched = false;
      for (int alternative : n.any_of) {
        std::vector<Violation> scratch;
        Check(alternative, v, depth, scratch);
        if (over_budget_) return;
        if (scratch.empty()) {
          matched = true;
          break;
        }
      }
      if (!matched) Add(out, absl::StrCat("matches none of the ", n.any_of.size(), " anyOf alternatives"));
    }
    if (n.ref >= 0) Check(n.ref, v, depth, out);
  }

  void CheckString(const Node& n, const nlohmann::json& v, std::vector<Violation>& out) {
    const uint64_t len = CodePoints(v.get_ref<const std::string&>());
    if (n.min_length && len < *n.min_length) {
      Add(out, absl::StrCat("expected at least ", *n.min_length, " characters, got ", len));
    }
    if (n.max_length && len > *n.max_length) {
      Add(out, absl::StrCat("expected at most ", *n.max_length, " characters, got ", len));
    }
  }

  void CheckArray(const Node& n, const nlohmann::json& v, int depth, std::vector<Violation>& out) {
    if (n.min_items && v.size() < *n.min_items) {
      Add(out, absl::StrCat("expected at least ", *n.min_items, " items, got ", v.size()));
    }
    if (n.max_items && v.size() > *n.max_items) {
      Add(out, absl::StrCat("expected at most ", *n.max_items, " items, got ", v.size()));
    }
    if (n.items < 0) return;
    const size_t base = pointer_.size();
    for (size_t i = 0; i < v.size(); ++i) {
      absl::StrAppend(&pointer_, "/", i);
      Check(n.items, v[i], depth + 1, out);
      pointer_.resize(base);
    }
  }

  void CheckObject(const Node& n, const nlohmann::json& v, int depth, std::vector<Violation>& out) {
    for (const std::string& name : n.required) {
      if (!v.contains(name)) Add(out, absl::StrCat("missing required property \"", name, "\""));
    }
    const size_t base = pointer_.size();
    for (int i : n.properties_by_name) {
      const Property& p = n.properties[static_cast<size_t>(i)];
      auto it = v.find(p.name);
      if (it == v.end()) continue;
      absl::StrAppend(&pointer_, "/", EscapePointerToken(p.name));
      Check(p.node, *it, depth + 1, out);
      pointer_.resize(base);
    }
    if (!n.additional_properties) {
      for (const auto& [name, child] : v.items()) {
        if (n.FindProperty(name) < 0) Add(out, absl::StrCat("property \"", name, "\" is not allowed"));
      }
    }
  }

  const Schema& schema_;
  std::string pointer_;  // of the value being checked; tokens pushed and popped as Check descends
  int64_t steps_ = 0;
  bool over_budget_ = false;
};

}  // namespace

std::vector<Violation> Validate(const Schema& schema, const nlohmann::json& instance) {
  return Checker(schema).Run(Schema::kRoot, instance);
}

bool Satisfies(const Schema& schema, int node, const nlohmann::json& instance) {
  return Checker(schema).Run(node, instance).empty();
}

}  // namespace switchyard::schema
