// MetricsHttpServer: GET /metrics on a port of its own, for switchyard-worker --metrics-listen
// and switchyard-router --metrics-listen (the router's gateway serves the same text on its own
// port). A deliberately small HTTP/1.1 server (Boost.Beast over Asio, one I/O thread): requests
// are tiny and come from a scraper, so it only reads a request (8 KiB at most, within 5 s),
// answers it and honours keep-alive.
// Thread safety: `render` runs on the server's thread; the destructor stops and joins it.
#ifndef SWITCHYARD_COMMON_METRICS_METRICS_HTTP_SERVER_H_
#define SWITCHYARD_COMMON_METRICS_METRICS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace switchyard {

class MetricsHttpServer {
 public:
  // Binds `listen` (HOST:PORT; port 0 picks a free one) and serves `render()`'s text at GET
  // /metrics; 404 elsewhere, 405 for other methods.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& listen,
                                                                  std::function<std::string()> render);
  ~MetricsHttpServer();  // stops, closes every connection, joins the thread
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // HOST:PORT bound (the real port when 0 was asked).
  const std::string& address() const { return address_; }

  struct State;  // the I/O context and acceptor (metrics_http_server.cc)
  explicit MetricsHttpServer(std::unique_ptr<State> state);  // use Start()

 private:
  std::unique_ptr<State> state_;
  std::thread thread_;
  std::string address_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_COMMON_METRICS_METRICS_HTTP_SERVER_H_
