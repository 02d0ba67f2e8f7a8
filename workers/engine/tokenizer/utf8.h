// UTF-8 helpers for the tokenizer: validation, decoding one code point, and the lossy
// conversion Hugging Face applies when decoding (Rust's String::from_utf8_lossy: each maximal
// invalid subpart becomes one U+FFFD), including the streaming form that holds back an
// incomplete trailing character instead of emitting half of it.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UTF8_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::utf8 {

// Length of the longest valid UTF-8 prefix of `s` (== s.size() when all of it is valid).
size_t ValidPrefixLength(absl::string_view s);

// Decodes the code point at s[i]. REQUIRES: s is valid UTF-8 and i < s.size() is the start of
// a character. Sets *len to its byte length.
inline uint32_t DecodeAt(absl::string_view s, size_t i, int* len) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + i;
  const uint8_t c = p[0];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if (c < 0xE0) {
    *len = 2;
    return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  }
  if (c < 0xF0) {
    *len = 3;
    return ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  *len = 4;
  return ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

void AppendCodePoint(uint32_t cp, std::string* out);

// Appends `bytes` to *out as valid UTF-8, replacing each maximal invalid subpart with U+FFFD.
// With final == false, an incomplete but so far valid character at the very end is not
// consumed: the return value is the number of bytes consumed (the rest must be offered again
// with more bytes). With final == true everything is consumed.
size_t AppendLossy(absl::string_view bytes, bool final, std::string* out);

}  // namespace switchyard::utf8

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UTF8_H_
