// switchyard: the project's command-line front door, `switchyard <command> [args]`.
// This file only dispatches; each command lives in its own file (classify_command.h, ...).
// To add a command, add a row to kCommands.
#include <cstdio>
#include <cstring>

#include "router/cli/audit_command.h"
#include "router/cli/chat_command.h"
#include "router/cli/classify_command.h"
#include "router/cli/run_command.h"
#include "router/cli/sandbox_command.h"
#include "router/cli/up_command.h"
#include "router/cli/workers_command.h"

namespace switchyard::cli {
namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, const char* const* argv, std::FILE* out, std::FILE* err);
};

constexpr Command kCommands[] = {
    {"audit", kAuditSummary, &RunAudit},
    {"chat", kChatSummary, &RunChat},
    {"classify", kClassifySummary, &RunClassify},
    {"run", kRunSummary, &RunRun},
    {"sandbox", kSandboxSummary, &RunSandbox},
    {"up", kUpSummary, &RunUp},
    {"workers", kWorkersSummary, &RunWorkers},
};

void PrintHelp(std::FILE* f) {
  std::fputs("usage: switchyard <command> [args]\n\ncommands:\n", f);
  for (const Command& c : kCommands) std::fprintf(f, "  %-12s %s\n", c.name, c.summary);
  std::fputs("\n`switchyard <command> --help` describes a command.\n", f);
}

int Main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    if (argc >= 3 && std::strcmp(argv[1], "help") == 0) {
      for (const Command& c : kCommands) {
        if (std::strcmp(c.name, argv[2]) == 0) {
          const char* sub[] = {c.name, "--help"};
          return c.run(2, sub, stdout, stderr);
        }
      }
    }
    PrintHelp(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Command& c : kCommands) {
    if (std::strcmp(c.name, argv[1]) == 0) return c.run(argc - 1, argv + 1, stdout, stderr);
  }
  std::fprintf(stderr, "switchyard: unknown command '%s'\n\n", argv[1]);
  PrintHelp(stderr);
  return 2;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Main(argc, argv); }
