#include "workers/engine/grammar/token_mask.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace switchyard {

int64_t TokenMask::count() const {
  int64_t n = 0;
  for (uint64_t w : bits_) n += std::popcount(w);
  return n;
}

void TokenMask::Apply(float* logits, int64_t n) const {
  constexpr float kRefused = -std::numeric_limits<float>::infinity();
  for (int64_t i = size_; i < n; ++i) logits[i] = kRefused;  // rows past the mask: never allowed
  n = std::min(n, size_);
  for (int64_t w = 0; w * 64 < n; ++w) {
    const uint64_t word = bits_[static_cast<size_t>(w)];
    if (word == ~uint64_t{0}) continue;
    const int64_t end = std::min<int64_t>(n, (w + 1) * 64);
    for (int64_t i = w * 64; i < end; ++i) {
      if ((word >> (i & 63) & 1) == 0) logits[i] = kRefused;
    }
  }
}

namespace {

void Walk(const Grammar& g, const GrammarState& state, const ByteTrie& trie, std::vector<GrammarState>* levels,
          TokenMask* mask) {
  if (static_cast<int32_t>(levels->size()) < trie.max_depth + 1) levels->resize(static_cast<size_t>(trie.max_depth + 1));
  (*levels)[0] = state;
  for (int32_t k = 0; k < trie.size();) {
    const size_t d = trie.depth[static_cast<size_t>(k)];
    if (!GrammarMatcher::Step(g, (*levels)[d - 1], trie.byte[static_cast<size_t>(k)], &(*levels)[d])) {
      k = trie.end[static_cast<size_t>(k)];  // nothing under this prefix can match
      continue;
    }
    for (int32_t t = trie.tok_begin[static_cast<size_t>(k)]; t < trie.tok_begin[static_cast<size_t>(k) + 1]; ++t) {
      mask->Allow(trie.ids[static_cast<size_t>(t)]);
    }
    ++k;
  }
}

// Inside strings, between characters, on every stack: how many more code points some stack
// takes (INT32_MAX: unbounded), or -1 when the fast path does not apply.
int32_t PlainTextRoom(const Grammar& g, const GrammarState& state) {
  int32_t room = -1;
  for (const GrammarStack& s : state) {
    if (s.empty()) return -1;
    const GrammarNode& n = g.node(s.back().node);
    if (n.kind != GrammarNode::Kind::kString || !GrammarMatcher::StringBetweenChars(s.back().pc)) return -1;
    const int32_t left = n.max < 0 ? std::numeric_limits<int32_t>::max() : n.max - GrammarMatcher::StringCount(s.back().pc);
    room = std::max(room, left);
  }
  return room;
}

}  // namespace

void ComputeTokenMask(const Grammar& g, const GrammarState& state, const VocabularyTrie& vocab,
                      std::vector<GrammarState>* scratch, TokenMask* mask) {
  const int32_t room = PlainTextRoom(g, state);
  if (room < 0) {
    Walk(g, state, vocab.all(), scratch, mask);
    return;
  }
  // Plain text keeps every string between characters and only spends room, whatever follows
  // the string: no walk needed for those tokens.
  const auto& ends = vocab.plain_ends();
  if (room > 0 && !ends.empty()) {
    const int32_t c = std::min<int32_t>(room, static_cast<int32_t>(ends.size()) - 1);
    for (int32_t i = 0; i < ends[static_cast<size_t>(c)]; ++i) mask->Allow(vocab.plain_ids()[static_cast<size_t>(i)]);
  }
  Walk(g, state, vocab.not_plain(), scratch, mask);
}

}  // namespace switchyard
