#include "router/workflows/answer_extract.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {
namespace {

constexpr int kMaxJsonCandidates = 64;  // each try scans the rest of the answer once
// Deeper JSON is refused unparsed: dumping and comparing values recurse once per level.
constexpr int kMaxJsonNesting = 128;

// The body of the first ``` fence: after the opening line, up to the closing ``` (or the end).
// npos when there is no fence.
bool FirstFence(absl::string_view s, absl::string_view* tag, absl::string_view* body) {
  const size_t open = s.find("```");
  if (open == absl::string_view::npos) return false;
  size_t line_end = s.find('\n', open + 3);
  if (line_end == absl::string_view::npos) line_end = s.size();
  *tag = absl::StripAsciiWhitespace(s.substr(open + 3, line_end - open - 3));
  const size_t from = std::min(line_end + 1, s.size());
  const size_t close = s.find("```", from);
  *body = s.substr(from, close == absl::string_view::npos ? absl::string_view::npos : close - from);
  return true;
}

// Where the JSON value starting at s[start] ("{" or "[") ends, by counting brackets outside
// strings; npos when it never closes.
size_t MatchingEnd(absl::string_view s, size_t start) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return absl::string_view::npos;
}

int Nesting(absl::string_view s) {
  int depth = 0, most = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      most = std::max(most, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return most;
}

bool ParseWhole(absl::string_view s, nlohmann::json* out) {
  if (Nesting(s) > kMaxJsonNesting) return false;
  *out = nlohmann::json::parse(s.begin(), s.end(), nullptr, false);
  return !out->is_discarded() && (out->is_object() || out->is_array());
}

}  // namespace

std::optional<nlohmann::json> ParseJsonBounded(absl::string_view text) {
  if (Nesting(text) > kMaxJsonNesting) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::string ExtractCode(absl::string_view answer) {
  absl::string_view tag, body;
  if (!FirstFence(answer, &tag, &body)) return std::string(absl::StripAsciiWhitespace(answer));
  // Keep the code's own indentation; drop only the blank edges a fence leaves.
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.remove_suffix(1);
  while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.remove_prefix(1);
  return std::string(body);
}

absl::StatusOr<nlohmann::json> ExtractJson(absl::string_view answer) {
  nlohmann::json j;
  const absl::string_view trimmed = absl::StripAsciiWhitespace(answer);
  if (ParseWhole(trimmed, &j)) return j;
  absl::string_view tag, body;
  if (FirstFence(answer, &tag, &body) && ParseWhole(absl::StripAsciiWhitespace(body), &j)) return j;
  int tries = 0;
  for (size_t i = 0; i < answer.size() && tries < kMaxJsonCandidates; ++i) {
    if (answer[i] != '{' && answer[i] != '[') continue;
    ++tries;
    const size_t end = MatchingEnd(answer, i);
    if (end == absl::string_view::npos) continue;
    if (ParseWhole(answer.substr(i, end - i), &j)) return j;
  }
  std::string start = TruncateUtf8(trimmed, 60);
  if (start.size() < trimmed.size()) start += "...";
  return absl::InvalidArgumentError(
      trimmed.empty() ? std::string("the answer is empty: no JSON to extract")
                      : absl::StrCat("the answer holds no JSON object or array (it starts: ", DumpJson(start), ")"));
}

}  // namespace switchyard::workflows
