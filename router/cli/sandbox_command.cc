#include "router/cli/sandbox_command.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "nlohmann/json.hpp"
#include "sandbox/sandbox.h"
#include "sandbox/script_language.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard sandbox";
constexpr char kUsage[] = R"(usage: switchyard sandbox run [--lang python|bash] [--timeout S] [--memory-mb N] FILE

Runs FILE in the sandbox: no network, a private read-only view of the system with a fresh /work,
its own PID namespace, seccomp, rlimits and cgroup limits where the machine offers them, a
wall-clock timeout that kills every process it started, stdout and stderr capped at 1 MiB each.
Prints one JSON object: exit_code, signal, stdout, stderr, truncated, timed_out, killed,
kill_reason, wall_ms, stdout_total_bytes, stderr_total_bytes, protections, limits_hit.

  --lang L        python or bash (default: from FILE's extension, .py or .sh)
  --timeout S     wall-clock seconds before the whole process tree is killed (default 10)
  --memory-mb N   memory for the whole tree, MiB (default 256)

Exit status: 0 when the sandbox ran (the program's own status is in the JSON), 2 for bad usage,
1 when the sandbox could not be set up (the reason is printed on stderr).
)";

}  // namespace

int RunSandbox(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsage, out);
    return 0;
  }
  if (argc < 2 || std::strcmp(argv[1], "run") != 0) {
    return usage(absl::InvalidArgumentError(argc < 2 ? "missing subcommand 'run'"
                                                     : absl::StrCat("unknown subcommand '", argv[1], "'")));
  }
  CommandLine args({"lang", "timeout", "memory-mb"}, {"help"});
  if (std::optional<int> code = args.ParseOrExit(argc - 1, argv + 1, kTool, kUsage, out, err)) return *code;
  auto timeout = args.DoubleOr("timeout", 10.0);
  auto memory_mb = args.IntOr("memory-mb", 256, 16, 1 << 20);
  for (const absl::Status& s : {timeout.status(), memory_mb.status()}) {
    if (!s.ok()) return usage(s);
  }
  if (!(*timeout > 0 && *timeout <= 3600)) {
    return usage(absl::InvalidArgumentError("--timeout must be a number of seconds in (0, 3600]"));
  }
  if (args.positional().size() != 1) {
    return usage(absl::InvalidArgumentError(args.positional().empty() ? "missing FILE" : "expected exactly one FILE"));
  }
  const std::string path = args.positional()[0];
  absl::StatusOr<sandbox::ScriptLanguage> lang =
      args.Has("lang") ? sandbox::ParseScriptLanguage(*args.Get("lang")) : sandbox::GuessScriptLanguage(path);
  if (!lang.ok()) return usage(lang.status());
  absl::StatusOr<std::string> source = ReadFile(path);
  if (!source.ok()) return usage(source.status());

  sandbox::SandboxLimits limits;
  limits.timeout = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(*timeout * 1000)));
  limits.memory_bytes = *memory_mb << 20;
  absl::StatusOr<sandbox::SandboxResult> result =
      sandbox::Sandbox::Run(sandbox::ScriptPolicy(*lang, *source, limits));
  if (!result.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(result.status().message()).c_str());
    return 1;
  }
  const std::string json =
      sandbox::ToJson(*result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(out, "%s\n", json.c_str());
  return 0;
}

}  // namespace switchyard::cli
