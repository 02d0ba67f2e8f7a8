// switchyard-worker: hosts one Qwen3 model and serves switchyard.v1.Worker over gRPC.
//
//   switchyard-worker --role coder --model DIR --listen 127.0.0.1:7801 [--device cpu|cuda]
//                     [--threads N] [--max-batch N] [--max-queue N] [--kv-cache-tokens N]
//                     [--kv-dtype f32|f16] [--activations f32|bf16] [--metrics-listen HOST:PORT]
//
// --device cuda is checked before the port is bound or the model loaded: a binary built without
// CUDA, or a machine without a usable GPU, exits 1 at once with the reason. CPU-only settings
// (--threads, --activations bf16) are refused with it (exit 2) rather than silently ignored.
// The server starts first and answers health checks with NOT_SERVING while the model loads,
// then SERVING. Prints "listening ADDRESS" (the real port when 0 was asked), with
// --metrics-listen "metrics listening ADDRESS" (Prometheus text at GET /metrics,
// worker_metrics.h), and later "ready". Logs are JSON lines on stderr, one "request_done" per
// Generate call with the router's trace id.
// SIGTERM / SIGINT: health goes NOT_SERVING, in-flight streams get 5 s to finish, then exit 0.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "base/progress_bar.h"
#include "common/json_log.h"
#include "common/metrics/metrics_http_server.h"
#include "common/metrics/registry.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "nlohmann/json.hpp"
#include "workers/engine/model/model_loader.h"
#include "workers/engine/runtime/model_runner_factory.h"
#include "workers/engine/sched/engine.h"
#include "workers/engine/tokenizer/tokenizer.h"
#include "workers/service/request_adapter.h"
#include "workers/service/worker_metrics.h"
#include "workers/service/worker_service.h"

namespace switchyard {
namespace {

constexpr char kTool[] = "switchyard-worker";
constexpr char kUsage[] =
    "usage: switchyard-worker --role reasoning|coder|translation --model DIR --listen HOST:PORT\n"
    "         [--device cpu|cuda]   (cuda: the first visible GPU, weights resident there; default cpu)\n"
    "         [--threads N] [--max-batch N] [--max-queue N] [--kv-cache-tokens N] [--step-tokens N]\n"
    "         [--weights ram|mmap]   (ram: a private copy on huge pages, faster CPU decode; the default\n"
    "                                 on cpu; mmap on cuda, where the weights are copied to the GPU once)\n"
    "         [--kv-dtype f32|f16]   (f16: half the memory per cached token, keys and values rounded)\n"
    "         [--activations f32|bf16]   (bf16: bf16 weights' products on activations rounded to bf16,\n"
    "                                     as llama.cpp does; faster batches and prompts on AVX512_BF16 CPUs)\n"
    "         [--metrics-listen HOST:PORT]   (Prometheus text at GET /metrics)\n"
    "--threads and --activations bf16 are CPU settings: --device cuda refuses them.\n";

// One JSON object per line on stderr: {"ts":..., "level":..., "event":..., ...}.
void Log(const char* level, const char* event, nlohmann::json fields = nlohmann::json::object()) {
  metrics::LogLine("worker", level, event, std::move(fields));
}

int Run(int argc, char** argv) {
  cli::CommandLine args({"role", "model", "listen", "threads", "max-batch", "max-queue", "kv-cache-tokens", "step-tokens", "weights", "kv-dtype",
                  "activations", "device", "metrics-listen"},
                 {"help"});
  if (auto s = args.Parse(argc, argv); !s.ok()) return cli::UsageError(kTool, s, kUsage);
  if (args.HelpRequested()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto role = args.Required("role");
  auto dir = args.Required("model");
  auto listen = args.Required("listen");
  for (const absl::Status& s : {role.status(), dir.status(), listen.status()}) {
    if (!s.ok()) return cli::UsageError(kTool, s, kUsage);
  }
  if (*role != "reasoning" && *role != "coder" && *role != "translation") {
    return cli::UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--role: '", *role, "' (use reasoning, coder or translation)")), kUsage);
  }
  auto threads = args.IntOr("threads", 0, 0, 1024);
  auto max_batch = args.IntOr("max-batch", 16, 1, 4096);
  auto max_queue = args.IntOr("max-queue", 64, 0, 1 << 20);
  auto kv_tokens = args.IntOr("kv-cache-tokens", 0, 0, int64_t{1} << 30);
  auto step_tokens = args.IntOr("step-tokens", 256, 1, 1 << 20);
  for (const absl::Status& s : {threads.status(), max_batch.status(), max_queue.status(), kv_tokens.status(), step_tokens.status()}) {
    if (!s.ok()) return cli::UsageError(kTool, s, kUsage);
  }
  const std::string kv_dtype = args.GetOr("kv-dtype", "f32");
  if (kv_dtype != "f32" && kv_dtype != "f16") {
    return cli::UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--kv-dtype: '", kv_dtype, "' (use f32 or f16)")), kUsage);
  }
  const std::string activations = args.GetOr("activations", "f32");
  if (activations != "f32" && activations != "bf16") {
    return cli::UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--activations: '", activations, "' (use f32 or bf16)")),
                           kUsage);
  }
  auto device = ParseDevice(args.GetOr("device", "cpu"));
  if (!device.ok()) {
    return cli::UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--device: ", device.status().message())), kUsage);
  }
  if (*device == Device::kCuda) {
    if (args.Has("threads")) {
      return cli::UsageError(
          kTool, absl::InvalidArgumentError("--threads applies to --device cpu only (the CUDA runner runs on the GPU)"), kUsage);
    }
    if (activations == "bf16") {
      return cli::UsageError(kTool,
                             absl::InvalidArgumentError("--activations bf16 applies to --device cpu only (the CUDA runner "
                                                        "keeps activations f32, through split-bf16 GEMMs)"),
                             kUsage);
    }
  }
  // Before binding the port and loading gigabytes of weights: can this binary, on this machine,
  // use the device? (A worker that cannot is not worth routing to, even as NOT_SERVING.)
  if (absl::Status s = CheckDevice(*device); !s.ok()) {
    Log("error", "device_unavailable",
        {{"device", std::string(DeviceName(*device))},
         {"error", absl::StrCat("--device ", DeviceName(*device), ": ", s.message(), "; use --device cpu")}});
    return 1;
  }

  // Signals are taken by a sigwait in main, never by handlers in other threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string model_name = dir->substr(dir->find_last_of('/') == std::string::npos ? 0 : dir->find_last_of('/') + 1);
  metrics::Registry registry;
  WorkerMetrics worker_metrics(registry);
  WorkerService service(WorkerIdentity{*role, model_name, ""}, &worker_metrics);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(*listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(64 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    Log("error", "listen_failed", {{"address", *listen}, {"hint", "is the port free and the address valid?"}});
    return 1;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(false);
  const std::string address = absl::StrCat(listen->substr(0, listen->rfind(':')), ":", port);
  std::printf("listening %s\n", address.c_str());
  std::fflush(stdout);
  Log("info", "listening", {{"address", address}, {"role", *role}, {"model", *dir}});
  // Before the model loads: a scraper sees the worker (and its load) from the start.
  std::unique_ptr<MetricsHttpServer> metrics_http;
  if (auto l = args.Get("metrics-listen")) {
    auto m = MetricsHttpServer::Start(*l, [&registry] { return registry.Render(); });
    if (!m.ok()) {
      Log("error", "metrics_listen_failed", {{"address", *l}, {"error", std::string(m.status().message())}});
      server->Shutdown();
      return 1;
    }
    metrics_http = *std::move(m);
    std::printf("metrics listening %s\n", metrics_http->address().c_str());
    std::fflush(stdout);
    Log("info", "metrics_listening", {{"address", metrics_http->address()}});
  }

  cli::ProgressBar bar;
  const std::string weights = args.GetOr("weights", *device == Device::kCuda ? "mmap" : "ram");
  if (weights != "ram" && weights != "mmap") {
    return cli::UsageError(kTool, absl::InvalidArgumentError("--weights: use ram or mmap"), kUsage);
  }
  auto model = LoadModel(*dir, LoadOptions{.progress = bar.Callback(), .prefault = true,
                                           .memory = weights == "ram" ? WeightMemory::kHugePages : WeightMemory::kMapped});
  if (!model.ok()) {
    Log("error", "model_load_failed", {{"model", *dir}, {"error", std::string(model.status().message())}});
    server->Shutdown();
    return 1;
  }
  auto tok = Tokenizer::Load((*model)->tokenizer_json_path());
  if (!tok.ok()) {
    Log("error", "tokenizer_load_failed", {{"error", std::string(tok.status().message())}});
    server->Shutdown();
    return 1;
  }
  EngineOptions eo;
  eo.max_batch = static_cast<int>(*max_batch);
  eo.max_queue = static_cast<int>(*max_queue);
  eo.kv_blocks = *kv_tokens > 0 ? (*kv_tokens + eo.block_size - 1) / eo.block_size : 0;
  eo.step_tokens = *step_tokens;
  eo.kv_dtype = kv_dtype == "f16" ? DType::kF16 : DType::kF32;
  DeviceOptions dev;
  dev.device = *device;
  dev.cpu.threads = static_cast<int>(*threads);
  dev.cpu.bf16_activations = activations == "bf16";
  // A CUDA runner allocates the engine's cache and its largest step on the device now.
  dev.kv_blocks = eo.KvBlocks((*model)->config().max_position_embeddings);
  dev.block_size = eo.block_size;
  dev.kv_dtype = eo.kv_dtype;
  dev.max_batch_tokens = eo.step_tokens;
  auto runner = MakeModelRunner(**model, dev);
  if (!runner.ok()) {
    Log("error", "runner_failed", {{"device", std::string(DeviceName(*device))}, {"error", std::string(runner.status().message())}});
    server->Shutdown();
    return 1;
  }
  auto engine = Engine::Create(runner->get(), tok->get(), eo);
  if (!engine.ok()) {
    Log("error", "engine_failed", {{"error", std::string(engine.status().message())}});
    server->Shutdown();
    return 1;
  }
  RequestAdapter adapter(**model, **tok);
  service.SetReady(engine->get(), &adapter);
  health->SetServingStatus(true);
  const EngineStats st = (*engine)->Stats();
  Log("info", "ready", {{"address", address}, {"architecture", (*model)->config().architecture_name},
                        {"params", (*model)->parameter_count()}, {"kv_blocks", st.kv_blocks_total},
                        {"max_batch", eo.max_batch}, {"context", (*runner)->max_context()},
                        {"kv_dtype", kv_dtype}, {"activations", activations}, {"device", std::string(DeviceName(*device))}});
  std::printf("ready %s\n", address.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  Log("info", "stopping", {{"signal", sig}});
  health->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  metrics_http.reset();  // its scrapes read the engine
  engine->reset();  // cancels what is left and joins the engine thread
  Log("info", "stopped");
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Run(argc, argv); }
