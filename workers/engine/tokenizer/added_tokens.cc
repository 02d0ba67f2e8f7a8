#include "workers/engine/tokenizer/added_tokens.h"

#include <algorithm>

#include "workers/engine/tokenizer/unicode_class.h"
#include "workers/engine/tokenizer/utf8.h"

namespace switchyard {
namespace {

bool IsAsciiSpaceOrUnicodeSpace(absl::string_view s, size_t i, int* len) {
  const uint32_t cp = utf8::DecodeAt(s, i, len);
  const CharClass c = ClassOf(cp);
  return c == CharClass::kSpace || c == CharClass::kNewline;
}

// Start of the character that ends at byte `end` (exclusive). REQUIRES end > 0, valid UTF-8.
size_t PrevCharStart(absl::string_view s, size_t end) {
  size_t i = end - 1;
  while (i > 0 && (static_cast<uint8_t>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

bool IsWordChar(absl::string_view s, size_t i) {
  int len;
  const CharClass c = ClassOf(utf8::DecodeAt(s, i, &len));
  return c == CharClass::kLetter || c == CharClass::kNumber || s[i] == '_';
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedToken>& tokens) {
  for (const AddedToken& t : tokens) {
    if (t.content.empty()) continue;
    by_first_[static_cast<uint8_t>(t.content[0])].push_back(
        Entry{t.content, t.id, t.single_word, t.lstrip, t.rstrip});
    any_ = true;
  }
  for (auto& v : by_first_) {
    std::stable_sort(v.begin(), v.end(),
                     [](const Entry& a, const Entry& b) { return a.content.size() > b.content.size(); });
  }
}

void AddedTokenMatcher::Split(absl::string_view text, std::vector<Piece>* out,
                              const std::vector<std::pair<uint32_t, uint32_t>>* allowed) const {
  size_t plain_start = 0;  // start of the plain run not yet emitted
  size_t i = 0;
  size_t next_allowed = 0;  // first range that does not end before i
  auto is_allowed = [&](size_t b, size_t e) {
    if (allowed == nullptr) return true;
    while (next_allowed < allowed->size() && (*allowed)[next_allowed].second <= b) ++next_allowed;
    return next_allowed < allowed->size() && (*allowed)[next_allowed].first <= b && e <= (*allowed)[next_allowed].second;
  };
  while (any_ && i < text.size()) {
    const auto& cands = by_first_[static_cast<uint8_t>(text[i])];
    const Entry* hit = nullptr;
    for (const Entry& e : cands) {
      if (text.size() - i < e.content.size() || text.compare(i, e.content.size(), e.content) != 0) continue;
      if (!is_allowed(i, i + e.content.size())) continue;
      if (e.single_word) {
        const size_t end = i + e.content.size();
        if ((i > 0 && IsWordChar(text, PrevCharStart(text, i))) || (end < text.size() && IsWordChar(text, end))) {
          continue;
        }
      }
      hit = &e;
      break;
    }
    if (hit == nullptr) {
      ++i;
      continue;
    }
    size_t begin = i;
    size_t end = i + hit->content.size();
    if (hit->lstrip) {
      while (begin > plain_start) {
        const size_t p = PrevCharStart(text, begin);
        int len;
        if (!IsAsciiSpaceOrUnicodeSpace(text, p, &len)) break;
        begin = p;
      }
    }
    if (hit->rstrip) {
      int len;
      while (end < text.size() && IsAsciiSpaceOrUnicodeSpace(text, end, &len)) end += static_cast<size_t>(len);
    }
    if (begin > plain_start) out->push_back(Piece{text.substr(plain_start, begin - plain_start), -1});
    out->push_back(Piece{text.substr(i, hit->content.size()), hit->id});
    plain_start = end;
    i = end;
  }
  if (plain_start < text.size()) out->push_back(Piece{text.substr(plain_start), -1});
}

}  // namespace switchyard
