// Schema: a JSON Schema document parsed once (parser.h), as a graph of Nodes (node.h) that
// refer to each other by index; node 0 is the root. "$ref" is an edge to the target node, so a
// recursive schema is a cycle in the graph, never a copy. This is the structure both the
// argument validator (validator.h) and the engine's grammar compiler walk.
//
// Thread safety: immutable after parsing; any number of threads may read one Schema.
#ifndef SWITCHYARD_SCHEMA_SCHEMA_H_
#define SWITCHYARD_SCHEMA_SCHEMA_H_

#include <cstddef>
#include <vector>

#include "schema/node.h"

namespace switchyard::schema {

class Schema {
 public:
  static constexpr int kRoot = 0;

  // REQUIRES: 0 <= index < size().
  const Node& node(int index) const { return nodes_[static_cast<size_t>(index)]; }
  const Node& root() const { return nodes_[kRoot]; }
  int size() const { return static_cast<int>(nodes_.size()); }

 private:
  friend class Parser;
  Schema() = default;

  std::vector<Node> nodes_;
};

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_SCHEMA_H_
