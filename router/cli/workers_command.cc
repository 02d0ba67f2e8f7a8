#include "router/cli/workers_command.h"

#include <chrono>
#include <string>

#include "absl/strings/str_format.h"
#include "base/command_line.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard workers";
constexpr char kUsage[] = R"(usage: switchyard workers [--router HOST:PORT] [--json] [--timeout-s N]

Lists the router's replicas (default router 127.0.0.1:7700): role, endpoint, health, running
and queued sequences, free KV-cache blocks, last error. --json prints one JSON array instead.
)";

}  // namespace

int RunWorkers(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  CommandLine args({"router", "timeout-s"}, {"json", "help"});
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage, out, err)) return *code;
  if (!args.positional().empty()) return usage(absl::InvalidArgumentError("unexpected argument"));
  auto timeout = args.IntOr("timeout-s", 10, 1, 3600);
  if (!timeout.ok()) return usage(timeout.status());
  const std::string router = args.GetOr("router", "127.0.0.1:7700");
  auto stub = v1::Router::NewStub(grpc::CreateChannel(router, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(*timeout));
  v1::ListWorkersResponse resp;
  const grpc::Status s = stub->ListWorkers(&ctx, v1::ListWorkersRequest(), &resp);
  if (!s.ok()) {
    std::fprintf(err, "%s: %s (is a router running at %s?)\n", kTool, s.error_message().c_str(), router.c_str());
    return 1;
  }
  if (args.Has("json")) {
    nlohmann::json list = nlohmann::json::array();
    for (const v1::Replica& r : resp.replicas()) {
      list.push_back({{"role", r.role()}, {"endpoint", r.endpoint()}, {"healthy", r.healthy()}, {"running", r.running()},
                      {"queued", r.queued()}, {"kv_blocks_free", r.kv_blocks_free()}, {"last_error", r.last_error()}});
    }
    std::fprintf(out, "%s\n", list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::fprintf(out, "%-12s %-24s %-8s %8s %7s %9s  %s\n", "ROLE", "ENDPOINT", "HEALTH", "RUNNING", "QUEUED", "KV FREE",
               "LAST ERROR");
  for (const v1::Replica& r : resp.replicas()) {
    std::fprintf(out, "%-12s %-24s %-8s %8d %7d %9lld  %s\n", r.role().c_str(), r.endpoint().c_str(),
                 r.healthy() ? "ok" : "DOWN", r.running(), r.queued(), static_cast<long long>(r.kv_blocks_free()),
                 r.last_error().c_str());
  }
  return 0;
}

}  // namespace switchyard::cli
