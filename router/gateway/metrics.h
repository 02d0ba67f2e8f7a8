// GatewayMetrics: the gateway's own series, in the router's metrics::Registry (whose Render()
// GET /metrics serves, next to RouterMetrics' series):
//
//   switchyard_gateway_requests_total{path="/v1/chat/completions",status="200"} 12
//   switchyard_gateway_requests_in_flight 1
//
// Paths outside the gateway's own are counted as "other", so a scanner cannot grow the label
// set without bound.
// Thread safety: safe for concurrent use (the registry's atomics).
#ifndef SWITCHYARD_ROUTER_GATEWAY_METRICS_H_
#define SWITCHYARD_ROUTER_GATEWAY_METRICS_H_

#include "absl/strings/string_view.h"
#include "common/metrics/registry.h"

namespace switchyard::gateway {

class GatewayMetrics {
 public:
  // `registry` must outlive this.
  explicit GatewayMetrics(metrics::Registry& registry);

  void Started() { in_flight_.Add(1); }
  // One answered request; call once per Started().
  void Finished(absl::string_view path, int status);

 private:
  metrics::CounterFamily& requests_;
  metrics::Gauge& in_flight_;
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_METRICS_H_
