#include "common/metrics/metrics_http_server.h"

#include <chrono>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace switchyard {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct MetricsHttpServer::State {
  std::function<std::string()> render;
  net::io_context ioc;  // declared before the acceptor: destroyed after it
  tcp::acceptor acceptor{ioc};
};

namespace {

constexpr std::chrono::seconds kReadTimeout{5};
constexpr size_t kMaxRequestBytes = 8 << 10;

// One connection; lives as long as an operation on it is pending. Only the server's one
// thread touches it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, MetricsHttpServer::State* state) : stream_(std::move(socket)), state_(state) {}

  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestBytes);
    parser_->body_limit(kMaxRequestBytes);
    stream_.expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();  // timeout, a closed connection, or bytes that are not HTTP
      self->Answer(self->parser_->release());
    });
  }

 private:
  void Answer(const http::request<http::string_body>& request) {
    const beast::string_view target = request.target();
    const bool found = target == "/metrics" || target.starts_with("/metrics?");
    const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
    auto response = std::make_shared<http::response<http::string_body>>(
        !found ? http::status::not_found : get ? http::status::ok : http::status::method_not_allowed, request.version());
    response->set(http::field::content_type, found && get ? "text/plain; version=0.0.4" : "text/plain");
    if (found && !get) response->set(http::field::allow, "GET");
    response->body() = !found ? "only /metrics is served here\n" : get ? state_->render() : "use GET\n";
    response->keep_alive(request.keep_alive());
    response->prepare_payload();
    if (request.method() == http::verb::head) response->body().clear();
    stream_.expires_after(kReadTimeout);
    http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code ec, size_t) {
      if (ec || !response->keep_alive()) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  MetricsHttpServer::State* state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

void Accept(MetricsHttpServer::State* state) {
  state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), state)->Read();
    Accept(state);
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(const std::string& listen,
                                                                            std::function<std::string()> render) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("metrics listen address '", listen, "' is not HOST:PORT"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  auto state = std::make_unique<State>();
  state->render = std::move(render);
  // Asio reports with error codes here; nothing throws out of this function.
  beast::error_code ec;
  tcp::resolver resolver(state->ioc);
  const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("metrics listen address '", listen, "': ", ec.message()));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("metrics listen on ", listen, ": ", ec.message()));
  const int bound = state->acceptor.local_endpoint(ec).port();

  State* s = state.get();
  auto server = std::make_unique<MetricsHttpServer>(std::move(state));
  server->address_ = absl::StrCat(listen.substr(0, colon), ":", bound);
  Accept(s);
  server->thread_ = std::thread([s] { s->ioc.run(); });
  return server;
}

MetricsHttpServer::MetricsHttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

MetricsHttpServer::~MetricsHttpServer() {
  state_->ioc.stop();
  thread_.join();
  // state_ goes now: the acceptor, then the I/O context with every connection still in it.
}

}  // namespace switchyard
