#include "router/gateway/metrics.h"

#include "absl/strings/str_cat.h"

namespace switchyard::gateway {

void GatewayMetrics::Finished(absl::string_view path, int status) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  const bool known = path == "/v1/chat/completions" || path == "/v1/models" || path == "/healthz" || path == "/metrics";
  absl::MutexLock lock(&mu_);
  ++requests_[{known ? std::string(path) : "other", status}];
}

std::string GatewayMetrics::Render() const {
  std::string out =
      "# HELP switchyard_gateway_requests_total HTTP requests answered by the gateway, by path and status.\n"
      "# TYPE switchyard_gateway_requests_total counter\n";
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, n] : requests_) {
      absl::StrAppend(&out, "switchyard_gateway_requests_total{path=\"", key.first, "\",status=\"", key.second, "\"} ", n,
                      "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP switchyard_gateway_requests_in_flight HTTP requests being answered now.\n"
                  "# TYPE switchyard_gateway_requests_in_flight gauge\n"
                  "switchyard_gateway_requests_in_flight ",
                  in_flight_.load(std::memory_order_relaxed), "\n");
  return out;
}

}  // namespace switchyard::gateway
