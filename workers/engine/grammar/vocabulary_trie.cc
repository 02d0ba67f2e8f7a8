#include "workers/engine/grammar/vocabulary_trie.h"

#include <algorithm>
#include <utility>

#include "workers/engine/tokenizer/tokenizer.h"

namespace switchyard {

ByteTrie ByteTrie::Build(std::vector<std::pair<int32_t, std::string>> tokens) {
  std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  ByteTrie t;
  std::vector<int32_t> path;  // node per depth of the current token's prefix
  const std::string* prev = nullptr;
  for (auto& [id, bytes] : tokens) {
    size_t common = 0;
    if (prev != nullptr) {
      while (common < prev->size() && common < bytes.size() && (*prev)[common] == bytes[common]) ++common;
    }
    while (path.size() > common) {  // close the subtrees that this token leaves
      t.end[static_cast<size_t>(path.back())] = t.size();
      path.pop_back();
    }
    for (size_t d = common; d < bytes.size(); ++d) {
      path.push_back(t.size());
      t.byte.push_back(static_cast<uint8_t>(bytes[d]));
      t.depth.push_back(static_cast<uint16_t>(d + 1));
      t.end.push_back(0);
      t.tok_begin.push_back(static_cast<int32_t>(t.ids.size()));
    }
    t.ids.push_back(id);  // sorted input: tokens of one node are contiguous and last in line
    t.max_depth = std::max(t.max_depth, static_cast<int32_t>(bytes.size()));
    prev = &bytes;
  }
  while (!path.empty()) {
    t.end[static_cast<size_t>(path.back())] = t.size();
    path.pop_back();
  }
  t.tok_begin.push_back(static_cast<int32_t>(t.ids.size()));
  return t;
}

int32_t VocabularyTrie::PlainLength(const std::string& bytes) {
  int32_t count = 0;
  for (size_t i = 0; i < bytes.size();) {
    const uint8_t b = static_cast<uint8_t>(bytes[i]);
    size_t n = 0;
    uint8_t lo = 0x80, hi = 0xBF;  // the second byte's range (RFC 3629)
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7F || b == '"' || b == '\\') return -1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return -1;
    }
    if (n > 0 && i + n >= bytes.size()) return -1;  // a character cut short
    for (size_t k = 1; k <= n; ++k) {
      const uint8_t c = static_cast<uint8_t>(bytes[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return -1;
    }
    i += n + 1;
    ++count;
  }
  return count;
}

VocabularyTrie VocabularyTrie::Build(absl::Span<const std::string> pieces, const std::vector<bool>& excluded) {
  VocabularyTrie v;
  v.id_limit_ = static_cast<int32_t>(pieces.size());
  v.pieces_.resize(pieces.size());
  std::vector<std::pair<int32_t, std::string>> all, not_plain;
  std::vector<std::pair<int32_t, int32_t>> plain;  // (code points, id)
  for (size_t i = 0; i < pieces.size(); ++i) {
    const std::string& bytes = pieces[i];
    if (excluded[i] || bytes.empty()) continue;
    const int32_t id = static_cast<int32_t>(i);
    v.pieces_[i] = bytes;
    all.emplace_back(id, bytes);
    const int32_t len = PlainLength(bytes);
    if (len > 0) plain.emplace_back(len, id);
    else not_plain.emplace_back(id, bytes);
  }
  std::sort(plain.begin(), plain.end());
  for (const auto& [len, id] : plain) {
    while (static_cast<int32_t>(v.plain_ends_.size()) <= len) v.plain_ends_.push_back(static_cast<int32_t>(v.plain_ids_.size()));
    v.plain_ids_.push_back(id);
  }
  v.plain_ends_.push_back(static_cast<int32_t>(v.plain_ids_.size()));
  // plain_ends_[c] must be one past count c: shift the "begin" table built above by one.
  v.plain_ends_.erase(v.plain_ends_.begin());
  v.all_ = ByteTrie::Build(std::move(all));
  v.not_plain_ = ByteTrie::Build(std::move(not_plain));
  return v;
}

VocabularyTrie VocabularyTrie::FromTokenizer(const Tokenizer& tokenizer) {
  const int32_t n = tokenizer.id_limit();
  std::vector<std::string> pieces(static_cast<size_t>(n));
  std::vector<bool> excluded(static_cast<size_t>(n));
  for (int32_t id = 0; id < n; ++id) {
    pieces[static_cast<size_t>(id)] = std::string(tokenizer.TokenBytes(id));
    excluded[static_cast<size_t>(id)] = tokenizer.IsSpecial(id);
  }
  return Build(pieces, excluded);
}

}  // namespace switchyard
