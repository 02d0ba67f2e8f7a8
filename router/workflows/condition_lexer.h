// The lexer of workflow expressions (condition.h): the text of an `if:`, an `until:` or a
// template hole cut into tokens (strings with their escapes decoded, numbers, names, operators),
// each with its column for messages. Errors are InvalidArgument "at column N: <what>", the form
// the parser (condition_parser.h) uses too.
//
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_LEXER_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_LEXER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace switchyard::workflows {

enum class TokenKind {
  kEnd, kString, kNumber, kName, kLParen, kRParen, kDot, kLBracket, kRBracket, kCompare, kBang, kAndAnd, kOrOr
};

struct ExpressionToken {
  TokenKind kind = TokenKind::kEnd;
  std::string text;       // kName: the name; kString: the decoded string; kCompare: the operator
  nlohmann::json number;  // kNumber: an int64 when integral, else a finite double
  size_t column = 0;      // 1-based, for messages
};

// InvalidArgument "at column <column>: <what>".
absl::Status ExpressionErrorAt(size_t column, absl::string_view what);

// The tokens of `text`, always ending with one kEnd. Words (and, or, not, contains, true, false,
// null) are kNames: the parser gives them their meaning.
absl::StatusOr<std::vector<ExpressionToken>> LexExpression(absl::string_view text);

// The token as messages name it: "the end", "a string", "\"(\"", "the number 3".
std::string DescribeToken(const ExpressionToken& t);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_CONDITION_LEXER_H_
