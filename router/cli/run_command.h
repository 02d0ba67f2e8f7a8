// `switchyard run`: runs a declarative workflow (router/workflows/) through a router.
//
//   switchyard run FILE.yaml [--input KEY=VALUE]... [--router HOST:PORT] [--api-key KEY]
//                  [--timeout-s N] [--check] [--quiet]
//
// Each step calls a model role (Router.Chat, route pinned) or a router tool (Router.CallTool).
// Progress goes to stderr, one logfmt line per step event; the result is one JSON object on
// stdout (workflow_report.h). --check loads the file and the inputs and runs nothing.
//
// Thread safety: runs on the calling thread; writes only to `out` and `err`.
// Exit codes: 0 the workflow succeeded; 1 a step failed (the message names the step and why);
// 2 bad usage, or a workflow file or input that does not load (file, line and key named).
#ifndef SWITCHYARD_ROUTER_CLI_RUN_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_RUN_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kRunSummary[] = "run a workflow file (steps calling roles and tools) through a router";

// argv[0] is "run".
int RunRun(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_RUN_COMMAND_H_
