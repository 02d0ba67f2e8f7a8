// switchyard-router: the gRPC Router over the worker pools of a YAML config.
//
//   switchyard-router --config router.yaml [--listen HOST:PORT] [--http-listen HOST:PORT]
//                     [--metrics-listen HOST:PORT]
//
// Prints "listening ADDRESS" once serving (the real port when 0 was asked), then, with an HTTP
// gateway (the config's `http:` or --http-listen), "http listening ADDRESS", with
// --metrics-listen "metrics listening ADDRESS" (GET /metrics alone, for a router without the
// gateway; the gateway serves the same text), then "ready" once every configured pool has a
// healthy replica (or after --ready-timeout-ms, with a warning). Logs are JSON lines on stderr;
// each Chat run ends with a "chat_done" line whose trace_id the workers' lines share.
// SIGTERM / SIGINT stop it cleanly: in-flight streams get 5 s. With `policy:` in the config,
// SIGHUP or an edit of the policy file reloads it (a bad file is refused and logged; the old
// policy stays).
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "common/json_log.h"
#include "common/metrics/metrics_http_server.h"
#include "common/metrics/registry.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "nlohmann/json.hpp"
#include "policies/audit_log.h"
#include "policies/policy_file_watcher.h"
#include "policies/policy_store.h"
#include "router/classify/classifier.h"
#include "router/classify/shipped_model.h"
#include "router/config/router_config.h"
#include "router/gateway/gateway.h"
#include "router/pools/worker_pools.h"
#include "router/service/policy_gate.h"
#include "router/service/router_metrics.h"
#include "router/service/router_service.h"

namespace switchyard {
namespace {

constexpr char kTool[] = "switchyard-router";
constexpr char kUsage[] =
    "usage: switchyard-router --config FILE.yaml [--listen HOST:PORT] [--http-listen HOST:PORT]\n"
    "         [--metrics-listen HOST:PORT] [--ready-timeout-ms N]\n";

void Log(const char* level, const char* event, nlohmann::json fields = nlohmann::json::object()) {
  metrics::LogLine("router", level, event, std::move(fields));
}

bool AllPoolsHealthy(WorkerPools& pools, const RouterConfig& config) {
  for (const auto& [role, pool] : config.pools) {
    if (!pools.Pick(role).ok()) return false;
  }
  return true;
}

// What the command line and the config file ask for.
struct Options {
  RouterConfig config;
  int64_t ready_timeout_ms = 120000;
  std::optional<std::string> metrics_listen;
  std::string classifier_path;
};

// The options, or the exit code to leave with (usage errors 2, --help 0).
std::variant<Options, int> ParseOptions(int argc, char** argv) {
  cli::CommandLine args({"config", "listen", "http-listen", "metrics-listen", "ready-timeout-ms"}, {"help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto path = args.Required("config");
  if (!path.ok()) return cli::UsageError(kTool, path.status(), kUsage);
  auto ready_timeout = args.IntOr("ready-timeout-ms", 120000, 0, 3600000);
  if (!ready_timeout.ok()) return cli::UsageError(kTool, ready_timeout.status(), kUsage);
  auto config = LoadRouterConfig(*path);
  if (!config.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(config.status().message()).c_str());
    return 2;
  }
  Options o;
  o.config = *std::move(config);
  if (auto l = args.Get("listen")) o.config.listen = *l;
  if (auto l = args.Get("http-listen")) o.config.http.listen = *l;
  o.ready_timeout_ms = *ready_timeout;
  o.metrics_listen = args.Get("metrics-listen");
  o.classifier_path = o.config.classifier_model.empty() ? classify::ShippedModelPath() : o.config.classifier_model;
  return o;
}

// The policy file, its audit log and the gate over both; all null without `policy:`.
struct PolicyStack {
  std::unique_ptr<PolicyStore> store;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<PolicyGate> gate;
};

// Refused at start like the config when it is bad (exit 2; an audit log that cannot be opened
// exits 1); later a bad edit keeps the old policy (PolicyStore::Reload) and is logged.
std::variant<PolicyStack, int> OpenPolicy(const RouterConfig& config) {
  PolicyStack p;
  if (config.policy_file.empty()) return p;
  auto store = PolicyStore::Open(config.policy_file);
  if (!store.ok()) {
    std::fprintf(stderr, "%s: policy: %s\n", kTool, std::string(store.status().message()).c_str());
    return 2;
  }
  p.store = *std::move(store);
  const std::string audit_path = p.store->Current()->audit.path;
  if (!audit_path.empty()) {
    auto log = AuditLog::Open(audit_path);
    if (!log.ok()) {
      std::fprintf(stderr, "%s: audit log: %s\n", kTool, std::string(log.status().message()).c_str());
      return 1;
    }
    p.audit = *std::move(log);
  }
  p.gate = std::make_unique<PolicyGate>(p.store.get(), p.audit.get());
  return p;
}

// The gRPC server on config.listen with the Router service and grpc.health.v1; null (logged)
// when the address cannot be bound. `address` gets HOST:PORT with the real port.
std::unique_ptr<grpc::Server> StartGrpc(const RouterConfig& config, RouterService& service, std::string* address) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    Log("error", "listen_failed", {{"address", config.listen}});
    return nullptr;
  }
  *address = absl::StrCat(config.listen.substr(0, config.listen.rfind(':')), ":", port);
  return server;
}

// The HTTP side: the gateway (which calls `server` in process: same keys, policy and agent
// loop) when the config has `http:`, and GET /metrics alone with --metrics-listen. False
// (logged) when one cannot listen.
struct HttpServers {
  std::unique_ptr<gateway::Gateway> gateway;
  std::unique_ptr<MetricsHttpServer> metrics;
};
bool StartHttp(const Options& o, grpc::Server& server, metrics::Registry& registry, HttpServers* out) {
  const RouterConfig& config = o.config;
  if (!config.http.listen.empty()) {
    auto g = gateway::Gateway::Start(config.http, server.InProcessChannel(grpc::ChannelArguments()), &registry);
    if (!g.ok()) {
      Log("error", "http_listen_failed", {{"address", config.http.listen}, {"error", std::string(g.status().message())}});
      return false;
    }
    out->gateway = *std::move(g);
    std::printf("http listening %s\n", out->gateway->address().c_str());
    std::fflush(stdout);
    Log("info", "http_listening", {{"address", out->gateway->address()}, {"max_body_bytes", config.http.max_body_bytes},
                                   {"read_timeout_ms", config.http.read_timeout_ms}});
  }
  if (o.metrics_listen) {
    auto m = MetricsHttpServer::Start(*o.metrics_listen, [&registry] { return registry.Render(); });
    if (!m.ok()) {
      Log("error", "metrics_listen_failed", {{"address", *o.metrics_listen}, {"error", std::string(m.status().message())}});
      return false;
    }
    out->metrics = *std::move(m);
    std::printf("metrics listening %s\n", out->metrics->address().c_str());
    std::fflush(stdout);
    Log("info", "metrics_listening", {{"address", out->metrics->address()}});
  }
  return true;
}

// Waits until every configured pool has a healthy replica, or the timeout; says "ready" then.
void AnnounceReady(WorkerPools& pools, const Options& o, const std::string& address) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.ready_timeout_ms);
  while (!AllPoolsHealthy(pools, o.config) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    pools.CheckAll();
  }
  const bool healthy = AllPoolsHealthy(pools, o.config);
  Log(healthy ? "info" : "warning", "ready", {{"address", address}, {"all_pools_healthy", healthy}});
  std::printf("ready %s\n", address.c_str());
  std::fflush(stdout);
}

// Until SIGTERM or SIGINT; SIGHUP reloads the policy file. Returns the stopping signal.
int WaitForStop(const sigset_t& signals, PolicyStore* policy, const std::function<void(const absl::Status&)>& log_reload) {
  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) return sig;
    if (policy != nullptr) {
      log_reload(policy->Reload());
    } else {
      Log("info", "sighup_ignored", {{"reason", "no policy file in the config"}});
    }
  }
}

int Run(int argc, char** argv) {
  std::variant<Options, int> parsed = ParseOptions(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const Options& o = std::get<Options>(parsed);
  auto classifier = classify::Classifier::Load(o.classifier_path);
  if (!classifier.ok()) {
    std::fprintf(stderr, "%s: classifier: %s\n", kTool, std::string(classifier.status().message()).c_str());
    return 1;
  }
  std::variant<PolicyStack, int> opened = OpenPolicy(o.config);
  if (const int* code = std::get_if<int>(&opened)) return *code;
  PolicyStack& policy = std::get<PolicyStack>(opened);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto log_reload = [&](const absl::Status& s) {
    if (s.ok()) {
      Log("info", "policy_reloaded", {{"file", policy.store->path()}, {"generation", policy.store->generation()}});
    } else {
      Log("error", "policy_reload_refused",
          {{"file", policy.store->path()}, {"error", std::string(s.message())}, {"kept", "the previous policy"}});
    }
  };
  std::unique_ptr<PolicyFileWatcher> watcher;
  if (policy.store) watcher = std::make_unique<PolicyFileWatcher>(*policy.store, absl::Seconds(1), log_reload);

  // One registry for the process: the router's series, the pools' gauges and the gateway's.
  metrics::Registry registry;
  RouterMetrics router_metrics(registry);
  std::unique_ptr<WorkerPools> pools = WorkerPools::Create(o.config);
  router_metrics.WatchPools(*pools);
  pools->Start();
  RouterService service(o.config, *classifier, *pools, policy.gate.get(), &router_metrics);
  std::string address;
  std::unique_ptr<grpc::Server> server = StartGrpc(o.config, service, &address);
  if (server == nullptr) return 1;
  std::printf("listening %s\n", address.c_str());
  std::fflush(stdout);
  // Per-process salts isolate tenants as well, but restarts and other routers start afresh.
  Log("info", "listening", {{"address", address}, {"classifier", o.classifier_path},
                            {"cache_salt_secret", service.cache_salts().configured() ? "configured" : "per_process"}});
  HttpServers http;
  if (!StartHttp(o, *server, registry, &http)) {
    server->Shutdown(std::chrono::system_clock::now());
    return 1;
  }
  AnnounceReady(*pools, o, address);

  const int sig = WaitForStop(signals, policy.store.get(), log_reload);
  Log("info", "stopping", {{"signal", sig}});
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  http.gateway.reset();  // after the server: its calls in flight have ended and reported
  Log("info", "stopped");
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Run(argc, argv); }
