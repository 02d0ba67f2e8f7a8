// `switchyard chat`: sends one request to a router and streams the answer, showing the route
// decision first (role, replica, label, confidence, the features that decided).
//
//   switchyard chat [--router HOST:PORT] [--route auto|reasoning|coder|translation]
//                   [--max-tokens N] [--temperature T] [--seed S] [--no-thinking]
//                   [--timeout-s N] [--tools LIST] [--docs FILES] [--max-steps N]
//                   [--tool-choice auto|none|required|TOOL] [--api-key KEY] (TEXT | --interactive)
//
// Reasoning streams dimmed on a terminal (plain elsewhere) before the answer; tool calls are
// printed as they come; with --tools (the router's agent loop) each tool result and each step's
// trace go to stderr as they happen. Exit codes: 0 done, 2 bad usage, 1 the router or a worker failed (the
// message says which and why).
#ifndef SWITCHYARD_ROUTER_CLI_CHAT_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_CHAT_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kChatSummary[] = "send a request through a router and stream the answer, with its route";

int RunChat(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_CHAT_COMMAND_H_
