// Grammar: a byte-level pushdown recognizer in compiled form, the target that JSON Schemas (and
// tool-call envelopes) compile to. A grammar is a flat table of nodes referring to each other by
// index; it has no recursion (a recursive "$ref" is unrolled to a bounded depth), so every stack
// GrammarMatcher builds over it is bounded by the grammar's nesting.
//
// Node kinds and what their program counter (pc) means while the node is on a stack:
//   kLiteral  bytes that must appear exactly; pc = bytes matched so far.
//   kSeq      children one after another; pc = index of the next child.
//   kAlt      one of the children (anyOf, enum, several types); never on a stack (replaced).
//   kRepeat   "[" items "]" body: child `a` for the first item, child `b` (", " item) for
//             later ones, between min and max items; pc = items started.
//   kObject   members in declared order; children come in pairs (first-member form
//             "\"k\": v", later-member form ", \"k\": v") with required[i]; pc = 2 * next + any.
//   kString   a JSON string, quotes included; min/max count code points; pc packs the code
//             points so far and the lexer sub-state (see grammar_matcher.cc).
//   kNumber   a JSON number (integer when `integer`), digits bounded so output terminates.
// Thread safety: immutable after construction.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_H_

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard {

struct GrammarNode {
  enum class Kind : uint8_t { kLiteral, kSeq, kAlt, kRepeat, kObject, kString, kNumber };
  Kind kind = Kind::kLiteral;
  std::string literal;            // kLiteral
  std::vector<int32_t> children;  // kSeq, kAlt, kRepeat (first, later), kObject (pairs)
  std::vector<bool> required;     // kObject: per member
  int32_t min = 0;                // kRepeat: items; kString: code points
  int32_t max = -1;               // -1: unbounded
  bool integer = false;           // kNumber
};

class Grammar {
 public:
  static constexpr int kMaxIntegerDigits = 15;   // fits a double exactly
  static constexpr int kMaxFractionDigits = 6;

  int32_t Add(GrammarNode node);
  int32_t Literal(std::string bytes);
  int32_t Seq(std::vector<int32_t> children);
  int32_t Alt(std::vector<int32_t> children);

  const GrammarNode& node(int32_t id) const { return nodes_[static_cast<size_t>(id)]; }
  int32_t size() const { return static_cast<int32_t>(nodes_.size()); }
  int32_t root() const { return root_; }
  void set_root(int32_t r) { root_ = r; }

 private:
  std::vector<GrammarNode> nodes_;
  int32_t root_ = -1;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_GRAMMAR_H_
