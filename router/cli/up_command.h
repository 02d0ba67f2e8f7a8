// `switchyard up`: the local cluster in one command. Makes tiny random-weight models once
// (cached in --models DIR), starts one worker per role and a router over them on loopback,
// prints "ready grpc=HOST:PORT" when all are healthy, and on Ctrl-C or SIGTERM stops
// everything (children also die with it if it is killed outright: no orphans).
//
//   switchyard up [--grpc-port 7700] [--http-port 7701] [--models DIR] [--threads N]
//
// Exit codes: 0 stopped cleanly, 2 bad usage, 1 something failed to start (the message names
// it and the log file to read).
#ifndef SWITCHYARD_ROUTER_CLI_UP_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_UP_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kUpSummary[] = "start a local cluster: one worker per role and a router, on tiny models";

int RunUp(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_UP_COMMAND_H_
