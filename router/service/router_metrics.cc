#include "router/service/router_metrics.h"

#include <algorithm>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "router/config/router_config.h"
#include "tools/builtin_tools.h"

namespace switchyard {
RouterMetrics::RouterMetrics(metrics::Registry& registry)
    : registry_(registry),
      requests_(registry.AddCounter("switchyard_router_requests_total",
                                    "Chat runs ended, by requested route, serving role and gRPC status.",
                                    {"route", "role", "status"})),
      ttft_(registry.AddHistogram("switchyard_router_time_to_first_token_seconds",
                                  "Seconds from a run's start to the first event from its worker.", {"role"},
                                  metrics::FirstTokenBuckets())),
      duration_(registry.AddHistogram("switchyard_router_request_duration_seconds",
                                      "Seconds from a run's start to its end (every step and tool).", {"role"},
                                      metrics::LatencyBuckets())),
      tokens_(registry.AddCounter("switchyard_router_tokens_total",
                                  "Tokens of model calls made by runs: in (prompt) and out (completion).",
                                  {"role", "direction"})),
      decisions_(registry.AddCounter("switchyard_router_classifier_decisions_total",
                                     "Classifier labels of requests, and whether the client pinned the route.",
                                     {"label", "pinned"})),
      steps_(registry.AddCounter("switchyard_router_agent_steps_total",
                                 "Model calls recorded in runs' traces (delegations included), by role.", {"role"})),
      limits_(registry.AddCounter("switchyard_router_run_limits_total", "Runs ended by a run limit.", {"limit"})),
      tools_(registry.AddCounter("switchyard_router_tool_calls_total", "Router tool calls, by tool and result.",
                                 {"tool", "status"})),
      sandbox_runs_(registry.AddCounter("switchyard_sandbox_runs_total", "run_code sandbox runs, by outcome.",
                                        {"language", "outcome"})),
      worker_up_(registry.AddGauge("switchyard_worker_up", "1 when the replica's last health check passed.",
                                   {"role", "endpoint"})),
      worker_running_(registry.AddGauge("switchyard_worker_running",
                                        "Sequences running on the replica, as it last reported.", {"role", "endpoint"})),
      worker_queued_(registry.AddGauge("switchyard_worker_queued",
                                       "Sequences queued on the replica, as it last reported.", {"role", "endpoint"})),
      worker_kv_cached_(registry.AddGauge("switchyard_worker_kv_blocks_cached",
                                          "KV blocks holding a cached prefix on the replica, as it last reported.",
                                          {"role", "endpoint"})),
      worker_hit_ratio_(registry.AddGauge("switchyard_worker_prefix_hit_ratio",
                                          "Share of prompt tokens the replica's prefix cache supplied since it started.",
                                          {"role", "endpoint"})) {}

void RouterMetrics::RunEnded(absl::string_view route, absl::string_view role, grpc::StatusCode status,
                             double seconds) {
  const absl::string_view r = role.empty() ? "none" : role;
  // The route is the client's text: anything but auto or a role is one value, not a new series.
  const absl::string_view asked = route.empty() || route == "auto" ? "auto" : IsRole(route) ? route : "invalid";
  requests_.With({asked, r, StatusCodeName(status)}).Inc();
  duration_.With({r}).Observe(seconds);
}

void RouterMetrics::FirstToken(absl::string_view role, double seconds) { ttft_.With({role}).Observe(seconds); }

void RouterMetrics::Classified(absl::string_view label, bool pinned) {
  decisions_.With({label, pinned ? "true" : "false"}).Inc();
}

void RouterMetrics::ModelCall(const v1::StepTrace& step) {
  steps_.With({step.role()}).Inc();
  if (step.prompt_tokens() > 0) tokens_.With({step.role(), "in"}).Inc(step.prompt_tokens());
  if (step.completion_tokens() > 0) tokens_.With({step.role(), "out"}).Inc(step.completion_tokens());
}

void RouterMetrics::RunLimit(absl::string_view limit) { limits_.With({limit}).Inc(); }

void RouterMetrics::ToolResult(const v1::ToolResult& result, absl::string_view arguments_json) {
  // The name is the model's: a tool the router does not have is "unknown", not a new series.
  const auto& known = tools::BuiltinToolNames();
  const bool builtin = std::find(known.begin(), known.end(), result.name()) != known.end();
  tools_.With({builtin ? result.name() : "unknown", result.ok() ? "ok" : "error"}).Inc();
  if (result.name() != "run_code") return;
  const nlohmann::json args = nlohmann::json::parse(arguments_json, nullptr, false);
  std::string language = "unknown";
  if (args.is_object() && args.contains("language") && args["language"].is_string()) {
    language = args["language"].get<std::string>();
    // Arguments come from a model: only the languages run_code takes become label values.
    if (language != "python" && language != "bash") language = "unknown";
  }
  sandbox_runs_.With({language, SandboxOutcome(result)}).Inc();
}

void RouterMetrics::WatchPools(WorkerPools& pools) {
  registry_.AddCollector([this, &pools] {
    for (Replica* r : pools.replicas()) {
      const Replica::State s = r->state();
      worker_up_.With({r->role(), r->endpoint()}).Set(s.healthy ? 1 : 0);
      worker_running_.With({r->role(), r->endpoint()}).Set(s.running);
      worker_queued_.With({r->role(), r->endpoint()}).Set(s.queued);
      worker_kv_cached_.With({r->role(), r->endpoint()}).Set(static_cast<double>(s.kv_blocks_cached));
      worker_hit_ratio_.With({r->role(), r->endpoint()}).Set(PrefixHitRatio(s.prefix_hit_tokens, s.prefix_miss_tokens));
    }
  });
}

double PrefixHitRatio(int64_t hit_tokens, int64_t miss_tokens) {
  const int64_t all = hit_tokens + miss_tokens;
  return all > 0 ? static_cast<double>(hit_tokens) / static_cast<double>(all) : 0.0;
}

std::string SandboxOutcome(const v1::ToolResult& result) {
  const nlohmann::json s = nlohmann::json::parse(result.structured_json(), nullptr, false);
  if (!s.is_object()) return "error";  // refused arguments, or the sandbox could not start
  auto flag = [&](const char* key) { return s.contains(key) && s[key].is_boolean() && s[key].get<bool>(); };
  if (flag("timed_out")) return "timeout";
  if (flag("killed")) return "killed";
  const bool zero = s.contains("exit_code") && s["exit_code"].is_number_integer() && s["exit_code"].get<int64_t>() == 0;
  return zero ? "ok" : "nonzero";
}

}  // namespace switchyard
