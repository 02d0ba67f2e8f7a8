#include "router/workflows/condition_parser.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace switchyard::workflows {
namespace {

using Op = Expression::Node::Op;
using NodePtr = std::unique_ptr<Expression::Node>;

// Parentheses and `not` nest; and/or chains are flat lists.
constexpr int kMaxNesting = 64;

class Parser {
 public:
  Parser(std::vector<ExpressionToken> tokens, std::vector<ValuePath>* paths) : toks_(std::move(tokens)), paths_(paths) {}

  absl::StatusOr<NodePtr> ParseAll() {
    auto root = ParseOr();
    if (!root.ok()) return root.status();
    if (Peek().kind != TokenKind::kEnd) {
      if (Peek().kind == TokenKind::kCompare || IsWord(Peek(), "contains")) {
        return ExpressionErrorAt(Peek().column, "comparisons cannot be chained: join them with \"and\"");
      }
      return ExpressionErrorAt(Peek().column, absl::StrCat("expected an operator or the end, found ", DescribeToken(Peek())));
    }
    return root;
  }

 private:
  const ExpressionToken& Peek() const { return toks_[pos_]; }
  ExpressionToken Take() { return toks_[pos_ == toks_.size() - 1 ? pos_ : pos_++]; }
  static bool IsWord(const ExpressionToken& t, absl::string_view w) { return t.kind == TokenKind::kName && t.text == w; }

  // or := and (("or" | "||") and)*;  and := not (("and" | "&&") not)*
  absl::StatusOr<NodePtr> ParseChain(Op op, absl::string_view word, TokenKind symbol) {
    auto first = op == Op::kOr ? ParseChain(Op::kAnd, "and", TokenKind::kAndAnd) : ParseNot();
    if (!first.ok()) return first.status();
    if (!IsWord(Peek(), word) && Peek().kind != symbol) return first;
    auto node = std::make_unique<Expression::Node>();
    node->op = op;
    node->kids.push_back(*std::move(first));
    while (IsWord(Peek(), word) || Peek().kind == symbol) {
      Take();
      auto next = op == Op::kOr ? ParseChain(Op::kAnd, "and", TokenKind::kAndAnd) : ParseNot();
      if (!next.ok()) return next.status();
      node->kids.push_back(*std::move(next));
    }
    return node;
  }
  absl::StatusOr<NodePtr> ParseOr() { return ParseChain(Op::kOr, "or", TokenKind::kOrOr); }

  absl::StatusOr<NodePtr> ParseNot() {
    if (!IsWord(Peek(), "not") && Peek().kind != TokenKind::kBang) return ParseCompare();
    const size_t column = Take().column;
    if (++depth_ > kMaxNesting) return ExpressionErrorAt(column, "nested too deeply");
    auto operand = ParseNot();
    --depth_;
    if (!operand.ok()) return operand.status();
    auto node = std::make_unique<Expression::Node>();
    node->op = Op::kNot;
    node->kids.push_back(*std::move(operand));
    return node;
  }

  absl::StatusOr<NodePtr> ParseCompare() {
    auto left = ParsePrimary();
    if (!left.ok()) return left.status();
    Op op;
    if (IsWord(Peek(), "contains")) {
      op = Op::kContains;
    } else if (Peek().kind == TokenKind::kCompare) {
      const std::string& t = Peek().text;
      op = t == "==" ? Op::kEq : t == "!=" ? Op::kNe : t == "<" ? Op::kLt : t == "<=" ? Op::kLe : t == ">" ? Op::kGt : Op::kGe;
    } else {
      return left;
    }
    Take();
    auto right = ParsePrimary();
    if (!right.ok()) return right.status();
    auto node = std::make_unique<Expression::Node>();
    node->op = op;
    node->kids.push_back(*std::move(left));
    node->kids.push_back(*std::move(right));
    return node;
  }

  absl::StatusOr<NodePtr> ParsePrimary() {
    const ExpressionToken t = Take();
    auto node = std::make_unique<Expression::Node>();
    switch (t.kind) {
      case TokenKind::kString:
        node->literal = t.text;
        return node;
      case TokenKind::kNumber:
        node->literal = t.number;
        return node;
      case TokenKind::kLParen: {
        if (++depth_ > kMaxNesting) return ExpressionErrorAt(t.column, "nested too deeply");
        auto inner = ParseOr();
        --depth_;
        if (!inner.ok()) return inner.status();
        if (Peek().kind != TokenKind::kRParen) {
          return ExpressionErrorAt(Peek().column, absl::StrCat("expected \")\" to close the \"(\" at column ", t.column,
                                                               ", found ", DescribeToken(Peek())));
        }
        Take();
        return inner;
      }
      case TokenKind::kName:
        if (t.text == "true" || t.text == "false") {
          node->literal = t.text == "true";
          return node;
        }
        if (t.text == "null") return node;  // literal defaults to null
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "contains") {
          return ExpressionErrorAt(t.column, absl::StrCat("expected a value before \"", t.text, "\""));
        }
        return ParsePath(t, std::move(node));
      default:
        return ExpressionErrorAt(t.column, absl::StrCat("expected a value, found ", DescribeToken(t)));
    }
  }

  // name ("." name | "[" integer "]" | "[" string "]")*, the first name already taken.
  absl::StatusOr<NodePtr> ParsePath(const ExpressionToken& first, NodePtr node) {
    node->op = Op::kPath;
    ValuePath& p = node->path;
    p.parts.emplace_back(first.text);
    p.text = first.text;
    while (true) {
      if (Peek().kind == TokenKind::kDot) {
        Take();
        if (Peek().kind != TokenKind::kName) {
          return ExpressionErrorAt(Peek().column, absl::StrCat("expected a field name after \".\", found ", DescribeToken(Peek())));
        }
        p.parts.emplace_back(Peek().text);
        absl::StrAppend(&p.text, ".", Take().text);
      } else if (Peek().kind == TokenKind::kLBracket) {
        if (absl::Status s = ParseSubscript(&p); !s.ok()) return s;
      } else {
        paths_->push_back(p);
        return node;
      }
    }
  }

  // "[" integer "]" or "[" string "]", the "[" next.
  absl::Status ParseSubscript(ValuePath* p) {
    const size_t open = Take().column;
    const ExpressionToken key = Take();
    if (key.kind == TokenKind::kNumber && key.number.is_number_integer() && key.number.get<int64_t>() >= 0) {
      p->parts.emplace_back(key.number.get<int64_t>());
      absl::StrAppend(&p->text, "[", key.number.get<int64_t>(), "]");
    } else if (key.kind == TokenKind::kString) {
      p->parts.emplace_back(key.text);
      absl::StrAppend(&p->text, "[", nlohmann::json(key.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "]");
    } else {
      return ExpressionErrorAt(key.column, "expected an index (0, 1, ...) or a quoted key inside [ ]");
    }
    if (Peek().kind != TokenKind::kRBracket) {
      return ExpressionErrorAt(Peek().column, absl::StrCat("expected \"]\" to close the \"[\" at column ", open));
    }
    Take();
    return absl::OkStatus();
  }

  std::vector<ExpressionToken> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<ValuePath>* paths_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Expression::Node>> ParseExpressionTokens(std::vector<ExpressionToken> tokens,
                                                                         std::vector<ValuePath>* paths) {
  Parser p(std::move(tokens), paths);
  return p.ParseAll();
}

}  // namespace switchyard::workflows
