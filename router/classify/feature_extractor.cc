#include "router/classify/feature_extractor.h"

#include <array>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

namespace switchyard::classify::feature_internal {
namespace {

bool IsCodePunct(uint32_t c) {
  switch (c) {
    case '{': case '}': case '(': case ')': case '[': case ']': case ';': case '=': case '<':
    case '>': case '|': case '&': case '*': case '/': case '\\': case '$': case '#': case '@':
    case '`': case '~': case '^': case '%': case '+': case '_':
      return true;
    default:
      return false;
  }
}

CharInfo ClassifyAscii(uint32_t c) {
  CharInfo ci{c, kOther, kOtherScript, false, false, IsCodePunct(c)};
  if (c == '\n') {
    ci.kind = kNewline;
  } else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c < 0x20 || c == 0x7f) {
    ci.kind = kSpace;
  } else if (c >= '0' && c <= '9') {
    ci.cp = '0';
    ci.kind = kWordChar;
    ci.digit = true;
  } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    ci.cp = c | 0x20;
    ci.kind = kWordChar;
    ci.letter = true;
    ci.script = kLatin;
  } else if (c == '_') {
    ci.kind = kWordChar;
  }
  return ci;
}

const std::array<CharInfo, 128>& AsciiTable() {
  static const std::array<CharInfo, 128> table = [] {
    std::array<CharInfo, 128> t{};
    for (uint32_t c = 0; c < 128; ++c) t[c] = ClassifyAscii(c);
    return t;
  }();
  return table;
}

Script ScriptOf(uint32_t cp) {
  UErrorCode err = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(static_cast<UChar32>(cp), &err);
  if (U_FAILURE(err)) return kOtherScript;
  switch (s) {
    case USCRIPT_LATIN: return kLatin;
    case USCRIPT_CYRILLIC: return kCyrillic;
    case USCRIPT_GREEK: return kGreek;
    case USCRIPT_ARABIC: return kArabic;
    case USCRIPT_HEBREW: return kHebrew;
    case USCRIPT_DEVANAGARI: case USCRIPT_BENGALI: case USCRIPT_GURMUKHI: case USCRIPT_GUJARATI:
    case USCRIPT_TAMIL: case USCRIPT_TELUGU: case USCRIPT_KANNADA: case USCRIPT_MALAYALAM:
    case USCRIPT_ORIYA: case USCRIPT_SINHALA:
      return kIndic;
    case USCRIPT_HAN: return kHan;
    case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: return kKana;
    case USCRIPT_HANGUL: return kHangul;
    case USCRIPT_THAI: return kThai;
    default: return kOtherScript;
  }
}

}  // namespace

uint32_t DecodeUtf8(const unsigned char*& p, const unsigned char* end) {
  const unsigned char b0 = *p;
  int len;
  uint32_t cp, min;
  if (b0 < 0x80) {
    ++p;
    return b0;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++p;
    return 0xfffd;
  }
  if (end - p < len) {
    ++p;
    return 0xfffd;
  }
  for (int i = 1; i < len; ++i) {
    if ((p[i] & 0xc0) != 0x80) {
      ++p;
      return 0xfffd;
    }
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++p;
    return 0xfffd;
  }
  p += len;
  return cp;
}

CharInfo Classify(uint32_t cp) {
  if (cp < 0x80) return AsciiTable()[cp];
  if (cp >= 0xff01 && cp <= 0xff5e) return ClassifyAscii(cp - 0xfee0);  // fullwidth ASCII forms
  CharInfo ci{cp, kOther, kOtherScript, false, false, false};
  const UChar32 c = static_cast<UChar32>(cp);
  if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
    ci.kind = kNewline;
  } else if (u_isUWhiteSpace(c)) {
    ci.kind = kSpace;
  } else if (u_isdigit(c)) {
    ci.cp = '0';
    ci.kind = kWordChar;
    ci.digit = true;
  } else if (u_isUAlphabetic(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) {
    ci.cp = static_cast<uint32_t>(u_tolower(c));
    ci.letter = true;
    ci.script = ScriptOf(cp);
    ci.kind = (ci.script == kHan || ci.script == kKana) ? kIdeograph : kWordChar;
  }
  return ci;
}

void AppendForName(std::string& out, uint32_t cp) {
  if (cp == '\n') {
    out += "\\n";
  } else if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

const char* StructName(StructFeature f) {
  switch (f) {
    case kStLength: return "log2_chars";
    case kStLines: return "lines";
    case kStIndent: return "indented_lines";
    case kStCodePunct: return "code_punct";
    case kStDigits: return "digits";
    case kStScript: return "script";
    case kStScript2: return "second_script";
    case kStNonLatin: return "non_latin_letters";
    case kStFence: return "code_fence";
    case kStEndsQuestion: return "ends_with_question";
    case kStEndsColon: return "ends_with_colon";
    case kStCodeLineEnds: return "code_line_ends";
    case kStLatex: return "latex_marks";
    case kStQuotes: return "quotes";
    case kStBraces: return "braces";
    case kStNumbers: return "numbers";
  }
  return "?";
}

Cut TruncationCut(absl::string_view text, size_t max_bytes) {
  const size_t half = max_bytes / 2;
  auto continuation = [&](size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80;
  };
  Cut cut{half, text.size() - half};
  for (int i = 0; i < 3 && cut.head > 0 && continuation(cut.head); ++i) --cut.head;
  for (int i = 0; i < 3 && continuation(cut.tail_start); ++i) ++cut.tail_start;
  return cut;
}

}  // namespace switchyard::classify::feature_internal
