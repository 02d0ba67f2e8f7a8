// HttpServer: the gateway's HTTP/1.1 server (Boost.Beast over Asio), on a few I/O threads of
// its own. It owns the protocol's edge cases so that handlers only see whole, valid requests:
//
//   - a body over max_body_bytes: 413 (a Content-Length over it is refused before the body);
//   - a request (headers and body) not in within read_timeout (a slow or stalled client): 408,
//     and the connection closed; an idle keep-alive connection is just closed;
//   - malformed HTTP, or a body cut short by the client closing: 400; headers over 16 KiB: 431;
//   - `Expect: 100-continue` answered; keep-alive honoured; every error an OpenAI error JSON.
//
// A handler answers through its HttpExchange, from any thread: Respond() once, or a chunked
// stream (StartStream, WriteChunk..., EndStream) for server-sent events. Nothing else is read
// from a connection until its answer is out. Writes that stall for read_timeout close it.
//
// Thread safety: HttpExchange methods may be called from any thread; their callbacks run on
// the connection's strand. Touches: sockets and its own threads only.
#ifndef SWITCHYARD_ROUTER_GATEWAY_HTTP_SERVER_H_
#define SWITCHYARD_ROUTER_GATEWAY_HTTP_SERVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "boost/asio/io_context.hpp"
#include "boost/beast/http.hpp"
#include "router/gateway/metrics.h"

namespace switchyard::gateway {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

class HttpSession;

// One request and its answer.
class HttpExchange {
 public:
  explicit HttpExchange(std::shared_ptr<HttpSession> session) : session_(std::move(session)) {}
  const HttpRequest& request() const;
  // The target without its query string.
  absl::string_view path() const;

  // The whole answer (Content-Length and keep-alive are set here).
  void Respond(HttpResponse response);
  // A chunked answer: the head now, then chunks, then EndStream(). `done(ok)` runs on the
  // connection's strand once the bytes are written; false: the client is gone, stop writing.
  void StartStream(http::response<http::empty_body> head, std::function<void(bool ok)> done);
  void WriteChunk(std::string data, std::function<void(bool ok)> done);
  void EndStream();

 private:
  std::shared_ptr<HttpSession> session_;
};

using HttpHandler = std::function<void(std::shared_ptr<HttpExchange>)>;

class HttpServer {
 public:
  struct Options {
    std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
    size_t max_body_bytes = 8 << 20;
    std::chrono::milliseconds read_timeout{30000};
    int threads = 2;
  };
  // Binds and starts serving. `metrics` (may be null) must outlive the server.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const Options& options, HttpHandler handler,
                                                           GatewayMetrics* metrics);
  ~HttpServer();  // stops accepting, closes every connection, joins the threads
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The address bound, with the real port.
  const std::string& address() const { return address_; }

  struct State;  // the I/O context, acceptor and options (http_server.cc)
  explicit HttpServer(std::unique_ptr<State> state);  // use Start()

 private:
  std::unique_ptr<State> state_;
  std::vector<std::thread> threads_;
  std::string address_;
};

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_HTTP_SERVER_H_
