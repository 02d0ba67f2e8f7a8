#include "workers/engine/tokenizer/bpe_model.h"

#include <algorithm>
#include <functional>
#include <queue>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace switchyard {
namespace {
// Up to this many bytes a word is merged by rescanning instead of with a heap.
constexpr size_t kLinearScanMax = 24;
}  // namespace

absl::StatusOr<BpeModel> BpeModel::Build(std::vector<Token> vocab, const std::vector<Merge>& merges,
                                         bool ignore_merges, absl::string_view source) {
  BpeModel m;
  m.ignore_merges_ = ignore_merges;
  std::vector<const std::string*> by_id;
  int32_t max_id = -1;
  for (const Token& t : vocab) max_id = std::max(max_id, t.id);
  by_id.assign(static_cast<size_t>(max_id + 1), nullptr);
  m.by_bytes_.reserve(vocab.size());
  for (Token& t : vocab) {
    if (t.id < 0) {
      return absl::InvalidArgumentError(absl::StrCat(source, ": negative token id ", t.id));
    }
    auto [it, inserted] = m.by_bytes_.emplace(std::move(t.bytes), t.id);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": two vocabulary entries spell the same bytes (ids ", it->second,
                       " and ", t.id, ")"));
    }
  }
  // flat_hash_map moves keys when it grows, so pointers are taken once it is complete.
  for (const auto& [bytes, id] : m.by_bytes_) by_id[static_cast<size_t>(id)] = &bytes;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    auto it = m.by_bytes_.find(absl::string_view(&c, 1));
    if (it == m.by_bytes_.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: the vocabulary has no token for the single byte 0x%02X, so some text could not "
          "be encoded (byte-level BPE needs all 256)",
          std::string(source), b));
    }
    m.byte_token_[static_cast<size_t>(b)] = it->second;
  }
  m.rules_.reserve(merges.size());
  std::string joined;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const Merge& mg = merges[rank];
    auto valid = [&](int32_t id) {
      return id >= 0 && static_cast<size_t>(id) < by_id.size() && by_id[static_cast<size_t>(id)] != nullptr;
    };
    if (!valid(mg.left) || !valid(mg.right)) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": merge #", rank, " names a token that is not in the vocabulary"));
    }
    joined = *by_id[static_cast<size_t>(mg.left)];
    joined += *by_id[static_cast<size_t>(mg.right)];
    auto it = m.by_bytes_.find(joined);
    if (it == m.by_bytes_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": merge #", rank, " makes a token that is not in the vocabulary"));
    }
    // A repeated pair keeps its first (lowest) rank, as tokenizers does.
    m.rules_.try_emplace(Key(mg.left, mg.right), Rule{static_cast<int32_t>(rank), it->second});
  }
  return m;
}

const int32_t* BpeModel::Find(absl::string_view bytes) const {
  auto it = by_bytes_.find(bytes);
  return it == by_bytes_.end() ? nullptr : &it->second;
}

void BpeModel::EncodeWord(absl::string_view word, std::vector<int32_t>* out) const {
  const size_t n = word.size();
  if (n == 1) {
    out->push_back(byte_token_[static_cast<uint8_t>(word[0])]);
    return;
  }
  if (ignore_merges_) {
    if (const int32_t* id = Find(word)) {
      out->push_back(*id);
      return;
    }
  }
  // Symbols form a doubly linked list over the word's bytes; a merged-away symbol has id -1.
  struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
  };
  absl::InlinedVector<Symbol, 32> sym(n);
  for (size_t i = 0; i < n; ++i) {
    sym[i] = Symbol{byte_token_[static_cast<uint8_t>(word[i])], static_cast<int32_t>(i) - 1,
                    i + 1 < n ? static_cast<int32_t>(i + 1) : -1};
  }
  if (n <= kLinearScanMax) {
    // Short words (nearly all of them): rescan the few live pairs for the lowest (rank,
    // position) before each merge. Same order as the heap below, without its allocations.
    size_t live = n;
    while (live > 1) {
      int32_t best_pos = -1;
      const Rule* best = nullptr;
      for (int32_t i = 0; sym[static_cast<size_t>(i)].next >= 0; i = sym[static_cast<size_t>(i)].next) {
        const Rule* r = FindRule(sym[static_cast<size_t>(i)].id, sym[static_cast<size_t>(sym[static_cast<size_t>(i)].next)].id);
        if (r != nullptr && (best == nullptr || r->rank < best->rank)) {
          best = r;
          best_pos = i;
        }
      }
      if (best == nullptr) break;
      Symbol& s = sym[static_cast<size_t>(best_pos)];
      Symbol& right = sym[static_cast<size_t>(s.next)];
      s.id = best->merged;
      right.id = -1;
      s.next = right.next;
      if (s.next >= 0) sym[static_cast<size_t>(s.next)].prev = best_pos;
      --live;
    }
    for (int32_t i = 0; i >= 0; i = sym[static_cast<size_t>(i)].next) out->push_back(sym[static_cast<size_t>(i)].id);
    return;
  }
  // Min-heap of (rank << 32 | position): lowest rank first, then leftmost.
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>> heap;
  auto push = [&](int32_t pos) {
    const int32_t nx = sym[static_cast<size_t>(pos)].next;
    if (nx < 0) return;
    if (const Rule* r = FindRule(sym[static_cast<size_t>(pos)].id, sym[static_cast<size_t>(nx)].id)) {
      heap.push((static_cast<uint64_t>(r->rank) << 32) | static_cast<uint32_t>(pos));
    }
  };
  for (size_t i = 0; i + 1 < n; ++i) push(static_cast<int32_t>(i));
  while (!heap.empty()) {
    const uint64_t top = heap.top();
    heap.pop();
    const int32_t rank = static_cast<int32_t>(top >> 32);
    const int32_t pos = static_cast<int32_t>(top & 0xffffffffu);
    Symbol& s = sym[static_cast<size_t>(pos)];
    if (s.id < 0 || s.next < 0) continue;  // merged away, or now last
    Symbol& right = sym[static_cast<size_t>(s.next)];
    const Rule* r = FindRule(s.id, right.id);
    if (r == nullptr || r->rank != rank) continue;  // stale: the pair here has changed
    s.id = r->merged;
    right.id = -1;
    s.next = right.next;
    if (s.next >= 0) sym[static_cast<size_t>(s.next)].prev = pos;
    if (s.prev >= 0) push(s.prev);
    push(pos);
  }
  for (int32_t i = 0; i >= 0; i = sym[static_cast<size_t>(i)].next) out->push_back(sym[static_cast<size_t>(i)].id);
}

}  // namespace switchyard
