#include "router/workflows/condition_evaluator.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {
namespace {

using Op = Expression::Node::Op;

// A number written as text ("3", "-0.5"): how inputs and model answers carry numbers. Strict:
// no spaces, no "inf", no hex, so "3 apples" stays a string.
bool StrictNumber(const std::string& s, double* out) {
  size_t i = s.empty() || s[0] != '-' ? 0 : 1;
  const size_t digits_from = i;
  while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == digits_from) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac = ++i;
    while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == frac) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exp = i;
    while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == exp) return false;
  }
  return i == s.size() && absl::SimpleAtod(s, out) && std::isfinite(*out);
}

bool AsNumber(const nlohmann::json& v, double* out) {
  if (v.is_number()) {
    *out = v.get<double>();
    return true;
  }
  return v.is_string() && StrictNumber(v.get_ref<const std::string&>(), out);
}

bool Equal(const nlohmann::json& a, const nlohmann::json& b) {
  if ((a.is_number() && b.is_string()) || (a.is_string() && b.is_number())) {
    double x = 0, y = 0;
    return AsNumber(a, &x) && AsNumber(b, &y) && x == y;
  }
  return a == b;  // numbers compare by value across integer and float; containers deeply
}

const char* OpText(Op op) {
  switch (op) {
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    default: return "?";
  }
}

absl::StatusOr<bool> Order(Op op, const nlohmann::json& a, const nlohmann::json& b) {
  int cmp = 0;
  double x = 0, y = 0;
  if (a.is_string() && b.is_string()) {
    const auto& s = a.get_ref<const std::string&>();
    const auto& t = b.get_ref<const std::string&>();
    cmp = s < t ? -1 : s > t ? 1 : 0;
  } else if ((a.is_number() || b.is_number()) && AsNumber(a, &x) && AsNumber(b, &y)) {
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot order ", DescribeValue(a), " and ", DescribeValue(b), " with \"", OpText(op), "\""));
  }
  switch (op) {
    case Op::kLt: return cmp < 0;
    case Op::kLe: return cmp <= 0;
    case Op::kGt: return cmp > 0;
    default: return cmp >= 0;
  }
}

absl::StatusOr<bool> Contains(const nlohmann::json& hay, const nlohmann::json& needle) {
  if (hay.is_string()) {
    if (!needle.is_string() && !needle.is_number()) {
      return absl::InvalidArgumentError(absl::StrCat("a string contains text, not ", DescribeValue(needle)));
    }
    return absl::StrContains(hay.get_ref<const std::string&>(), RenderValue(needle));
  }
  if (hay.is_array()) {
    for (const auto& e : hay) {
      if (Equal(e, needle)) return true;
    }
    return false;
  }
  if (hay.is_object()) {
    if (!needle.is_string()) return absl::InvalidArgumentError(absl::StrCat("an object's keys are strings, not ", DescribeValue(needle)));
    return hay.contains(needle.get_ref<const std::string&>());
  }
  if (hay.is_null()) return false;  // a step that has not run contains nothing
  return absl::InvalidArgumentError(absl::StrCat("\"contains\" needs a string, array or object on its left, not ",
                                                 DescribeValue(hay)));
}

}  // namespace

absl::StatusOr<nlohmann::json> EvaluateNode(const Expression::Node& n, const ValueResolver& r) {
  switch (n.op) {
    case Op::kLiteral:
      return n.literal;
    case Op::kPath:
      return r.Resolve(n.path);
    case Op::kNot: {
      auto v = EvaluateNode(*n.kids[0], r);
      if (!v.ok()) return v.status();
      return !Truthy(*v);
    }
    case Op::kAnd:
    case Op::kOr: {
      // Python's semantics: the first operand that decides, so `a or b` picks a fallback value
      // and `a and a.x` never looks at a.x when a is empty.
      nlohmann::json v;
      for (const auto& kid : n.kids) {
        auto k = EvaluateNode(*kid, r);
        if (!k.ok()) return k.status();
        v = *std::move(k);
        if (Truthy(v) == (n.op == Op::kOr)) return v;
      }
      return v;
    }
    default:
      break;
  }
  auto a = EvaluateNode(*n.kids[0], r);
  if (!a.ok()) return a.status();
  auto b = EvaluateNode(*n.kids[1], r);
  if (!b.ok()) return b.status();
  switch (n.op) {
    case Op::kEq: return Equal(*a, *b);
    case Op::kNe: return !Equal(*a, *b);
    case Op::kContains: {
      auto c = Contains(*a, *b);
      if (!c.ok()) return c.status();
      return *c;
    }
    default: {
      auto o = Order(n.op, *a, *b);
      if (!o.ok()) return o.status();
      return *o;
    }
  }
}

}  // namespace switchyard::workflows
