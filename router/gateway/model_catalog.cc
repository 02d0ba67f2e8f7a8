#include "router/gateway/model_catalog.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "router/config/router_config.h"

namespace switchyard::gateway {
namespace {

// kRoles only (a header constant): this library does not link the router's config parser.
bool IsRoleName(absl::string_view name) {
  for (const char* role : kRoles) {
    if (name == role) return true;
  }
  return false;
}

}  // namespace

ModelCatalog::ModelCatalog(std::map<std::string, std::string> aliases) : aliases_(std::move(aliases)) {}

absl::StatusOr<std::string> ModelCatalog::Route(absl::string_view model) const {
  if (model == "auto" || IsRoleName(model)) return std::string(model);
  auto it = aliases_.find(std::string(model));
  if (it != aliases_.end()) return it->second;
  return absl::NotFoundError(absl::StrCat("'", model, "' does not exist (known: ", absl::StrJoin(Names(), ", "),
                                          ")"));
}

std::vector<std::string> ModelCatalog::Names() const {
  std::vector<std::string> names = {"auto"};
  for (const char* role : kRoles) names.emplace_back(role);
  for (const auto& [name, route] : aliases_) names.push_back(name);
  return names;
}

}  // namespace switchyard::gateway
