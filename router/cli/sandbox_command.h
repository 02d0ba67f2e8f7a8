// `switchyard sandbox run`: runs a script in the sandbox (sandbox/sandbox.h) and prints one JSON
// object: exit_code, signal, stdout, stderr, truncated, timed_out, killed, kill_reason, wall_ms,
// stdout_total_bytes, stderr_total_bytes, protections (what was in force), limits_hit.
//
//   switchyard sandbox run [--lang python|bash] [--timeout S] [--memory-mb N] FILE
//
// Thread safety: runs on the calling thread; writes only to `out` and `err`.
// Failure modes (exit codes): 0 the sandbox ran (whatever the program did; it is in the JSON);
// 2 bad usage (unknown flag, bad value, unreadable FILE, unknown language); 1 the sandbox itself
// could not run (e.g. the kernel refuses user namespaces), with what to do on stderr.
#ifndef SWITCHYARD_ROUTER_CLI_SANDBOX_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_SANDBOX_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kSandboxSummary[] =
    "run a python or bash script in the sandbox (no network, private files, limits); prints JSON";

// argv[0] is "sandbox"; argv[1] the subcommand ("run"), then the flags.
int RunSandbox(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_SANDBOX_COMMAND_H_
