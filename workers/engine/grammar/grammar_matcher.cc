#include "workers/engine/grammar/grammar_matcher.h"

#include <algorithm>
#include <utility>

namespace switchyard {
namespace {

using Kind = GrammarNode::Kind;

// String sub-states, the low 4 bits of a kString pc (the high bits count code points).
enum StringSub : int32_t {
  kOpen = 0,         // before the opening quote (the pc a frame is pushed with)
  kEscape = 1,       // after a backslash
  kHex1 = 2,         // \u: first of four hex digits
  kHex2Low = 3,      // \uD: second digit must be 0-7 (no surrogates: a lone one is not valid text)
  kHex2 = 4,
  kHex3 = 5,
  kHex4 = 6,
  kCont1 = 7,        // UTF-8: continuation bytes still needed (80-BF)
  kCont2 = 8,
  kCont3 = 9,
  kE0 = 10,          // the second byte's narrower ranges that make the encoding valid UTF-8:
  kED = 11,          //   E0 A0-BF, ED 80-9F (no surrogates), F0 90-BF, F4 80-8F
  kF0 = 12,
  kF4 = 13,
  kBetween = 15,     // past the opening quote, between characters
};

// Number phases, pc = phase * 32 + digits.
enum NumberPhase : int32_t { kStart = 0, kMinus = 1, kZero = 2, kInt = 3, kDot = 4, kFrac = 5 };

bool IsHex(uint8_t b) { return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'); }
bool IsDigit(uint8_t b) { return b >= '0' && b <= '9'; }

// What a terminal frame does with a byte.
enum class Consumed { kDead, kMore, kDone, kMoreOrDone };

Consumed ConsumeString(const GrammarNode& n, int32_t* pc, uint8_t b) {
  const int32_t count = *pc >> 4;
  const int32_t sub = *pc & 15;
  auto set = [&](int32_t c, int32_t s) { *pc = (c << 4) | s; return Consumed::kMore; };
  const bool room = n.max < 0 || count < n.max;
  switch (sub) {
    case kOpen:
      return b == '"' ? set(0, kBetween) : Consumed::kDead;
    case kBetween:
      if (b == '"') return count >= n.min ? Consumed::kDone : Consumed::kDead;
      if (!room || b < 0x20 || b == 0x7F) return Consumed::kDead;  // DEL is legal JSON, but rarely wanted
      if (b == '\\') return set(count + 1, kEscape);
      if (b < 0x80) return set(count + 1, kBetween);
      if (b >= 0xC2 && b <= 0xDF) return set(count + 1, kCont1);
      if (b == 0xE0) return set(count + 1, kE0);
      if (b == 0xED) return set(count + 1, kED);
      if (b >= 0xE1 && b <= 0xEF) return set(count + 1, kCont2);
      if (b == 0xF0) return set(count + 1, kF0);
      if (b >= 0xF1 && b <= 0xF3) return set(count + 1, kCont3);
      if (b == 0xF4) return set(count + 1, kF4);
      return Consumed::kDead;
    case kEscape:
      if (b == 'u') return set(count, kHex1);
      if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r' || b == 't') {
        return set(count, kBetween);
      }
      return Consumed::kDead;
    case kHex1:
      if (b == 'd' || b == 'D') return set(count, kHex2Low);
      return IsHex(b) ? set(count, kHex2) : Consumed::kDead;
    case kHex2Low:
      return b >= '0' && b <= '7' ? set(count, kHex3) : Consumed::kDead;
    case kHex2:
      return IsHex(b) ? set(count, kHex3) : Consumed::kDead;
    case kHex3:
      return IsHex(b) ? set(count, kHex4) : Consumed::kDead;
    case kHex4:
      return IsHex(b) ? set(count, kBetween) : Consumed::kDead;
    case kCont1:
    case kCont2:
    case kCont3:
      if (b < 0x80 || b > 0xBF) return Consumed::kDead;
      return set(count, sub == kCont1 ? kBetween : sub - 1);
    case kE0:
      return b >= 0xA0 && b <= 0xBF ? set(count, kCont1) : Consumed::kDead;
    case kED:
      return b >= 0x80 && b <= 0x9F ? set(count, kCont1) : Consumed::kDead;
    case kF0:
      return b >= 0x90 && b <= 0xBF ? set(count, kCont2) : Consumed::kDead;
    case kF4:
      return b >= 0x80 && b <= 0x8F ? set(count, kCont2) : Consumed::kDead;
    default:
      return Consumed::kDead;
  }
}

Consumed ConsumeNumber(const GrammarNode& n, int32_t* pc, uint8_t b) {
  const int32_t phase = *pc >> 5;
  const int32_t digits = *pc & 31;
  auto set = [&](int32_t p, int32_t d) { *pc = (p << 5) | d; };
  switch (phase) {
    case kStart:
      if (b == '-') { set(kMinus, 0); return Consumed::kMore; }
      [[fallthrough]];
    case kMinus:
      if (b == '0') { set(kZero, 0); return Consumed::kMoreOrDone; }
      if (b >= '1' && b <= '9') { set(kInt, 1); return Consumed::kMoreOrDone; }
      return Consumed::kDead;
    case kZero:
    case kInt:
      if (b == '.' && !n.integer) { set(kDot, 0); return Consumed::kMore; }
      if (phase == kInt && IsDigit(b) && digits < Grammar::kMaxIntegerDigits) {
        set(kInt, digits + 1);
        return Consumed::kMoreOrDone;
      }
      return Consumed::kDead;
    case kDot:
    case kFrac:
      if (IsDigit(b) && digits < Grammar::kMaxFractionDigits) {
        set(kFrac, digits + 1);
        return Consumed::kMoreOrDone;
      }
      return Consumed::kDead;
    default:
      return Consumed::kDead;
  }
}

// Pushes `s` and every stack its non-consuming top frames can become, each with a consuming
// frame on top (or empty), onto *out.
void Expand(const Grammar& g, GrammarStack s, GrammarState* out) {
  for (;;) {
    if (s.empty()) {
      out->push_back(std::move(s));
      return;
    }
    GrammarFrame& f = s.back();
    const GrammarNode& n = g.node(f.node);
    switch (n.kind) {
      case Kind::kLiteral:
        if (f.pc < static_cast<int32_t>(n.literal.size())) {
          out->push_back(std::move(s));
          return;
        }
        s.pop_back();
        continue;
      case Kind::kString:
      case Kind::kNumber:
        out->push_back(std::move(s));
        return;
      case Kind::kSeq: {
        const int32_t size = static_cast<int32_t>(n.children.size());
        if (f.pc >= size) {
          s.pop_back();
          continue;
        }
        const int32_t child = n.children[static_cast<size_t>(f.pc)];
        if (++f.pc == size) s.pop_back();  // the last child replaces the sequence: stacks stay short
        s.push_back({child, 0});
        continue;
      }
      case Kind::kAlt: {
        s.pop_back();
        for (size_t i = 0; i + 1 < n.children.size(); ++i) {
          GrammarStack fork = s;
          fork.push_back({n.children[i], 0});
          Expand(g, std::move(fork), out);
        }
        s.push_back({n.children.back(), 0});
        continue;
      }
      case Kind::kRepeat: {
        const int32_t count = f.pc;
        if (n.max < 0 || count < n.max) {
          GrammarStack fork = s;
          fork.back().pc = count + 1;
          fork.push_back({count == 0 ? n.children[0] : n.children[1], 0});
          Expand(g, std::move(fork), out);
        }
        if (count < n.min) return;
        s.pop_back();
        continue;
      }
      case Kind::kObject: {
        const int32_t members = static_cast<int32_t>(n.required.size());
        const int32_t any = f.pc & 1;
        bool skippable = true;
        for (int32_t j = f.pc >> 1; j < members; ++j) {
          GrammarStack fork = s;
          fork.back().pc = ((j + 1) << 1) | 1;
          fork.push_back({n.children[static_cast<size_t>(2 * j + any)], 0});
          Expand(g, std::move(fork), out);
          if (n.required[static_cast<size_t>(j)]) {
            skippable = false;
            break;
          }
        }
        if (!skippable) return;
        s.pop_back();
        continue;
      }
    }
  }
}

void Normalize(GrammarState* s) {
  std::sort(s->begin(), s->end());
  s->erase(std::unique(s->begin(), s->end()), s->end());
}

}  // namespace

GrammarMatcher::GrammarMatcher(const Grammar* grammar) : grammar_(grammar) {
  Expand(*grammar_, GrammarStack{{grammar_->root(), 0}}, &state_);
  Normalize(&state_);
}

bool GrammarMatcher::Step(const Grammar& g, const GrammarState& from, uint8_t byte, GrammarState* to) {
  to->clear();
  for (const GrammarStack& s : from) {
    if (s.empty()) continue;
    const GrammarFrame& top = s.back();
    const GrammarNode& n = g.node(top.node);
    int32_t pc = top.pc;
    Consumed c = Consumed::kDead;
    switch (n.kind) {
      case Kind::kLiteral:
        if (static_cast<uint8_t>(n.literal[static_cast<size_t>(pc)]) == byte) {
          ++pc;
          c = pc == static_cast<int32_t>(n.literal.size()) ? Consumed::kDone : Consumed::kMore;
        }
        break;
      case Kind::kString:
        c = ConsumeString(n, &pc, byte);
        break;
      case Kind::kNumber:
        c = ConsumeNumber(n, &pc, byte);
        break;
      default:
        break;  // never on top after Expand
    }
    if (c == Consumed::kDead) continue;
    if (c == Consumed::kMore || c == Consumed::kMoreOrDone) {
      to->push_back(s);
      to->back().back().pc = pc;
    }
    if (c == Consumed::kDone || c == Consumed::kMoreOrDone) {
      GrammarStack popped(s.begin(), s.end() - 1);
      Expand(g, std::move(popped), to);
    }
  }
  if (to->size() > 1) Normalize(to);
  return !to->empty();
}

bool GrammarMatcher::Advance(absl::string_view bytes) {
  GrammarState cur = state_;
  for (char ch : bytes) {
    if (!Step(*grammar_, cur, static_cast<uint8_t>(ch), &scratch_)) return false;
    cur.swap(scratch_);
  }
  state_ = std::move(cur);
  return true;
}

bool GrammarMatcher::accepted() const {
  return std::any_of(state_.begin(), state_.end(), [](const GrammarStack& s) { return s.empty(); });
}

bool GrammarMatcher::finished() const {
  return std::all_of(state_.begin(), state_.end(), [](const GrammarStack& s) { return s.empty(); });
}

std::string GrammarMatcher::Key(const GrammarState& state) {
  std::string key;
  for (const GrammarStack& s : state) {
    const int32_t n = static_cast<int32_t>(s.size());
    key.append(reinterpret_cast<const char*>(&n), sizeof(n));
    key.append(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(GrammarFrame));
  }
  return key;
}

}  // namespace switchyard
