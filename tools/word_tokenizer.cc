#include "tools/word_tokenizer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace switchyard::tools {
namespace {

bool IsWordChar(UChar32 c) {
  if (c < 0) return false;
  if (u_isalnum(c)) return true;
  const int8_t type = u_charType(c);  // combining marks stay inside their word ("café" decomposed)
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

void AppendFolded(UChar32 c, std::string& out) {
  UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, f);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace

std::vector<WordToken> TokenizeWords(absl::string_view text) {
  std::vector<WordToken> out;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  WordToken current;
  bool in_word = false;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);  // c < 0 for an invalid sequence; i moves past it
    if (IsWordChar(c)) {
      if (!in_word) {
        current = WordToken{{}, static_cast<size_t>(start), 0};
        in_word = true;
      }
      AppendFolded(c, current.term);
      current.end = static_cast<size_t>(i);
    } else if (in_word) {
      out.push_back(std::move(current));
      in_word = false;
    }
  }
  if (in_word) out.push_back(std::move(current));
  return out;
}

}  // namespace switchyard::tools
