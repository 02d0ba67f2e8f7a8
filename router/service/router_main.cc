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
#include <memory>

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

int Run(int argc, char** argv) {
  cli::CommandLine args({"config", "listen", "http-listen", "metrics-listen", "ready-timeout-ms"}, {"help"});
  if (auto s = args.Parse(argc, argv); !s.ok()) return cli::UsageError(kTool, s, kUsage);
  if (args.HelpRequested()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto path = args.Required("config");
  if (!path.ok()) return cli::UsageError(kTool, path.status(), kUsage);
  auto config = LoadRouterConfig(*path);
  if (!config.ok()) {
    std::fprintf(stderr, "%s: %s\n", kTool, std::string(config.status().message()).c_str());
    return 2;
  }
  if (auto l = args.Get("listen")) config->listen = *l;
  if (auto l = args.Get("http-listen")) config->http.listen = *l;
  auto ready_timeout = args.IntOr("ready-timeout-ms", 120000, 0, 3600000);
  if (!ready_timeout.ok()) return cli::UsageError(kTool, ready_timeout.status(), kUsage);
  const std::string model_path = config->classifier_model.empty() ? classify::ShippedModelPath() : config->classifier_model;
  auto classifier = classify::Classifier::Load(model_path);
  if (!classifier.ok()) {
    std::fprintf(stderr, "%s: classifier: %s\n", kTool, std::string(classifier.status().message()).c_str());
    return 1;
  }

  // The policy file: refused at start like the config when it is bad; later a bad edit keeps
  // the old policy (PolicyStore::Reload) and is logged.
  std::unique_ptr<PolicyStore> policy;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<PolicyGate> gate;
  if (!config->policy_file.empty()) {
    auto store = PolicyStore::Open(config->policy_file);
    if (!store.ok()) {
      std::fprintf(stderr, "%s: policy: %s\n", kTool, std::string(store.status().message()).c_str());
      return 2;
    }
    policy = *std::move(store);
    const std::string audit_path = policy->Current()->audit.path;
    if (!audit_path.empty()) {
      auto log = AuditLog::Open(audit_path);
      if (!log.ok()) {
        std::fprintf(stderr, "%s: audit log: %s\n", kTool, std::string(log.status().message()).c_str());
        return 1;
      }
      audit = *std::move(log);
    }
    gate = std::make_unique<PolicyGate>(policy.get(), audit.get());
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto log_reload = [&](const absl::Status& s) {
    if (s.ok()) {
      Log("info", "policy_reloaded", {{"file", policy->path()}, {"generation", policy->generation()}});
    } else {
      Log("error", "policy_reload_refused", {{"file", policy->path()}, {"error", std::string(s.message())}, {"kept", "the previous policy"}});
    }
  };
  std::unique_ptr<PolicyFileWatcher> watcher;
  if (policy) watcher = std::make_unique<PolicyFileWatcher>(*policy, absl::Seconds(1), log_reload);

  // One registry for the process: the router's series, the pools' gauges and the gateway's.
  metrics::Registry registry;
  RouterMetrics router_metrics(registry);
  std::unique_ptr<WorkerPools> pools = WorkerPools::Create(*config);
  router_metrics.WatchPools(*pools);
  pools->Start();
  RouterService service(*config, *classifier, *pools, gate.get(), &router_metrics);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config->listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    Log("error", "listen_failed", {{"address", config->listen}});
    return 1;
  }
  const std::string address = absl::StrCat(config->listen.substr(0, config->listen.rfind(':')), ":", port);
  std::printf("listening %s\n", address.c_str());
  std::fflush(stdout);
  Log("info", "listening", {{"address", address}, {"classifier", model_path}});
  // The HTTP gateway calls this very server, in process: same keys, policy and agent loop.
  std::unique_ptr<gateway::Gateway> http;
  if (!config->http.listen.empty()) {
    auto g = gateway::Gateway::Start(config->http, server->InProcessChannel(grpc::ChannelArguments()), &registry);
    if (!g.ok()) {
      Log("error", "http_listen_failed", {{"address", config->http.listen}, {"error", std::string(g.status().message())}});
      server->Shutdown(std::chrono::system_clock::now());
      return 1;
    }
    http = *std::move(g);
    std::printf("http listening %s\n", http->address().c_str());
    std::fflush(stdout);
    Log("info", "http_listening", {{"address", http->address()}, {"max_body_bytes", config->http.max_body_bytes},
                                   {"read_timeout_ms", config->http.read_timeout_ms}});
  }
  std::unique_ptr<MetricsHttpServer> metrics_http;
  if (auto l = args.Get("metrics-listen")) {
    auto m = MetricsHttpServer::Start(*l, [&registry] { return registry.Render(); });
    if (!m.ok()) {
      Log("error", "metrics_listen_failed", {{"address", *l}, {"error", std::string(m.status().message())}});
      server->Shutdown(std::chrono::system_clock::now());
      return 1;
    }
    metrics_http = *std::move(m);
    std::printf("metrics listening %s\n", metrics_http->address().c_str());
    std::fflush(stdout);
    Log("info", "metrics_listening", {{"address", metrics_http->address()}});
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(*ready_timeout);
  while (!AllPoolsHealthy(*pools, *config) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    pools->CheckAll();
  }
  const bool healthy = AllPoolsHealthy(*pools, *config);
  Log(healthy ? "info" : "warning", "ready", {{"address", address}, {"all_pools_healthy", healthy}});
  std::printf("ready %s\n", address.c_str());
  std::fflush(stdout);

  int sig = 0;
  for (;;) {
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    if (policy) {
      log_reload(policy->Reload());
    } else {
      Log("info", "sighup_ignored", {{"reason", "no policy file in the config"}});
    }
  }
  Log("info", "stopping", {{"signal", sig}});
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  http.reset();  // after the server: its calls in flight have ended and reported
  Log("info", "stopped");
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Run(argc, argv); }
