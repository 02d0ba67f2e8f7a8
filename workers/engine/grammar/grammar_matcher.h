// GrammarMatcher: runs a Grammar over bytes as a nondeterministic pushdown automaton. Its state
// is a set of stacks (anyOf / enum / optional members fork; dead stacks are dropped), each
// normalized so that its top frame is one that consumes input (a literal, string or number);
// an empty stack means the root has been matched.
//
//   GrammarMatcher m(&grammar);
//   m.Advance("{\"a\": 1}");  // false (and unchanged) when the bytes leave the language
//   m.accepted();             // the bytes so far form a complete value
//
// The static Step() is the unit the token-mask walk calls once per trie node; it reuses the
// caller's buffers so that the walk does not allocate. Thread safety: a matcher is a value
// owned by one sequence; the Grammar it points to is shared and immutable.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_MATCHER_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_MATCHER_H_

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "workers/engine/grammar/grammar.h"

namespace switchyard {

struct GrammarFrame {
  int32_t node;
  int32_t pc;
  auto operator<=>(const GrammarFrame&) const = default;
};
using GrammarStack = absl::InlinedVector<GrammarFrame, 8>;
using GrammarState = std::vector<GrammarStack>;  // sorted, unique

class GrammarMatcher {
 public:
  // REQUIRES: grammar outlives the matcher and has a root.
  explicit GrammarMatcher(const Grammar* grammar);

  // Consumes `bytes` if every prefix keeps some stack alive; otherwise returns false and leaves
  // the state as it was.
  bool Advance(absl::string_view bytes);
  bool accepted() const;  // some stack is empty: the input is a complete match
  bool finished() const;  // every stack is empty: nothing more may follow
  const GrammarState& state() const { return state_; }

  // One byte from `from` into *to (cleared first); false when no stack survives.
  static bool Step(const Grammar& g, const GrammarState& from, uint8_t byte, GrammarState* to);
  // The string frame's code points so far, and whether it is between characters (not inside
  // an escape or a multi-byte character, and past the opening quote): the token mask's fast
  // path for plain text inside strings uses both.
  static int32_t StringCount(int32_t pc) { return pc >> 4; }
  static bool StringBetweenChars(int32_t pc) { return (pc & 15) == 15; }
  // A compact byte key for the state (the mask cache's key).
  static std::string Key(const GrammarState& state);

 private:
  const Grammar* grammar_;
  GrammarState state_;
  GrammarState scratch_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_MATCHER_H_
