#include "workers/engine/tokenizer/utf8.h"

namespace switchyard::utf8 {
namespace {

// Result of examining the character that starts at s[i]:
//  n > 0: a valid character of n bytes;
//  n < 0: an invalid maximal subpart of -n bytes (at least 1);
//  n == 0: a valid but incomplete prefix that runs to the end of s.
// The ranges follow Unicode Table 3-7 (well-formed byte sequences), as Rust does.
int Examine(const uint8_t* p, size_t avail) {
  const uint8_t c = p[0];
  if (c < 0x80) return 1;
  int need;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return -1;  // 0x80..0xC1, 0xF5..0xFF never start a character
  }
  for (int k = 1; k < need; ++k) {
    if (static_cast<size_t>(k) >= avail) return 0;
    const uint8_t b = p[k];
    const uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) return -k;
  }
  return need;
}

}  // namespace

size_t ValidPrefixLength(absl::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const int n = Examine(p + i, s.size() - i);
    if (n <= 0) return i;
    i += static_cast<size_t>(n);
  }
  return s.size();
}

void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t AppendLossy(absl::string_view bytes, bool final, std::string* out) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  while (i < bytes.size()) {
    const int n = Examine(p + i, bytes.size() - i);
    if (n > 0) {
      out->append(bytes.data() + i, static_cast<size_t>(n));
      i += static_cast<size_t>(n);
    } else if (n < 0) {
      out->append(kReplacement, 3);
      i += static_cast<size_t>(-n);
    } else {  // incomplete tail
      if (!final) return i;
      out->append(kReplacement, 3);
      return bytes.size();
    }
  }
  return i;
}

}  // namespace switchyard::utf8
