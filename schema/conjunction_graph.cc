#include "schema/conjunction_graph.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "schema/schema_error.h"

namespace switchyard::schema {

absl::StatusOr<ConjunctionGraph> ConjunctionGraph::Build(const Schema& schema, absl::string_view where) {
  ConjunctionGraph g;
  absl::flat_hash_map<Conjunction, int> ids;
  auto id_of = [&](const Conjunction& c) -> int {
    auto [it, added] = ids.try_emplace(c, static_cast<int>(g.entries_.size()));
    if (added) g.entries_.push_back(Entry{c, {}, {}, -1, false, false});
    return it->second;
  };
  id_of(Canonical(schema, {Schema::kRoot}));
  const size_t limit = static_cast<size_t>(schema.size()) + kMaxCombinations;
  size_t total_branches = 0;
  // Breadth first; entries_ grows as children are found.
  for (size_t id = 0; id < g.entries_.size(); ++id) {
    absl::StatusOr<std::vector<Branch>> branches = Unfold(schema, g.entries_[id].nodes, where);
    if (!branches.ok()) return branches.status();
    total_branches += branches->size();
    std::vector<int> children;
    for (Branch& b : *branches) {
      if (b.has_values) continue;  // literal values: nothing below them to generate
      if (b.types & kTypeArray) {
        b.items_id = id_of(b.items);
        children.push_back(b.items_id);
      }
      if ((b.types & kTypeObject) && b.object_possible) {
        for (Member& m : b.members) {
          m.value_id = id_of(m.value);
          children.push_back(m.value_id);
        }
      }
    }
    if (g.entries_.size() > limit || total_branches > limit) {
      const Conjunction& c = g.entries_[id].nodes;
      return SchemaError(where, c.empty() ? "" : schema.node(c.front()).pointer,
                         absl::StrCat("\"anyOf\", \"$ref\" and \"properties\" combine into too many cases (over ",
                                      kMaxCombinations, " more than the schema has subschemas)"));
    }
    std::sort(children.begin(), children.end());
    children.erase(std::unique(children.begin(), children.end()), children.end());
    g.entries_[id].branches = *std::move(branches);
    g.entries_[id].children = std::move(children);
  }
  g.FindComponents();
  const std::vector<int> depths = g.MinDepths();
  for (size_t id = 0; id < g.entries_.size(); ++id) {
    g.entries_[id].min_depth = depths[id];
    g.entries_[id].finite = depths[id] < kNoDepth;
  }
  if (!g.entries_[kRoot].finite) {
    g.root_value_ = g.InhabitedAllowingInfinite()[kRoot] ? RootValue::kOnlyInfinite : RootValue::kNone;
  }
  return g;
}

// Tarjan's algorithm, iterative (schemas come from outside: no recursion on their shape).
void ConjunctionGraph::FindComponents() {
  const int n = size();
  std::vector<int> index(static_cast<size_t>(n), -1), low(static_cast<size_t>(n), 0);
  std::vector<bool> on_stack(static_cast<size_t>(n), false);
  std::vector<int> stack;
  int next_index = 0;
  for (int start = 0; start < n; ++start) {
    if (index[static_cast<size_t>(start)] >= 0) continue;
    std::vector<std::pair<int, size_t>> calls = {{start, 0}};  // (entry, next child)
    while (!calls.empty()) {
      auto& [v, child] = calls.back();
      const size_t vi = static_cast<size_t>(v);
      if (child == 0 && index[vi] < 0) {
        index[vi] = low[vi] = next_index++;
        stack.push_back(v);
        on_stack[vi] = true;
      }
      const std::vector<int>& children = entries_[vi].children;
      if (child < children.size()) {
        const int w = children[child++];
        const size_t wi = static_cast<size_t>(w);
        if (index[wi] < 0) {
          calls.emplace_back(w, 0);
        } else if (on_stack[wi]) {
          low[vi] = std::min(low[vi], index[wi]);
        }
        continue;
      }
      if (low[vi] == index[vi]) {
        std::vector<int> component;
        int w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[static_cast<size_t>(w)] = false;
          entries_[static_cast<size_t>(w)].scc = static_cast<int>(components_.size());
          component.push_back(w);
        } while (w != v);
        components_.push_back(std::move(component));
      }
      const int done = v;
      calls.pop_back();
      if (!calls.empty()) {
        const size_t parent = static_cast<size_t>(calls.back().first);
        low[parent] = std::min(low[parent], low[static_cast<size_t>(done)]);
      }
    }
  }
  for (const std::vector<int>& component : components_) {
    for (int v : component) {
      const std::vector<int>& children = entries_[static_cast<size_t>(v)].children;
      entries_[static_cast<size_t>(v)].recursive =
          component.size() > 1 || std::find(children.begin(), children.end(), v) != children.end();
    }
  }
}

int ConjunctionGraph::BranchDepth(int id, const Branch& b, const std::vector<int>& depths) const {
  // What a required child costs: one descent more than its own depth within this component; a
  // child in another component unrolls on its own count, so it costs nothing here if finite.
  auto child = [&](int c) {
    const int d = depths[static_cast<size_t>(c)];
    if (d >= kNoDepth) return kNoDepth;
    return entries_[static_cast<size_t>(c)].scc == entries_[static_cast<size_t>(id)].scc ? d + 1 : 0;
  };
  if (b.has_values) return b.values.empty() ? kNoDepth : 0;
  if (b.types & (kTypeNull | kTypeBoolean | kTypeNumber | kTypeInteger)) return 0;
  if ((b.types & kTypeString) && (!b.max_length || b.min_length <= *b.max_length)) return 0;
  int best = kNoDepth;
  if ((b.types & kTypeArray) && (!b.max_items || b.min_items <= *b.max_items)) {
    best = b.min_items == 0 ? 0 : child(b.items_id);
  }
  if ((b.types & kTypeObject) && b.object_possible) {
    int object = 0;
    for (const Member& m : b.members) {
      if (m.required) object = std::max(object, child(m.value_id));
    }
    best = std::min(best, object);
  }
  return best;
}

std::vector<int> ConjunctionGraph::MinDepths() const {
  std::vector<int> depths(entries_.size(), kNoDepth);
  // Children's components come first, so each component needs only its own fixed point; depths
  // only fall, and each stays below the component's size or at kNoDepth, so this ends.
  for (const std::vector<int>& component : components_) {
    for (bool changed = true; changed;) {
      changed = false;
      for (int v : component) {
        const Entry& e = entries_[static_cast<size_t>(v)];
        int best = kNoDepth;
        for (const Branch& b : e.branches) best = std::min(best, BranchDepth(v, b, depths));
        if (best < depths[static_cast<size_t>(v)]) {
          depths[static_cast<size_t>(v)] = best;
          changed = true;
        }
      }
    }
  }
  return depths;
}

std::vector<bool> ConjunctionGraph::InhabitedAllowingInfinite() const {
  std::vector<bool> inhabited(entries_.size(), true);
  auto branch = [&](const Branch& b) {
    if (b.has_values) return !b.values.empty();
    if (b.types & (kTypeNull | kTypeBoolean | kTypeNumber | kTypeInteger)) return true;
    if ((b.types & kTypeString) && (!b.max_length || b.min_length <= *b.max_length)) return true;
    if ((b.types & kTypeArray) && (!b.max_items || b.min_items <= *b.max_items) &&
        (b.min_items == 0 || inhabited[static_cast<size_t>(b.items_id)])) {
      return true;
    }
    return (b.types & kTypeObject) && b.object_possible &&
           std::all_of(b.members.begin(), b.members.end(),
                       [&](const Member& m) { return !m.required || inhabited[static_cast<size_t>(m.value_id)]; });
  };
  for (const std::vector<int>& component : components_) {
    for (bool changed = true; changed;) {
      changed = false;
      for (int v : component) {
        const Entry& e = entries_[static_cast<size_t>(v)];
        if (inhabited[static_cast<size_t>(v)] && std::none_of(e.branches.begin(), e.branches.end(), branch)) {
          inhabited[static_cast<size_t>(v)] = false;
          changed = true;
        }
      }
    }
  }
  return inhabited;
}

}  // namespace switchyard::schema
