#include "router/gateway/metrics.h"

#include <string>

namespace switchyard::gateway {

GatewayMetrics::GatewayMetrics(metrics::Registry& registry)
    : requests_(registry.AddCounter("switchyard_gateway_requests_total",
                                    "HTTP requests answered by the gateway, by path and status.", {"path", "status"})),
      in_flight_(registry.AddGauge("switchyard_gateway_requests_in_flight", "HTTP requests being answered now.")
                     .With({})) {}

void GatewayMetrics::Finished(absl::string_view path, int status) {
  in_flight_.Add(-1);
  const bool known = path == "/v1/chat/completions" || path == "/v1/models" || path == "/healthz" || path == "/metrics";
  requests_.With({known ? path : "other", std::to_string(status)}).Inc();
}

}  // namespace switchyard::gateway
