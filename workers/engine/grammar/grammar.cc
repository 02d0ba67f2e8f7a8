#include "workers/engine/grammar/grammar.h"

#include <utility>

namespace switchyard {

int32_t Grammar::Add(GrammarNode node) {
  nodes_.push_back(std::move(node));
  return static_cast<int32_t>(nodes_.size() - 1);
}

int32_t Grammar::Literal(std::string bytes) {
  GrammarNode n;
  n.kind = GrammarNode::Kind::kLiteral;
  n.literal = std::move(bytes);
  return Add(std::move(n));
}

int32_t Grammar::Seq(std::vector<int32_t> children) {
  if (children.size() == 1) return children[0];
  GrammarNode n;
  n.kind = GrammarNode::Kind::kSeq;
  n.children = std::move(children);
  return Add(std::move(n));
}

int32_t Grammar::Alt(std::vector<int32_t> children) {
  if (children.size() == 1) return children[0];
  GrammarNode n;
  n.kind = GrammarNode::Kind::kAlt;
  n.children = std::move(children);
  return Add(std::move(n));
}

}  // namespace switchyard
