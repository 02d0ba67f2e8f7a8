#include "tools/document_chunker.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"

namespace switchyard::tools {
namespace {

// Byte ranges of the maximal runs of non-whitespace (Unicode White_Space) in `text`.
std::vector<std::pair<size_t, size_t>> Words(absl::string_view text) {
  std::vector<std::pair<size_t, size_t>> words;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  bool in_word = false;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    const bool space = c >= 0 && u_isUWhiteSpace(c);
    if (!space && !in_word) {
      words.emplace_back(static_cast<size_t>(start), 0);
      in_word = true;
    }
    if (!space) words.back().second = static_cast<size_t>(i);
    if (space) in_word = false;
  }
  return words;
}

}  // namespace

std::vector<DocumentChunk> DocumentChunker::Chunk(const std::vector<Document>& documents) const {
  std::vector<DocumentChunk> chunks;
  const size_t step = window_ - overlap_;
  for (size_t d = 0; d < documents.size(); ++d) {
    const std::string& text = documents[d].text;
    const std::vector<std::pair<size_t, size_t>> words = Words(text);
    for (size_t first = 0; first < words.size(); first += step) {
      const size_t last = std::min(first + window_, words.size()) - 1;
      DocumentChunk c;
      c.document = d;
      c.document_name = documents[d].name;
      c.begin = words[first].first;
      c.end = words[last].second;
      c.text = text.substr(c.begin, c.end - c.begin);
      chunks.push_back(std::move(c));
      if (last + 1 == words.size()) break;  // the window reached the end: no tail-only chunk
    }
  }
  return chunks;
}

}  // namespace switchyard::tools
