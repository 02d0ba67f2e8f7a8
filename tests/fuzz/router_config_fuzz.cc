// Fuzz target: the router's YAML config parser. Any bytes give a config or an error status
// (yaml-cpp's exceptions never escape); an accepted config has a pool for its fallback route.
#include <cstdint>
#include <cstdlib>

#include "router/config/router_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = switchyard::ParseRouterConfig(text, "fuzz.yaml");
  if (c.ok() && (c->pools.empty() || !c->pools.count(c->fallback_route))) std::abort();
  return 0;
}
