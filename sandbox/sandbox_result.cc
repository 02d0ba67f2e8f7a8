#include "sandbox/sandbox_result.h"

namespace switchyard::sandbox {

nlohmann::json ToJson(const SandboxResult& r) {
  nlohmann::json j = nlohmann::json::object();
  j["exit_code"] = r.exit_code;
  j["signal"] = r.signal;
  j["stdout"] = r.stdout_bytes;
  j["stderr"] = r.stderr_bytes;
  j["stdout_total_bytes"] = r.stdout_total;
  j["stderr_total_bytes"] = r.stderr_total;
  j["truncated"] = r.truncated;
  j["timed_out"] = r.timed_out;
  j["killed"] = r.killed;
  j["kill_reason"] = r.killed ? nlohmann::json(r.kill_reason) : nlohmann::json(nullptr);
  j["wall_ms"] = r.wall_ms;
  j["protections"] = r.protections;
  j["limits_hit"] = r.limits_hit;
  return j;
}

}  // namespace switchyard::sandbox
