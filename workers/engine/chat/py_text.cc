#include "workers/engine/chat/py_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace switchyard {
namespace {

// Decodes the UTF-8 character starting at s[i]; returns its length (1 for a stray byte, which
// is then returned as the code point of that byte).
size_t DecodeAt(absl::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    *cp = c;
    return 1;
  }
  uint32_t v = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) {
      *cp = c;
      return 1;
    }
    v = (v << 6) | (b(i + k) & 0x3f);
  }
  *cp = v;
  return n;
}

// Length of the UTF-8 character that ends at s[end - 1].
size_t LastCharLength(absl::string_view s, size_t end) {
  size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) --start;
  uint32_t cp;
  const size_t n = DecodeAt(s, start, &cp);
  return start + n == end ? n : 1;
}

bool IsPySpace(uint32_t cp) {
  if (cp <= 0x7f) return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20);
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

// str.isprintable() for one character, without the Unicode database: false for Cc, Cf, Cs,
// Co, Zl, Zp, Zs other than ' ', and noncharacters (Python 3.11, Unicode 14).
bool IsPyPrintable(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa1) || cp == 0xad) return false;
  if (cp < 0x600) return true;
  struct Range {
    uint32_t lo, hi;
  };
  static constexpr Range kNot[] = {
      {0x0600, 0x0605},   {0x061c, 0x061c},   {0x06dd, 0x06dd},   {0x070f, 0x070f},   {0x0890, 0x0891},
      {0x08e2, 0x08e2},   {0x1680, 0x1680},   {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},
      {0x205f, 0x2064},   {0x2066, 0x206f},   {0x3000, 0x3000},   {0xd800, 0xf8ff},   {0xfdd0, 0xfdef},
      {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x13438},
      {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f}, {0xf0000, 0x10ffff},
  };
  if ((cp & 0xfffe) == 0xfffe) return false;  // U+xFFFE, U+xFFFF
  for (const Range& r : kNot) {
    if (cp < r.lo) return true;
    if (cp <= r.hi) return false;
  }
  return true;
}

}  // namespace

absl::string_view PyLStrip(absl::string_view s, char c) {
  while (!s.empty() && s.front() == c) s.remove_prefix(1);
  return s;
}
absl::string_view PyRStrip(absl::string_view s, char c) {
  while (!s.empty() && s.back() == c) s.remove_suffix(1);
  return s;
}
absl::string_view PyStrip(absl::string_view s, char c) { return PyRStrip(PyLStrip(s, c), c); }

absl::string_view PyStripWhitespace(absl::string_view s) {
  while (!s.empty()) {
    uint32_t cp;
    const size_t n = DecodeAt(s, 0, &cp);
    if (!IsPySpace(cp)) break;
    s.remove_prefix(n);
  }
  while (!s.empty()) {
    const size_t n = LastCharLength(s, s.size());
    uint32_t cp;
    DecodeAt(s, s.size() - n, &cp);
    if (!IsPySpace(cp)) break;
    s.remove_suffix(n);
  }
  return s;
}

absl::string_view PyAfterLast(absl::string_view s, absl::string_view sep) {
  const size_t p = s.rfind(sep);
  return p == absl::string_view::npos ? s : s.substr(p + sep.size());
}
absl::string_view PyBeforeFirst(absl::string_view s, absl::string_view sep) {
  const size_t p = s.find(sep);
  return p == absl::string_view::npos ? s : s.substr(0, p);
}

void AppendPyStrRepr(absl::string_view s, std::string* out) {
  const bool has_single = s.find('\'') != absl::string_view::npos;
  const bool has_double = s.find('"') != absl::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out->push_back(quote);
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    const size_t n = DecodeAt(s, i, &cp);
    if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(cp));
    } else if (cp == '\t') {
      out->append("\\t");
    } else if (cp == '\n') {
      out->append("\\n");
    } else if (cp == '\r') {
      out->append("\\r");
    } else if (!IsPyPrintable(cp)) {
      char buf[16];
      if (cp < 0x100) {
        std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      } else if (cp < 0x10000) {
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", cp);
      }
      out->append(buf);
    } else {
      out->append(s.data() + i, n);
    }
    i += n;
  }
  out->push_back(quote);
}

std::string PythonFloatRepr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, end);  // "-1.2345e-07": the shortest digits that round-trip
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exp10 = std::atoi(sci.c_str() + e + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int n = static_cast<int>(digits.size());
  const int decpt = exp10 + 1;  // value = 0.digits * 10^decpt
  std::string out = sign;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(decpt)) + "." + digits.substr(static_cast<size_t>(decpt));
    }
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char e_buf[16];
    std::snprintf(e_buf, sizeof e_buf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    out += e_buf;
  }
  return out;
}

}  // namespace switchyard
