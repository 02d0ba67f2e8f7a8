#include "router/cli/workers_command.h"

#include <chrono>
#include <cstdint>
#include <optional>
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
and queued sequences, free KV-cache blocks, the prefix cache's blocks (cached/total) and hit
rate (prompt tokens found in it since the worker started; "off" without one), last error.
--json prints one JSON array instead.
)";

// hit / (hit + miss), or nullopt before any prompt token.
std::optional<double> HitRate(const v1::Replica& r) {
  const int64_t all = r.prefix_hit_tokens() + r.prefix_miss_tokens();
  if (all <= 0) return std::nullopt;
  return static_cast<double>(r.prefix_hit_tokens()) / static_cast<double>(all);
}

nlohmann::json ReplicaJson(const v1::Replica& r) {
  const std::optional<double> rate = HitRate(r);
  return {{"role", r.role()},
          {"endpoint", r.endpoint()},
          {"healthy", r.healthy()},
          {"running", r.running()},
          {"queued", r.queued()},
          {"kv_blocks_free", r.kv_blocks_free()},
          {"kv_blocks_total", r.kv_blocks_total()},
          {"kv_blocks_cached", r.kv_blocks_cached()},
          {"prefix_cache", r.prefix_cache()},
          {"prefix_hit_tokens", r.prefix_hit_tokens()},
          {"prefix_miss_tokens", r.prefix_miss_tokens()},
          {"prefix_hit_rate", rate ? nlohmann::json(*rate) : nlohmann::json(nullptr)},
          {"last_error", r.last_error()}};
}

void PrintTable(const v1::ListWorkersResponse& resp, std::FILE* out) {
  std::fprintf(out, "%-12s %-24s %-8s %8s %7s %9s %13s %8s  %s\n", "ROLE", "ENDPOINT", "HEALTH", "RUNNING", "QUEUED",
               "KV FREE", "KV CACHED", "HIT RATE", "LAST ERROR");
  for (const v1::Replica& r : resp.replicas()) {
    std::string cached = "-", rate = "off";
    if (r.prefix_cache()) {
      cached = absl::StrFormat("%d/%d", r.kv_blocks_cached(), r.kv_blocks_total());
      const std::optional<double> hit = HitRate(r);
      rate = hit ? absl::StrFormat("%.1f%%", 100 * *hit) : std::string("-");
    }
    std::fprintf(out, "%-12s %-24s %-8s %8d %7d %9lld %13s %8s  %s\n", r.role().c_str(), r.endpoint().c_str(),
                 r.healthy() ? "ok" : "DOWN", r.running(), r.queued(), static_cast<long long>(r.kv_blocks_free()),
                 cached.c_str(), rate.c_str(), r.last_error().c_str());
  }
}

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
    for (const v1::Replica& r : resp.replicas()) list.push_back(ReplicaJson(r));
    std::fprintf(out, "%s\n", list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  PrintTable(resp, out);
  return 0;
}

}  // namespace switchyard::cli
