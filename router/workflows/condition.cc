#include "router/workflows/condition.h"

#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {

struct Expression::Node {
  enum class Op { kLiteral, kPath, kNot, kAnd, kOr, kEq, kNe, kLt, kLe, kGt, kGe, kContains };
  Op op = Op::kLiteral;
  nlohmann::json literal;               // kLiteral
  ValuePath path;                       // kPath
  std::vector<std::unique_ptr<Node>> kids;  // operands: one for kNot, two for comparisons, 2+ for and/or
};

namespace {

using Op = Expression::Node::Op;

// Parentheses and `not` nest; and/or chains are flat lists. Bounding the nesting bounds the
// recursion of parsing, evaluating and freeing alike, whatever the input.
constexpr int kMaxNesting = 64;
constexpr size_t kMaxExpressionBytes = 64 << 10;

enum class Tok { kEnd, kString, kNumber, kName, kLParen, kRParen, kDot, kLBracket, kRBracket, kCompare, kBang, kAndAnd, kOrOr };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;      // kName: the name; kString: the decoded string; kCompare: the operator
  nlohmann::json number;  // kNumber
  size_t column = 0;     // 1-based, for messages
};

bool IsNameStart(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

absl::Status ErrorAt(size_t column, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("at column ", column, ": ", what));
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "the end";
    case Tok::kString: return "a string";
    case Tok::kNumber: return absl::StrCat("the number ", t.number.dump());
    case Tok::kName: return absl::StrCat("\"", t.text, "\"");
    case Tok::kLParen: return "\"(\"";
    case Tok::kRParen: return "\")\"";
    case Tok::kDot: return "\".\"";
    case Tok::kLBracket: return "\"[\"";
    case Tok::kRBracket: return "\"]\"";
    case Tok::kCompare: return absl::StrCat("\"", t.text, "\"");
    case Tok::kBang: return "\"!\"";
    case Tok::kAndAnd: return "\"&&\"";
    case Tok::kOrOr: return "\"||\"";
  }
  return "?";
}

absl::StatusOr<std::vector<Token>> Lex(absl::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && absl::ascii_isspace(static_cast<unsigned char>(s[i]))) ++i;
    Token t;
    t.column = i + 1;
    if (i == s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '"' || c == '\'') {
      t.kind = Tok::kString;
      size_t j = i + 1;
      for (; j < s.size() && s[j] != c; ++j) {
        if (s[j] != '\\') {
          t.text.push_back(s[j]);
          continue;
        }
        if (++j == s.size()) break;
        switch (s[j]) {
          case 'n': t.text.push_back('\n'); break;
          case 't': t.text.push_back('\t'); break;
          case '\\': case '"': case '\'': t.text.push_back(s[j]); break;
          default: return ErrorAt(j, absl::StrCat("unknown escape \"\\", std::string(1, s[j]), "\" (use \\n \\t \\\\ \\\" \\')"));
        }
      }
      if (j >= s.size()) return ErrorAt(t.column, "unterminated string");
      i = j + 1;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && absl::ascii_isdigit(static_cast<unsigned char>(next)))) {
      size_t j = i + 1;
      bool integral = true;
      while (j < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j + 1 < s.size() && s[j] == '.' && absl::ascii_isdigit(static_cast<unsigned char>(s[j + 1]))) {
        integral = false;
        for (++j; j < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[j]));) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[k]))) {
          integral = false;
          for (j = k; j < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[j]));) ++j;
        }
      }
      if (j < s.size() && IsNameChar(s[j])) return ErrorAt(t.column, "a name cannot start with a digit");
      const absl::string_view digits = s.substr(i, j - i);
      int64_t n = 0;
      double d = 0;
      if (integral && absl::SimpleAtoi(digits, &n)) {
        t.number = n;
      } else if (absl::SimpleAtod(digits, &d) && std::isfinite(d)) {
        t.number = d;
      } else {
        return ErrorAt(t.column, "number out of range");
      }
      t.kind = Tok::kNumber;
      i = j;
    } else if (IsNameStart(c)) {
      size_t j = i + 1;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      t.kind = Tok::kName;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if ((c == '=' || c == '!' || c == '<' || c == '>') && next == '=') {
      t.kind = Tok::kCompare;
      t.text = std::string(s.substr(i, 2));
      i += 2;
    } else if (c == '<' || c == '>') {
      t.kind = Tok::kCompare;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '&' && next == '&') {
      t.kind = Tok::kAndAnd;
      i += 2;
    } else if (c == '|' && next == '|') {
      t.kind = Tok::kOrOr;
      i += 2;
    } else {
      switch (c) {
        case '(': t.kind = Tok::kLParen; break;
        case ')': t.kind = Tok::kRParen; break;
        case '.': t.kind = Tok::kDot; break;
        case '[': t.kind = Tok::kLBracket; break;
        case ']': t.kind = Tok::kRBracket; break;
        case '!': t.kind = Tok::kBang; break;
        case '=': return ErrorAt(t.column, "\"=\" is not an operator: compare with \"==\"");
        default: {
          const unsigned char u = static_cast<unsigned char>(c);
          return ErrorAt(t.column, u < 0x20 || u >= 0x7f ? absl::StrCat("unexpected byte 0x", absl::Hex(static_cast<int>(u), absl::kZeroPad2))
                                                         : absl::StrCat("unexpected \"", std::string(1, c), "\""));
        }
      }
      ++i;
    }
    out.push_back(std::move(t));
  }
}

using NodePtr = std::unique_ptr<Expression::Node>;

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::vector<ValuePath>* paths) : toks_(std::move(tokens)), paths_(paths) {}

  absl::StatusOr<NodePtr> ParseAll() {
    auto root = ParseOr();
    if (!root.ok()) return root.status();
    if (Peek().kind != Tok::kEnd) {
      if (Peek().kind == Tok::kCompare || IsWord(Peek(), "contains")) {
        return ErrorAt(Peek().column, "comparisons cannot be chained: join them with \"and\"");
      }
      return ErrorAt(Peek().column, absl::StrCat("expected an operator or the end, found ", Describe(Peek())));
    }
    return root;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  Token Take() { return toks_[pos_ == toks_.size() - 1 ? pos_ : pos_++]; }
  static bool IsWord(const Token& t, absl::string_view w) { return t.kind == Tok::kName && t.text == w; }

  absl::StatusOr<NodePtr> ParseChain(Op op, absl::string_view word, Tok symbol) {
    auto first = op == Op::kOr ? ParseChain(Op::kAnd, "and", Tok::kAndAnd) : ParseNot();
    if (!first.ok()) return first.status();
    if (!IsWord(Peek(), word) && Peek().kind != symbol) return first;
    auto node = std::make_unique<Expression::Node>();
    node->op = op;
    node->kids.push_back(*std::move(first));
    while (IsWord(Peek(), word) || Peek().kind == symbol) {
      Take();
      auto next = op == Op::kOr ? ParseChain(Op::kAnd, "and", Tok::kAndAnd) : ParseNot();
      if (!next.ok()) return next.status();
      node->kids.push_back(*std::move(next));
    }
    return node;
  }
  absl::StatusOr<NodePtr> ParseOr() { return ParseChain(Op::kOr, "or", Tok::kOrOr); }

  absl::StatusOr<NodePtr> ParseNot() {
    if (!IsWord(Peek(), "not") && Peek().kind != Tok::kBang) return ParseCompare();
    const size_t column = Take().column;
    if (++depth_ > kMaxNesting) return ErrorAt(column, "nested too deeply");
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
    } else if (Peek().kind == Tok::kCompare) {
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
    const Token t = Take();
    auto node = std::make_unique<Expression::Node>();
    switch (t.kind) {
      case Tok::kString:
        node->literal = t.text;
        return node;
      case Tok::kNumber:
        node->literal = t.number;
        return node;
      case Tok::kLParen: {
        if (++depth_ > kMaxNesting) return ErrorAt(t.column, "nested too deeply");
        auto inner = ParseOr();
        --depth_;
        if (!inner.ok()) return inner.status();
        if (Peek().kind != Tok::kRParen) {
          return ErrorAt(Peek().column, absl::StrCat("expected \")\" to close the \"(\" at column ", t.column, ", found ",
                                                     Describe(Peek())));
        }
        Take();
        return inner;
      }
      case Tok::kName:
        if (t.text == "true" || t.text == "false") {
          node->literal = t.text == "true";
          return node;
        }
        if (t.text == "null") return node;  // literal defaults to null
        if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "contains") {
          return ErrorAt(t.column, absl::StrCat("expected a value before \"", t.text, "\""));
        }
        return ParsePath(t, std::move(node));
      default:
        return ErrorAt(t.column, absl::StrCat("expected a value, found ", Describe(t)));
    }
  }

  absl::StatusOr<NodePtr> ParsePath(const Token& first, NodePtr node) {
    node->op = Op::kPath;
    ValuePath& p = node->path;
    p.parts.emplace_back(first.text);
    p.text = first.text;
    while (true) {
      if (Peek().kind == Tok::kDot) {
        Take();
        if (Peek().kind != Tok::kName) {
          return ErrorAt(Peek().column, absl::StrCat("expected a field name after \".\", found ", Describe(Peek())));
        }
        p.parts.emplace_back(Peek().text);
        absl::StrAppend(&p.text, ".", Take().text);
      } else if (Peek().kind == Tok::kLBracket) {
        const size_t open = Take().column;
        const Token key = Take();
        if (key.kind == Tok::kNumber && key.number.is_number_integer() && key.number.get<int64_t>() >= 0) {
          p.parts.emplace_back(key.number.get<int64_t>());
          absl::StrAppend(&p.text, "[", key.number.get<int64_t>(), "]");
        } else if (key.kind == Tok::kString) {
          p.parts.emplace_back(key.text);
          absl::StrAppend(&p.text, "[", nlohmann::json(key.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "]");
        } else {
          return ErrorAt(key.column, "expected an index (0, 1, ...) or a quoted key inside [ ]");
        }
        if (Peek().kind != Tok::kRBracket) {
          return ErrorAt(Peek().column, absl::StrCat("expected \"]\" to close the \"[\" at column ", open));
        }
        Take();
      } else {
        paths_->push_back(p);
        return node;
      }
    }
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<ValuePath>* paths_;
};

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

absl::StatusOr<nlohmann::json> Eval(const Expression::Node& n, const ValueResolver& r) {
  switch (n.op) {
    case Op::kLiteral:
      return n.literal;
    case Op::kPath:
      return r.Resolve(n.path);
    case Op::kNot: {
      auto v = Eval(*n.kids[0], r);
      if (!v.ok()) return v.status();
      return !Truthy(*v);
    }
    case Op::kAnd:
    case Op::kOr: {
      // Python's semantics: the first operand that decides, so `a or b` picks a fallback value
      // and `a and a.x` never looks at a.x when a is empty.
      nlohmann::json v;
      for (const auto& kid : n.kids) {
        auto k = Eval(*kid, r);
        if (!k.ok()) return k.status();
        v = *std::move(k);
        if (Truthy(v) == (n.op == Op::kOr)) return v;
      }
      return v;
    }
    default:
      break;
  }
  auto a = Eval(*n.kids[0], r);
  if (!a.ok()) return a.status();
  auto b = Eval(*n.kids[1], r);
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

}  // namespace

std::string ValuePath::Field(size_t i) const {
  if (i >= parts.size() || !std::holds_alternative<std::string>(parts[i])) return "";
  return std::get<std::string>(parts[i]);
}

absl::StatusOr<Expression> Expression::Parse(absl::string_view text) {
  if (text.size() > kMaxExpressionBytes) {
    return ErrorAt(1, absl::StrCat("longer than ", kMaxExpressionBytes, " bytes"));
  }
  auto tokens = Lex(text);
  if (!tokens.ok()) return tokens.status();
  Expression e;
  e.text_ = std::string(text);
  if (tokens->size() == 1) return ErrorAt(1, "empty expression");
  Parser p(*std::move(tokens), &e.paths_);
  auto root = p.ParseAll();
  if (!root.ok()) return root.status();
  e.root_ = *std::move(root);
  return e;
}

absl::StatusOr<nlohmann::json> Expression::Evaluate(const ValueResolver& resolver) const {
  if (!root_) return absl::FailedPreconditionError("evaluating an expression that was never parsed");
  return Eval(*root_, resolver);
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
