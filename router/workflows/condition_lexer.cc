#include "router/workflows/condition_lexer.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace switchyard::workflows {
namespace {

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }
bool IsNameStart(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// Each Lex* below reads the token that starts at s[i] into *t and returns the index after it.

// '...' or "..." with the escapes \n \t \\ \" \'.
absl::StatusOr<size_t> LexString(absl::string_view s, size_t i, ExpressionToken* t) {
  const char quote = s[i];
  t->kind = TokenKind::kString;
  size_t j = i + 1;
  for (; j < s.size() && s[j] != quote; ++j) {
    if (s[j] != '\\') {
      t->text.push_back(s[j]);
      continue;
    }
    if (++j == s.size()) break;
    switch (s[j]) {
      case 'n': t->text.push_back('\n'); break;
      case 't': t->text.push_back('\t'); break;
      case '\\': case '"': case '\'': t->text.push_back(s[j]); break;
      default: return ExpressionErrorAt(j, absl::StrCat("unknown escape \"\\", std::string(1, s[j]), "\" (use \\n \\t \\\\ \\\" \\')"));
    }
  }
  if (j >= s.size()) return ExpressionErrorAt(t->column, "unterminated string");
  return j + 1;
}

// -?digits(.digits)?([eE][+-]?digits)?: an int64 when it has neither fraction nor exponent.
absl::StatusOr<size_t> LexNumber(absl::string_view s, size_t i, ExpressionToken* t) {
  size_t j = i + 1;
  bool integral = true;
  while (j < s.size() && IsDigit(s[j])) ++j;
  if (j + 1 < s.size() && s[j] == '.' && IsDigit(s[j + 1])) {
    integral = false;
    for (++j; j < s.size() && IsDigit(s[j]);) ++j;
  }
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    size_t k = j + 1;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    if (k < s.size() && IsDigit(s[k])) {
      integral = false;
      for (j = k; j < s.size() && IsDigit(s[j]);) ++j;
    }
  }
  if (j < s.size() && IsNameChar(s[j])) return ExpressionErrorAt(t->column, "a name cannot start with a digit");
  const absl::string_view digits = s.substr(i, j - i);
  int64_t n = 0;
  double d = 0;
  if (integral && absl::SimpleAtoi(digits, &n)) {
    t->number = n;
  } else if (absl::SimpleAtod(digits, &d) && std::isfinite(d)) {
    t->number = d;
  } else {
    return ExpressionErrorAt(t->column, "number out of range");
  }
  t->kind = TokenKind::kNumber;
  return j;
}

size_t LexName(absl::string_view s, size_t i, ExpressionToken* t) {
  size_t j = i + 1;
  while (j < s.size() && IsNameChar(s[j])) ++j;
  t->kind = TokenKind::kName;
  t->text = std::string(s.substr(i, j - i));
  return j;
}

// Operators and punctuation; anything else is an error that names the character.
absl::StatusOr<size_t> LexSymbol(absl::string_view s, size_t i, ExpressionToken* t) {
  const char c = s[i];
  const char next = i + 1 < s.size() ? s[i + 1] : '\0';
  if ((c == '=' || c == '!' || c == '<' || c == '>') && next == '=') {
    t->kind = TokenKind::kCompare;
    t->text = std::string(s.substr(i, 2));
    return i + 2;
  }
  if (c == '<' || c == '>') {
    t->kind = TokenKind::kCompare;
    t->text = std::string(1, c);
    return i + 1;
  }
  if (c == '&' && next == '&') {
    t->kind = TokenKind::kAndAnd;
    return i + 2;
  }
  if (c == '|' && next == '|') {
    t->kind = TokenKind::kOrOr;
    return i + 2;
  }
  switch (c) {
    case '(': t->kind = TokenKind::kLParen; break;
    case ')': t->kind = TokenKind::kRParen; break;
    case '.': t->kind = TokenKind::kDot; break;
    case '[': t->kind = TokenKind::kLBracket; break;
    case ']': t->kind = TokenKind::kRBracket; break;
    case '!': t->kind = TokenKind::kBang; break;
    case '=': return ExpressionErrorAt(t->column, "\"=\" is not an operator: compare with \"==\"");
    default: {
      const unsigned char u = static_cast<unsigned char>(c);
      return ExpressionErrorAt(t->column, u < 0x20 || u >= 0x7f
                                              ? absl::StrCat("unexpected byte 0x", absl::Hex(static_cast<int>(u), absl::kZeroPad2))
                                              : absl::StrCat("unexpected \"", std::string(1, c), "\""));
    }
  }
  return i + 1;
}

}  // namespace

absl::Status ExpressionErrorAt(size_t column, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("at column ", column, ": ", what));
}

absl::StatusOr<std::vector<ExpressionToken>> LexExpression(absl::string_view s) {
  std::vector<ExpressionToken> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && absl::ascii_isspace(static_cast<unsigned char>(s[i]))) ++i;
    ExpressionToken t;
    t.column = i + 1;
    if (i == s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    absl::StatusOr<size_t> end;
    if (c == '"' || c == '\'') {
      end = LexString(s, i, &t);
    } else if (IsDigit(c) || (c == '-' && IsDigit(next))) {
      end = LexNumber(s, i, &t);
    } else if (IsNameStart(c)) {
      end = LexName(s, i, &t);
    } else {
      end = LexSymbol(s, i, &t);
    }
    if (!end.ok()) return end.status();
    i = *end;
    out.push_back(std::move(t));
  }
}

std::string DescribeToken(const ExpressionToken& t) {
  switch (t.kind) {
    case TokenKind::kEnd: return "the end";
    case TokenKind::kString: return "a string";
    case TokenKind::kNumber: return absl::StrCat("the number ", t.number.dump());
    case TokenKind::kName: return absl::StrCat("\"", t.text, "\"");
    case TokenKind::kLParen: return "\"(\"";
    case TokenKind::kRParen: return "\")\"";
    case TokenKind::kDot: return "\".\"";
    case TokenKind::kLBracket: return "\"[\"";
    case TokenKind::kRBracket: return "\"]\"";
    case TokenKind::kCompare: return absl::StrCat("\"", t.text, "\"");
    case TokenKind::kBang: return "\"!\"";
    case TokenKind::kAndAnd: return "\"&&\"";
    case TokenKind::kOrOr: return "\"||\"";
  }
  return "?";
}

}  // namespace switchyard::workflows
