// ModelCatalog: the `model` names the HTTP gateway accepts and the route each one asks for.
// "auto" classifies, "reasoning" / "coder" / "translation" pin a role, and the config's
// http.model_aliases add names of their own (a client written for "gpt-4o" keeps working).
// Thread safety: immutable after construction.
#ifndef SWITCHYARD_ROUTER_GATEWAY_MODEL_CATALOG_H_
#define SWITCHYARD_ROUTER_GATEWAY_MODEL_CATALOG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard::gateway {

class ModelCatalog {
 public:
  // `aliases`: name -> route, as validated by the router config.
  explicit ModelCatalog(std::map<std::string, std::string> aliases = {});

  // The route for `model` ("auto" or a role). NotFound naming the model and the known names.
  absl::StatusOr<std::string> Route(absl::string_view model) const;
  // Every name, built-ins first (auto, reasoning, coder, translation), then aliases by name.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::string> aliases_;
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_MODEL_CATALOG_H_
