#include "router/gateway/gateway.h"

#include <ctime>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "router/gateway/chat_call.h"
#include "router/gateway/openai_error.h"
#include "router/gateway/openai_request.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::ordered_json;

HttpResponse JsonResponse(http::status status, const std::string& body) {
  HttpResponse r{status, 11};
  r.set(http::field::content_type, "application/json");
  r.body() = body;
  return r;
}

HttpResponse Error(const HttpError& e) {
  HttpResponse r = JsonResponse(static_cast<http::status>(e.status), ErrorBody(e));
  if (e.retry_after_s > 0) r.set(http::field::retry_after, std::to_string(e.retry_after_s));
  return r;
}

Json ModelJson(const std::string& id, int64_t created) {
  Json m;
  m["id"] = id;
  m["object"] = "model";
  m["created"] = created;
  m["owned_by"] = "switchyard";
  return m;
}

}  // namespace

Gateway::Gateway(const HttpConfig& config, std::shared_ptr<grpc::Channel> router, metrics::Registry* registry)
    : catalog_(config.model_aliases),
      stub_(v1::Router::NewStub(std::move(router))),
      created_(static_cast<int64_t>(std::time(nullptr))),
      own_registry_(registry ? nullptr : std::make_unique<metrics::Registry>()),
      registry_(registry ? registry : own_registry_.get()),
      metrics_(*registry_) {}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(const HttpConfig& config, std::shared_ptr<grpc::Channel> router,
                                                        metrics::Registry* registry, int io_threads) {
  auto gateway = std::make_unique<Gateway>(config, std::move(router), registry);
  HttpServer::Options options;
  options.listen = config.listen;
  options.max_body_bytes = static_cast<size_t>(config.max_body_bytes);
  options.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
  options.threads = io_threads;
  Gateway* g = gateway.get();
  auto server = HttpServer::Start(options, [g](std::shared_ptr<HttpExchange> e) { g->Handle(std::move(e)); }, &g->metrics_);
  if (!server.ok()) return server.status();
  gateway->server_ = *std::move(server);
  return gateway;
}

Gateway::~Gateway() {
  // Calls in flight post to the server's connections: let them end before those go.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (live_calls_->load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_.reset();
}

void Gateway::Handle(std::shared_ptr<HttpExchange> exchange) {
  const absl::string_view path = exchange->path();
  const http::verb method = exchange->request().method();
  const bool get = method == http::verb::get;
  auto wrong_method = [&](const char* allow) {
    HttpResponse r = Error(MakeHttpError(405, "invalid_request_error",
                                         absl::StrCat(exchange->request().method_string().to_string(), " ", path,
                                                      ": method not allowed (use ", allow, ")")));
    r.set(http::field::allow, allow);
    exchange->Respond(std::move(r));
  };
  if (path == "/v1/chat/completions") {
    if (method != http::verb::post) return wrong_method("POST");
    return Chat(exchange);
  }
  if (path == "/v1/models" || absl::StartsWith(path, "/v1/models/")) {
    if (!get) return wrong_method("GET");
    return Models(exchange, path.size() > 10 ? path.substr(11) : "");
  }
  if (path == "/healthz") {
    if (!get) return wrong_method("GET");
    return Health(exchange);
  }
  if (path == "/metrics") {
    if (!get) return wrong_method("GET");
    HttpResponse r{http::status::ok, 11};
    r.set(http::field::content_type, "text/plain; version=0.0.4");
    r.body() = registry_->Render();
    return exchange->Respond(std::move(r));
  }
  exchange->Respond(Error(MakeHttpError(404, "invalid_request_error", absl::StrCat("no such path: ", path), "unknown_url")));
}

void Gateway::Chat(const std::shared_ptr<HttpExchange>& exchange) {
  auto request = ParseChatCompletionRequest(exchange->request().body(), catalog_);
  if (!request.ok()) return exchange->Respond(Error(ToHttpError(request.status())));
  const size_t bytes = request->chat.ByteSizeLong();
  if (bytes > kMaxChatRequestBytes) {
    return exchange->Respond(Error(MakeHttpError(
        413, "invalid_request_error",
        absl::StrCat("the conversation is ", bytes, " bytes once translated, over the router's limit of ",
                     kMaxChatRequestBytes, " bytes"),
        "request_too_large")));
  }
  const auto auth = exchange->request()[http::field::authorization];
  StartChatCall(*stub_, *std::move(request), std::string(auth.data(), auth.size()), exchange, live_calls_);
}

void Gateway::Models(const std::shared_ptr<HttpExchange>& exchange, absl::string_view id) {
  if (!id.empty()) {
    if (!catalog_.Route(id).ok()) {
      return exchange->Respond(Error(MakeHttpError(404, "invalid_request_error",
                                                   absl::StrCat("The model '", id, "' does not exist"), "model_not_found")));
    }
    return exchange->Respond(JsonResponse(http::status::ok, ModelJson(std::string(id), created_).dump()));
  }
  Json data = Json::array();
  for (const std::string& name : catalog_.Names()) data.push_back(ModelJson(name, created_));
  Json list;
  list["object"] = "list";
  list["data"] = std::move(data);
  exchange->Respond(JsonResponse(http::status::ok, list.dump()));
}

void Gateway::Health(const std::shared_ptr<HttpExchange>& exchange) {
  struct Call {
    grpc::ClientContext context;
    v1::ListWorkersRequest request;
    v1::ListWorkersResponse response;
  };
  auto call = std::make_shared<Call>();
  call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  stub_->async()->ListWorkers(&call->context, &call->request, &call->response, [call, exchange](grpc::Status s) {
    if (!s.ok()) {
      Json body = {{"status", "unavailable"}, {"error", s.error_message()}};
      return exchange->Respond(JsonResponse(http::status::service_unavailable, body.dump()));
    }
    std::map<std::string, int> healthy;  // role -> healthy replicas
    for (const v1::Replica& r : call->response.replicas()) healthy[r.role()] += r.healthy() ? 1 : 0;
    Json pools = Json::object();
    bool all = !healthy.empty();
    for (const auto& [role, n] : healthy) {
      pools[role] = n;
      all = all && n > 0;
    }
    Json body;
    body["status"] = all ? "ok" : "unavailable";
    body["healthy_replicas"] = std::move(pools);
    exchange->Respond(JsonResponse(all ? http::status::ok : http::status::service_unavailable,
                                   body.dump(-1, ' ', false, Json::error_handler_t::replace)));
  });
}

}  // namespace switchyard::gateway
