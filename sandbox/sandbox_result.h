// SandboxResult: what one sandboxed run did, and which protections were in force while it ran.
#ifndef SWITCHYARD_SANDBOX_SANDBOX_RESULT_H_
#define SWITCHYARD_SANDBOX_SANDBOX_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace switchyard::sandbox {

struct SandboxResult {
  // The program's exit status, or 128 + signal when a signal ended it (as a shell reports it).
  int exit_code = 0;
  int signal = 0;  // 0 unless a signal ended the program
  std::string stdout_bytes;
  std::string stderr_bytes;
  int64_t stdout_total = 0;  // bytes the program wrote, kept or not
  int64_t stderr_total = 0;
  bool truncated = false;  // stdout or stderr went over its cap
  bool timed_out = false;
  // Set when the sandbox (or the kernel, for a limit) ended the program: "timeout",
  // "memory_limit", "cpu_limit", "file_size_limit", or "signal SIGxxx" for any other signal.
  bool killed = false;
  std::string kill_reason;
  int64_t wall_ms = 0;
  // Protections in force, e.g. "user_namespace", "seccomp", "cgroup_v1_memory" (see sandbox.h).
  std::vector<std::string> protections;
  // Limits the program ran into, from the cgroup counters: "memory", "pids".
  std::vector<std::string> limits_hit;
};

// {"exit_code", "signal", "stdout", "stderr", "stdout_total_bytes", "stderr_total_bytes",
//  "truncated", "timed_out", "killed", "kill_reason" (null when not killed), "wall_ms",
//  "protections", "limits_hit"}. Bytes that are not UTF-8 become U+FFFD when dumped.
nlohmann::json ToJson(const SandboxResult& r);

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SANDBOX_RESULT_H_
