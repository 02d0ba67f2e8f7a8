#include "router/workflows/condition.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "router/workflows/condition_evaluator.h"
#include "router/workflows/condition_lexer.h"
#include "router/workflows/condition_node.h"
#include "router/workflows/condition_parser.h"

namespace switchyard::workflows {
namespace {

constexpr size_t kMaxExpressionBytes = 64 << 10;

}  // namespace

std::string ValuePath::Field(size_t i) const {
  if (i >= parts.size() || !std::holds_alternative<std::string>(parts[i])) return "";
  return std::get<std::string>(parts[i]);
}

absl::StatusOr<Expression> Expression::Parse(absl::string_view text) {
  if (text.size() > kMaxExpressionBytes) {
    return ExpressionErrorAt(1, absl::StrCat("longer than ", kMaxExpressionBytes, " bytes"));
  }
  auto tokens = LexExpression(text);
  if (!tokens.ok()) return tokens.status();
  Expression e;
  e.text_ = std::string(text);
  if (tokens->size() == 1) return ExpressionErrorAt(1, "empty expression");
  auto root = ParseExpressionTokens(*std::move(tokens), &e.paths_);
  if (!root.ok()) return root.status();
  e.root_ = *std::move(root);
  return e;
}

absl::StatusOr<nlohmann::json> Expression::Evaluate(const ValueResolver& resolver) const {
  if (!root_) return absl::FailedPreconditionError("evaluating an expression that was never parsed");
  return EvaluateNode(*root_, resolver);
}

absl::StatusOr<bool> Expression::Test(const ValueResolver& resolver) const {
  auto v = Evaluate(resolver);
  if (!v.ok()) return v.status();
  return Truthy(*v);
}

bool Truthy(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return false;
    case nlohmann::json::value_t::boolean: return v.get<bool>();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return v.get<double>() != 0;
    case nlohmann::json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case nlohmann::json::value_t::array:
    case nlohmann::json::value_t::object: return !v.empty();
    default: return false;
  }
}

}  // namespace switchyard::workflows
