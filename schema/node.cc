#include "schema/node.h"

#include <algorithm>

namespace switchyard::schema {

int Node::FindProperty(const std::string& name) const {
  auto before = [this](int i, const std::string& n) { return properties[static_cast<size_t>(i)].name < n; };
  auto it = std::lower_bound(properties_by_name.begin(), properties_by_name.end(), name, before);
  if (it == properties_by_name.end() || properties[static_cast<size_t>(*it)].name != name) return -1;
  return *it;
}

}  // namespace switchyard::schema
