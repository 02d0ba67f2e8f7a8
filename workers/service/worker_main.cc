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
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

// What the command line asks for, each value checked, except --weights: its default depends on
// the device, and a bad value is reported once the port is bound, where it always was.
struct WorkerFlags {
  std::string role, model_dir, listen;
  int64_t threads = 0, max_batch = 0, max_queue = 0, kv_tokens = 0, step_tokens = 0;
  std::string kv_dtype, activations;
  Device device = Device::kCpu;
  std::optional<std::string> metrics_listen;
  std::string weights;  // ram | mmap, not yet checked
};

// --kv-dtype, --activations and --device, and the CPU-only settings --device cuda refuses.
absl::Status ReadDeviceFlags(const cli::CommandLine& args, WorkerFlags* f) {
  f->kv_dtype = args.GetOr("kv-dtype", "f32");
  if (f->kv_dtype != "f32" && f->kv_dtype != "f16") {
    return absl::InvalidArgumentError(absl::StrCat("--kv-dtype: '", f->kv_dtype, "' (use f32 or f16)"));
  }
  f->activations = args.GetOr("activations", "f32");
  if (f->activations != "f32" && f->activations != "bf16") {
    return absl::InvalidArgumentError(absl::StrCat("--activations: '", f->activations, "' (use f32 or bf16)"));
  }
  auto device = ParseDevice(args.GetOr("device", "cpu"));
  if (!device.ok()) return absl::InvalidArgumentError(absl::StrCat("--device: ", device.status().message()));
  f->device = *device;
  if (f->device == Device::kCuda) {
    if (args.Has("threads")) {
      return absl::InvalidArgumentError("--threads applies to --device cpu only (the CUDA runner runs on the GPU)");
    }
    if (f->activations == "bf16") {
      return absl::InvalidArgumentError("--activations bf16 applies to --device cpu only (the CUDA runner "
                                        "keeps activations f32, through split-bf16 GEMMs)");
    }
  }
  return absl::OkStatus();
}

// The flags after Parse, or the InvalidArgument UsageError prints.
absl::StatusOr<WorkerFlags> ReadFlags(const cli::CommandLine& args) {
  WorkerFlags f;
  auto role = args.Required("role");
  auto dir = args.Required("model");
  auto listen = args.Required("listen");
  for (const absl::Status& s : {role.status(), dir.status(), listen.status()}) {
    if (!s.ok()) return s;
  }
  if (*role != "reasoning" && *role != "coder" && *role != "translation") {
    return absl::InvalidArgumentError(absl::StrCat("--role: '", *role, "' (use reasoning, coder or translation)"));
  }
  f.role = *role;
  f.model_dir = *dir;
  f.listen = *listen;
  auto threads = args.IntOr("threads", 0, 0, 1024);
  auto max_batch = args.IntOr("max-batch", 16, 1, 4096);
  auto max_queue = args.IntOr("max-queue", 64, 0, 1 << 20);
  auto kv_tokens = args.IntOr("kv-cache-tokens", 0, 0, int64_t{1} << 30);
  auto step_tokens = args.IntOr("step-tokens", 256, 1, 1 << 20);
  for (const absl::Status& s : {threads.status(), max_batch.status(), max_queue.status(), kv_tokens.status(), step_tokens.status()}) {
    if (!s.ok()) return s;
  }
  f.threads = *threads;
  f.max_batch = *max_batch;
  f.max_queue = *max_queue;
  f.kv_tokens = *kv_tokens;
  f.step_tokens = *step_tokens;
  if (absl::Status s = ReadDeviceFlags(args, &f); !s.ok()) return s;
  f.metrics_listen = args.Get("metrics-listen");
  f.weights = args.GetOr("weights", f.device == Device::kCuda ? "mmap" : "ram");
  return f;
}

// SIGTERM and SIGINT, blocked in every thread: main takes them with sigwait, no handler runs.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The gRPC server, bound and NOT_SERVING, and the address it really listens on.
struct ListeningServer {
  std::unique_ptr<grpc::Server> server;
  std::string address;  // HOST:PORT with the port the kernel gave
};

// Prints "listening ADDRESS". nullopt (logged) when the address cannot be bound.
std::optional<ListeningServer> StartServer(const WorkerFlags& flags, WorkerService& service) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(flags.listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(64 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    Log("error", "listen_failed", {{"address", flags.listen}, {"hint", "is the port free and the address valid?"}});
    return std::nullopt;
  }
  server->GetHealthCheckService()->SetServingStatus(false);
  const std::string address = absl::StrCat(flags.listen.substr(0, flags.listen.rfind(':')), ":", port);
  std::printf("listening %s\n", address.c_str());
  std::fflush(stdout);
  Log("info", "listening", {{"address", address}, {"role", flags.role}, {"model", flags.model_dir}});
  return ListeningServer{std::move(server), address};
}

// Prints "metrics listening ADDRESS". nullptr (logged) when the address cannot be bound.
std::unique_ptr<MetricsHttpServer> StartMetricsServer(const std::string& listen, metrics::Registry& registry) {
  auto m = MetricsHttpServer::Start(listen, [&registry] { return registry.Render(); });
  if (!m.ok()) {
    Log("error", "metrics_listen_failed", {{"address", listen}, {"error", std::string(m.status().message())}});
    return nullptr;
  }
  std::printf("metrics listening %s\n", (*m)->address().c_str());
  std::fflush(stdout);
  Log("info", "metrics_listening", {{"address", (*m)->address()}});
  return *std::move(m);
}

EngineOptions MakeEngineOptions(const WorkerFlags& flags) {
  EngineOptions eo;
  eo.max_batch = static_cast<int>(flags.max_batch);
  eo.max_queue = static_cast<int>(flags.max_queue);
  eo.kv_blocks = flags.kv_tokens > 0 ? (flags.kv_tokens + eo.block_size - 1) / eo.block_size : 0;
  eo.step_tokens = flags.step_tokens;
  eo.kv_dtype = flags.kv_dtype == "f16" ? DType::kF16 : DType::kF32;
  return eo;
}

DeviceOptions MakeDeviceOptions(const WorkerFlags& flags, const EngineOptions& eo, const LoadedModel& model) {
  DeviceOptions dev;
  dev.device = flags.device;
  dev.cpu.threads = static_cast<int>(flags.threads);
  dev.cpu.bf16_activations = flags.activations == "bf16";
  // A CUDA runner allocates the engine's cache and its largest step on the device now.
  dev.kv_blocks = eo.KvBlocks(model.config().max_position_embeddings);
  dev.block_size = eo.block_size;
  dev.kv_dtype = eo.kv_dtype;
  dev.max_batch_tokens = eo.step_tokens;
  return dev;
}

// What serving needs, in the order it is built and torn down in reverse: the model, its
// tokenizer, the runner on the device, and the engine that schedules requests over it.
struct ServingStack {
  std::unique_ptr<LoadedModel> model;
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<ModelRunner> runner;
  std::unique_ptr<Engine> engine;
};

// nullopt (logged) when a piece fails to load or start.
std::optional<ServingStack> LoadServingStack(const WorkerFlags& flags, const EngineOptions& eo, cli::ProgressBar& bar) {
  ServingStack stack;
  auto model = LoadModel(flags.model_dir, LoadOptions{.progress = bar.Callback(), .prefault = true,
                                                      .memory = flags.weights == "ram" ? WeightMemory::kHugePages : WeightMemory::kMapped});
  if (!model.ok()) {
    Log("error", "model_load_failed", {{"model", flags.model_dir}, {"error", std::string(model.status().message())}});
    return std::nullopt;
  }
  stack.model = *std::move(model);
  auto tok = Tokenizer::Load(stack.model->tokenizer_json_path());
  if (!tok.ok()) {
    Log("error", "tokenizer_load_failed", {{"error", std::string(tok.status().message())}});
    return std::nullopt;
  }
  stack.tokenizer = *std::move(tok);
  auto runner = MakeModelRunner(*stack.model, MakeDeviceOptions(flags, eo, *stack.model));
  if (!runner.ok()) {
    Log("error", "runner_failed", {{"device", std::string(DeviceName(flags.device))}, {"error", std::string(runner.status().message())}});
    return std::nullopt;
  }
  stack.runner = *std::move(runner);
  auto engine = Engine::Create(stack.runner.get(), stack.tokenizer.get(), eo);
  if (!engine.ok()) {
    Log("error", "engine_failed", {{"error", std::string(engine.status().message())}});
    return std::nullopt;
  }
  stack.engine = *std::move(engine);
  return stack;
}

int Run(int argc, char** argv) {
  cli::CommandLine args({"role", "model", "listen", "threads", "max-batch", "max-queue", "kv-cache-tokens", "step-tokens", "weights", "kv-dtype",
                  "activations", "device", "metrics-listen"},
                 {"help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  absl::StatusOr<WorkerFlags> flags = ReadFlags(args);
  if (!flags.ok()) return cli::UsageError(kTool, flags.status(), kUsage);
  // Before binding the port and loading gigabytes of weights: can this binary, on this machine,
  // use the device? (A worker that cannot is not worth routing to, even as NOT_SERVING.)
  if (absl::Status s = CheckDevice(flags->device); !s.ok()) {
    Log("error", "device_unavailable",
        {{"device", std::string(DeviceName(flags->device))},
         {"error", absl::StrCat("--device ", DeviceName(flags->device), ": ", s.message(), "; use --device cpu")}});
    return 1;
  }
  const sigset_t signals = BlockStopSignals();

  const std::string& dir = flags->model_dir;
  const std::string model_name = dir.substr(dir.find_last_of('/') == std::string::npos ? 0 : dir.find_last_of('/') + 1);
  metrics::Registry registry;
  WorkerMetrics worker_metrics(registry);
  WorkerService service(WorkerIdentity{flags->role, model_name, ""}, &worker_metrics);
  std::optional<ListeningServer> listening = StartServer(*flags, service);
  if (!listening) return 1;
  grpc::Server& server = *listening->server;
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  // Before the model loads: a scraper sees the worker (and its load) from the start.
  std::unique_ptr<MetricsHttpServer> metrics_http;
  if (flags->metrics_listen) {
    metrics_http = StartMetricsServer(*flags->metrics_listen, registry);
    if (!metrics_http) {
      server.Shutdown();
      return 1;
    }
  }

  cli::ProgressBar bar;
  if (flags->weights != "ram" && flags->weights != "mmap") {
    return cli::UsageError(kTool, absl::InvalidArgumentError("--weights: use ram or mmap"), kUsage);
  }
  const EngineOptions eo = MakeEngineOptions(*flags);
  std::optional<ServingStack> stack = LoadServingStack(*flags, eo, bar);
  if (!stack) {
    server.Shutdown();
    return 1;
  }
  RequestAdapter adapter(*stack->model, *stack->tokenizer);
  service.SetReady(stack->engine.get(), &adapter);
  health->SetServingStatus(true);
  const EngineStats st = stack->engine->Stats();
  Log("info", "ready", {{"address", listening->address}, {"architecture", stack->model->config().architecture_name},
                        {"params", stack->model->parameter_count()}, {"kv_blocks", st.kv_blocks_total},
                        {"max_batch", eo.max_batch}, {"context", stack->runner->max_context()},
                        {"kv_dtype", flags->kv_dtype}, {"activations", flags->activations},
                        {"device", std::string(DeviceName(flags->device))}});
  std::printf("ready %s\n", listening->address.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  Log("info", "stopping", {{"signal", sig}});
  health->SetServingStatus(false);
  server.Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  metrics_http.reset();  // its scrapes read the engine
  stack->engine.reset();  // cancels what is left and joins the engine thread
  Log("info", "stopped");
  return 0;
}

}  // namespace
}  // namespace switchyard

int main(int argc, char** argv) { return switchyard::Run(argc, argv); }
