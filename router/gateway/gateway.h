// Gateway: the router's OpenAI-compatible HTTP API, served in the router's process.
//
//   POST /v1/chat/completions   OpenAI chat completions, streaming or not (chat_call.h)
//   GET  /v1/models[/ID]        auto, reasoning, coder, translation and the config's aliases
//   GET  /healthz               200 {"status":"ok"} when every pool has a healthy replica, else 503
//   GET  /metrics               Prometheus text: the registry's series (RouterMetrics, metrics.h)
//
// Chat requests go through the router's own gRPC Router service on `router` (an in-process
// channel), carrying the client's `Authorization: Bearer <key>` as gRPC `authorization`
// metadata: keys, policy, audit, the agent loop and deadlines are exactly the gRPC path's.
// The other endpoints need no key.
// Thread safety: requests are served on the HTTP server's threads; nothing is shared unlocked.
#ifndef SWITCHYARD_ROUTER_GATEWAY_GATEWAY_H_
#define SWITCHYARD_ROUTER_GATEWAY_GATEWAY_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "router/config/router_config.h"
#include "router/gateway/http_server.h"
#include "router/gateway/metrics.h"
#include "router/gateway/model_catalog.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::gateway {

// The largest ChatRequest the router's gRPC service takes (gRPC's default receive limit).
inline constexpr size_t kMaxChatRequestBytes = 4 << 20;

class Gateway {
 public:
  // Serves on config.listen. `router` reaches the router's own gRPC service. GET /metrics
  // renders `registry` (the process's; it must outlive the gateway), with the gateway's own
  // series added to it; null: a registry of the gateway's own.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(const HttpConfig& config, std::shared_ptr<grpc::Channel> router,
                                                        metrics::Registry* registry = nullptr, int io_threads = 2);
  // Stops taking requests, gives calls in flight up to 5 s to end, then closes every connection.
  ~Gateway();

  // HOST:PORT bound (the real port when 0 was asked).
  const std::string& address() const { return server_->address(); }

  Gateway(const HttpConfig& config, std::shared_ptr<grpc::Channel> router, metrics::Registry* registry);  // use Start()

 private:
  void Handle(std::shared_ptr<HttpExchange> exchange);
  void Chat(const std::shared_ptr<HttpExchange>& exchange);
  void Models(const std::shared_ptr<HttpExchange>& exchange, absl::string_view id);
  void Health(const std::shared_ptr<HttpExchange>& exchange);

  ModelCatalog catalog_;
  std::unique_ptr<v1::Router::Stub> stub_;
  const int64_t created_;  // the models' `created`: when the gateway started
  std::unique_ptr<metrics::Registry> own_registry_;  // when Start() was given none
  metrics::Registry* registry_;
  GatewayMetrics metrics_;
  std::shared_ptr<std::atomic<int>> live_calls_ = std::make_shared<std::atomic<int>>(0);
  std::unique_ptr<HttpServer> server_;
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_GATEWAY_H_
