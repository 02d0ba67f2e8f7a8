#include "router/gateway/http_server.h"

#include <array>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "router/gateway/openai_error.h"

namespace switchyard::gateway {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

constexpr size_t kHeaderLimit = 16 << 10;
constexpr std::chrono::milliseconds kLinger{1000};  // reading what a refused client still sends

struct HttpServer::State {
  Options options;
  HttpHandler handler;
  GatewayMetrics* metrics;
  net::io_context ioc;  // declared before the acceptor: destroyed after it
  tcp::acceptor acceptor{ioc};
};

// One connection. Every member is touched on the connection's strand only.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, HttpServer::State* state)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), state_(state) {}

  void Run() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  const HttpRequest& request() const { return request_; }
  absl::string_view path() const { return path_; }

  void Respond(HttpResponse response) {
    net::dispatch(socket_.get_executor(), [self = shared_from_this(), response = std::move(response)]() mutable {
      response.keep_alive(self->keep_alive_);
      response.prepare_payload();
      self->status_ = response.result_int();
      self->Write(std::make_shared<HttpResponse>(std::move(response)));
    });
  }

  void StartStream(http::response<http::empty_body> head, std::function<void(bool)> done) {
    net::dispatch(socket_.get_executor(), [self = shared_from_this(), head = std::move(head), done = std::move(done)]() mutable {
      head.keep_alive(self->keep_alive_);
      head.chunked(true);
      self->status_ = head.result_int();
      self->head_ = std::make_unique<http::response<http::empty_body>>(std::move(head));
      self->head_writer_ = std::make_unique<http::response_serializer<http::empty_body>>(*self->head_);
      self->Arm(self->state_->options.read_timeout);
      http::async_write_header(self->socket_, *self->head_writer_,
                               [self, done = std::move(done)](beast::error_code ec, size_t) { self->StreamWritten(ec, done); });
    });
  }

  void WriteChunk(std::string data, std::function<void(bool)> done) {
    net::dispatch(socket_.get_executor(), [self = shared_from_this(), data = std::move(data), done = std::move(done)]() mutable {
      if (data.empty()) {  // an empty chunk would read as the last one
        done(!self->closed_);
        return;
      }
      auto bytes = std::make_shared<std::string>(std::move(data));
      self->Arm(self->state_->options.read_timeout);
      net::async_write(self->socket_, http::make_chunk(net::buffer(*bytes)),
                       [self, bytes, done = std::move(done)](beast::error_code ec, size_t) { self->StreamWritten(ec, done); });
    });
  }

  void EndStream() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->Arm(self->state_->options.read_timeout);
      net::async_write(self->socket_, http::make_chunk_last(),
                       [self](beast::error_code ec, size_t) { self->Written(ec); });
    });
  }

 private:
  // One timer guards whichever read or write is in progress: when it fires the socket's
  // operations are cancelled (the read then answers 408, a write gives up).
  void Arm(std::chrono::milliseconds timeout) {
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
      if (ec || generation != self->timer_generation_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }
  void Disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(state_->options.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    timed_out_ = false;
    // The whole request, headers and body, must be in within the timeout.
    Arm(state_->options.read_timeout);
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return ReadFailed(ec);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue") && !parser_->is_done()) {
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(socket_, net::buffer(kContinue, sizeof(kContinue) - 1),
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return OnRequest({});
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRequest(ec); });
  }

  void OnRequest(beast::error_code ec) {
    Disarm();
    if (ec) return ReadFailed(ec);
    request_ = parser_->release();
    parser_.reset();
    keep_alive_ = request_.keep_alive();
    const absl::string_view target(request_.target().data(), request_.target().size());
    path_ = std::string(target.substr(0, target.find('?')));
    Begin();
    state_->handler(std::make_shared<HttpExchange>(shared_from_this()));
  }

  void ReadFailed(beast::error_code ec) {
    const bool received = buffer_.size() > 0 || (parser_ && parser_->got_some());
    if (parser_ && parser_->is_header_done()) {
      const auto target = parser_->get().target();
      const absl::string_view t(target.data(), target.size());
      path_ = std::string(t.substr(0, t.find('?')));
    } else {
      path_ = "other";
    }
    const std::string timeout_ms = absl::StrCat(state_->options.read_timeout.count());
    if (timed_out_) {
      // A client that began a request and stalled is told; an idle keep-alive one just closed.
      if (!received) return Close();
      return Refuse(408, "timeout_error", absl::StrCat("the request did not arrive within ", timeout_ms, " ms"), "timeout");
    }
    if (ec == http::error::end_of_stream || ((ec == net::error::eof || ec == net::error::connection_reset) && !received)) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Refuse(413, "invalid_request_error",
                    absl::StrCat("the body is larger than ", state_->options.max_body_bytes, " bytes, this server's limit"),
                    "request_too_large");
    }
    if (ec == http::error::header_limit) {
      return Refuse(431, "invalid_request_error", absl::StrCat("the headers are larger than ", kHeaderLimit, " bytes"));
    }
    if (ec == http::error::partial_message) {
      return Refuse(400, "invalid_request_error", "the request was cut short: the connection closed before its end");
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
      return Refuse(400, "invalid_request_error", absl::StrCat("malformed HTTP request: ", ec.message()));
    }
    Close();  // the network failed; nobody to tell
  }

  // An error of the protocol: answered, then the connection closed (what is left of the
  // request is unread).
  void Refuse(int status, absl::string_view type, absl::string_view message, absl::string_view code = "") {
    Begin();
    keep_alive_ = false;
    HttpResponse response{static_cast<http::status>(status), 11};
    response.set(http::field::content_type, "application/json");
    response.body() = ErrorBody(MakeHttpError(status, type, message, code));
    response.keep_alive(false);
    response.prepare_payload();
    status_ = status;
    Write(std::make_shared<HttpResponse>(std::move(response)));
  }

  void Write(std::shared_ptr<HttpResponse> response) {
    Arm(state_->options.read_timeout);
    http::async_write(socket_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, size_t) { self->Written(ec); });
  }

  // A whole answer is out (or failed): the next request, or the end.
  void Written(beast::error_code ec) {
    Disarm();
    End();
    head_writer_.reset();
    head_.reset();
    if (ec) return Close();
    if (!keep_alive_) return Linger();
    ReadHeader();
  }

  void StreamWritten(beast::error_code ec, const std::function<void(bool)>& done) {
    Disarm();
    if (ec) {
      End();
      Close();
    }
    done(!ec);
  }

  void Begin() {
    counted_ = false;
    if (state_->metrics) state_->metrics->Started();
  }
  void End() {
    if (counted_) return;
    counted_ = true;
    if (state_->metrics) state_->metrics->Finished(path_, status_);
  }

  // Closing with unread bytes in the socket would send a reset that can destroy the answer
  // before the client reads it: stop sending, read and drop what still comes, then close.
  void Linger() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    Arm(kLinger);
    Drain();
  }
  void Drain() {
    socket_.async_read_some(net::buffer(drain_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->Drain();
    });
  }

  void Close() {
    Disarm();
    closed_ = true;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  HttpServer::State* state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;
  std::string path_;
  int status_ = 0;
  bool keep_alive_ = false;
  bool timed_out_ = false;
  bool counted_ = true;
  bool closed_ = false;
  uint64_t timer_generation_ = 0;
  std::unique_ptr<http::response<http::empty_body>> head_;
  std::unique_ptr<http::response_serializer<http::empty_body>> head_writer_;
  std::array<char, 16384> drain_;
};

const HttpRequest& HttpExchange::request() const { return session_->request(); }
absl::string_view HttpExchange::path() const { return session_->path(); }
void HttpExchange::Respond(HttpResponse response) { session_->Respond(std::move(response)); }
void HttpExchange::StartStream(http::response<http::empty_body> head, std::function<void(bool)> done) {
  session_->StartStream(std::move(head), std::move(done));
}
void HttpExchange::WriteChunk(std::string data, std::function<void(bool)> done) {
  session_->WriteChunk(std::move(data), std::move(done));
}
void HttpExchange::EndStream() { session_->EndStream(); }

namespace {

void Accept(HttpServer::State* state) {
  state->acceptor.async_accept(net::make_strand(state->ioc), [state](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
    if (!ec) std::make_shared<HttpSession>(std::move(socket), state)->Run();
    Accept(state);
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const Options& options, HttpHandler handler,
                                                              GatewayMetrics* metrics) {
  const size_t colon = options.listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(options.listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("http listen address '", options.listen, "' is not HOST:PORT"));
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  auto state = std::make_unique<State>();
  state->options = options;
  state->handler = std::move(handler);
  state->metrics = metrics;
  // Asio reports with error codes here; nothing throws out of this function.
  beast::error_code ec;
  tcp::resolver resolver(state->ioc);
  const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("http listen address '", options.listen, "': ", ec.message()));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("http listen on ", options.listen, ": ", ec.message()));
  const int bound = state->acceptor.local_endpoint(ec).port();

  State* s = state.get();
  auto server = std::make_unique<HttpServer>(std::move(state));
  server->address_ = absl::StrCat(options.listen.substr(0, colon), ":", bound);
  Accept(s);
  for (int i = 0; i < std::max(1, options.threads); ++i) server->threads_.emplace_back([s] { s->ioc.run(); });
  return server;
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  state_->ioc.stop();
  for (std::thread& t : threads_) t.join();
  // state_ goes now: the acceptor, then the I/O context with every connection still in it.
}

}  // namespace switchyard::gateway
