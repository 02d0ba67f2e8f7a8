// The Qwen2 pattern, alternative by alternative, with the regex engine's leftmost-first and
// backtracking behaviour spelled out. At position i the first alternative that matches wins:
//  1 (?i:'s|'t|'re|'ve|'m|'ll|'d)      contraction (case-insensitive; 's' also matches U+017F)
//  2 [^\r\n\p{L}\p{N}]?\p{L}+          optional lead char, then letters
//  3 \p{N}                             one number char
//  4  ?[^\s\p{L}\p{N}]+[\r\n]*         optional space, "other" chars, trailing newlines
//  5 \s*[\r\n]+                        whitespace up to and including its last newline
//  6 \s+(?!\S)                         whitespace not followed by a non-space: the run minus
//                                      its last char (or all of it at the end of text)
//  7 \s+                               whitespace
#include <vector>

#include "workers/engine/tokenizer/pretokenizer.h"
#include "workers/engine/tokenizer/unicode_class.h"
#include "workers/engine/tokenizer/utf8.h"

namespace switchyard {
namespace {

class Qwen2PreTokenizer final : public PreTokenizer {
 public:
  void Split(absl::string_view text, std::vector<TextSpan>* out) const override;
  absl::string_view name() const override { return "qwen2"; }
};

struct Chars {
  std::vector<uint32_t> cp;     // code points
  std::vector<uint32_t> off;    // byte offset of each, plus the end offset
  std::vector<CharClass> cls;
};

bool IsSpace(CharClass c) { return c == CharClass::kSpace || c == CharClass::kNewline; }
// [^\s\p{L}\p{N}]
bool IsOther(CharClass c) { return c == CharClass::kOther; }
// [^\r\n\p{L}\p{N}]
bool IsLead(CharClass c) { return c == CharClass::kOther || c == CharClass::kSpace; }

uint32_t Lower(uint32_t cp) { return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp; }

// Length in chars of the contraction at i, or 0.
size_t Contraction(const Chars& t, size_t i, size_t n) {
  if (t.cp[i] != '\'' || i + 1 >= n) return 0;
  const uint32_t a = Lower(t.cp[i + 1]);
  if (a == 's' || a == 0x17F || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 >= n) return 0;
  const uint32_t b = Lower(t.cp[i + 2]);
  if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

void Qwen2PreTokenizer::Split(absl::string_view text, std::vector<TextSpan>* out) const {
  Chars t;
  t.cp.reserve(text.size());
  t.off.reserve(text.size() + 1);
  t.cls.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    int len;
    const uint32_t cp = utf8::DecodeAt(text, i, &len);
    t.cp.push_back(cp);
    t.off.push_back(static_cast<uint32_t>(i));
    t.cls.push_back(ClassOf(cp));
    i += static_cast<size_t>(len);
  }
  t.off.push_back(static_cast<uint32_t>(text.size()));
  const size_t n = t.cp.size();
  const auto& cls = t.cls;

  size_t i = 0;
  auto emit = [&](size_t end) {
    out->push_back(TextSpan{t.off[i], t.off[end]});
    i = end;
  };
  while (i < n) {
    if (size_t k = Contraction(t, i, n)) {  // 1
      emit(i + k);
      continue;
    }
    const CharClass c = cls[i];
    if (c == CharClass::kLetter || (IsLead(c) && i + 1 < n && cls[i + 1] == CharClass::kLetter)) {  // 2
      size_t j = c == CharClass::kLetter ? i : i + 1;
      while (j < n && cls[j] == CharClass::kLetter) ++j;
      emit(j);
      continue;
    }
    if (c == CharClass::kNumber) {  // 3
      emit(i + 1);
      continue;
    }
    {  // 4
      size_t j = i;
      if (t.cp[i] == ' ' && i + 1 < n && IsOther(cls[i + 1])) ++j;
      if (IsOther(cls[j])) {
        while (j < n && IsOther(cls[j])) ++j;
        while (j < n && cls[j] == CharClass::kNewline) ++j;
        emit(j);
        continue;
      }
    }
    // Only whitespace is left (every char is a letter, number, other or space).
    size_t e = i;
    size_t last_newline = n;  // none
    while (e < n && IsSpace(cls[e])) {
      if (cls[e] == CharClass::kNewline) last_newline = e;
      ++e;
    }
    if (last_newline != n) {  // 5
      emit(last_newline + 1);
    } else if (e == n) {  // 6, at the end of text
      emit(e);
    } else if (e - 1 > i) {  // 6, leaving the last space to lead the next piece
      emit(e - 1);
    } else {  // 7
      emit(e);
    }
  }
}

}  // namespace

std::unique_ptr<PreTokenizer> MakeQwen2PreTokenizer() {
  return std::make_unique<Qwen2PreTokenizer>();
}

}  // namespace switchyard
