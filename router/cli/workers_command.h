// `switchyard workers`: the router's pools and replicas as a table — role, endpoint, health,
// running and queued sequences, free KV blocks, the prefix cache's occupancy (cached of all
// blocks) and hit rate, and the last error — from Router.ListWorkers.
//
//   switchyard workers [--router HOST:PORT] [--json]
//
// Exit codes: 0 listed (even with unhealthy replicas: the table says so), 1 the router cannot
// be reached, 2 bad usage.
#ifndef SWITCHYARD_ROUTER_CLI_WORKERS_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_WORKERS_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kWorkersSummary[] = "the router's pools and replicas: health, load, KV and prefix cache";

int RunWorkers(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_WORKERS_COMMAND_H_
