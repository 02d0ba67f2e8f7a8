// DocumentChunker: cuts documents into overlapping windows of whitespace-separated words, the
// units search_documents ranks and returns. Long legal and research documents need passages,
// not whole files, and the overlap keeps a sentence that straddles a cut findable in one piece.
//
// A chunk runs from the first byte of its first word to the last byte of its last word, so
// `document.text.substr(begin, end - begin) == chunk.text` always holds.
#ifndef SWITCHYARD_TOOLS_DOCUMENT_CHUNKER_H_
#define SWITCHYARD_TOOLS_DOCUMENT_CHUNKER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "tools/document.h"

namespace switchyard::tools {

struct DocumentChunk {
  size_t document = 0;  // index into the documents chunked
  std::string document_name;
  size_t begin = 0;  // byte range in the document's text
  size_t end = 0;
  std::string text;
};

class DocumentChunker {
 public:
  // REQUIRES: 0 <= overlap_words < window_words.
  explicit DocumentChunker(size_t window_words = 200, size_t overlap_words = 50)
      : window_(window_words), overlap_(overlap_words) {}

  // In document order, then by position. A document without words gives no chunk; one shorter
  // than a window gives one chunk.
  std::vector<DocumentChunk> Chunk(const std::vector<Document>& documents) const;

 private:
  size_t window_;
  size_t overlap_;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_DOCUMENT_CHUNKER_H_
