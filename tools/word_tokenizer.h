// WordTokenizer: the search terms of a text — maximal runs of Unicode letters, marks and digits,
// case-folded (ICU full-width default folding of each code point), with their byte ranges.
// Invalid UTF-8 bytes separate words. Used for documents and queries alike, so both match.
#ifndef SWITCHYARD_TOOLS_WORD_TOKENIZER_H_
#define SWITCHYARD_TOOLS_WORD_TOKENIZER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace switchyard::tools {

struct WordToken {
  std::string term;  // case-folded UTF-8
  size_t begin = 0;  // byte range in the text
  size_t end = 0;
};

std::vector<WordToken> TokenizeWords(absl::string_view text);

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_WORD_TOKENIZER_H_
