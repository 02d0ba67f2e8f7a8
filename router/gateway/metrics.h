// GatewayMetrics: the gateway's request counters, rendered as Prometheus text for GET /metrics.
//
//   switchyard_gateway_requests_total{path="/v1/chat/completions",status="200"} 12
//   switchyard_gateway_requests_in_flight 1
//
// Paths outside the gateway's own are counted as "other", so a scanner cannot grow the label
// set without bound. A minimal registry: the router's full metrics are another piece of work.
// Thread safety: safe for concurrent use (internal absl::Mutex).
#ifndef SWITCHYARD_ROUTER_GATEWAY_METRICS_H_
#define SWITCHYARD_ROUTER_GATEWAY_METRICS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace switchyard::gateway {

class GatewayMetrics {
 public:
  void Started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // One answered request; call once per Started().
  void Finished(absl::string_view path, int status) ABSL_LOCKS_EXCLUDED(mu_);
  std::string Render() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::atomic<int64_t> in_flight_{0};
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_METRICS_H_
