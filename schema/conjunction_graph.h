// ConjunctionGraph: every conjunction (conjunction.h) a schema's values can meet, starting from
// the root, with its branches and the conjunctions its items and members hold; which of them
// recurse (lie on a cycle: a value containing a value of the same conjunction); and which some
// finite value satisfies.
//
// The parser builds it to refuse schemas without a finite value; the engine's grammar compiler
// builds it again to generate values branch by branch, unrolling the recursive conjunctions to
// a bounded depth.
//
// Thread safety: immutable after Build.
#ifndef SWITCHYARD_SCHEMA_CONJUNCTION_GRAPH_H_
#define SWITCHYARD_SCHEMA_CONJUNCTION_GRAPH_H_

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "schema/conjunction.h"
#include "schema/schema.h"

namespace switchyard::schema {

class ConjunctionGraph {
 public:
  static constexpr int kRoot = 0;
  // How many more conjunctions, and how many more branches in all, than the schema has nodes
  // a schema may unfold into. A schema's own subschemas each give about one of both; only
  // "anyOf" meeting "anyOf" (through "$ref" or "properties" of the same name) multiplies them,
  // and the work of every later step is proportional to them.
  static constexpr int kMaxCombinations = 1 << 14;

  enum class RootValue {
    kFinite,        // some finite value satisfies the root
    kNone,          // no value at all: conflicting keywords, `false`, an enum the type excludes
    kOnlyInfinite,  // only values nesting forever through "$ref" would
  };

  struct Entry {
    Conjunction nodes;
    std::vector<Branch> branches;  // items_id and value_id filled in
    std::vector<int> children;     // the conjunctions the branches' items and members hold
    int scc = -1;                  // strongly connected component; equal for mutual recursion
    bool recursive = false;        // on a cycle of children
    bool finite = false;           // some finite value satisfies it
    // The fewest descents into children of its own component that some finite value needs
    // (0 outside recursion, and wherever a branch ends without recursing); kNoDepth when no
    // finite value exists. The grammar compiler unrolls recursion at least this deep.
    int min_depth = 0;
  };
  static constexpr int kNoDepth = 1 << 30;

  // InvalidArgument ("<where> <pointer>: ...") past kMaxBranches or kMaxCombinations.
  static absl::StatusOr<ConjunctionGraph> Build(const Schema& schema, absl::string_view where);

  int size() const { return static_cast<int>(entries_.size()); }
  const Entry& entry(int id) const { return entries_[static_cast<size_t>(id)]; }
  RootValue root_value() const { return root_value_; }

 private:
  ConjunctionGraph() = default;
  void FindComponents();
  // Entry::min_depth for every entry: a least fixed point, component by component, children
  // first. An entry is finite exactly when its depth is below kNoDepth.
  std::vector<int> MinDepths() const;
  int BranchDepth(int id, const Branch& b, const std::vector<int>& depths) const;
  // Whether each entry is inhabited when values may nest forever (the greatest fixed point of
  // "some branch is inhabited"): tells kOnlyInfinite from kNone.
  std::vector<bool> InhabitedAllowingInfinite() const;

  std::vector<Entry> entries_;
  std::vector<std::vector<int>> components_;  // in reverse topological order: children first
  RootValue root_value_ = RootValue::kFinite;
};

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_CONJUNCTION_GRAPH_H_
