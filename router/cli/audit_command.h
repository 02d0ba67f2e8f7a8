// `switchyard audit verify FILE`: checks an audit log's hash chain (policies/audit_log.h) without
// a running router, e.g. from cron or before archiving a log.
//
//   intact:  "FILE: N records, chain intact, last hash H" on stdout, exit 0
//   broken:  "FILE:LINE: what is wrong" on stdout for the first bad line (an edited, dropped,
//            reordered or duplicated line, a torn last line, a line that is not JSON), exit 1
//   exit 2:  bad usage, or FILE cannot be read (message on stderr)
//
// Thread safety: runs on the calling thread; writes only to `out` and `err`.
#ifndef SWITCHYARD_ROUTER_CLI_AUDIT_COMMAND_H_
#define SWITCHYARD_ROUTER_CLI_AUDIT_COMMAND_H_

#include <cstdio>

namespace switchyard::cli {

inline constexpr char kAuditSummary[] = "verify an audit log's hash chain (audit verify FILE)";

// argv[0] is "audit"; the subcommand and its arguments follow.
int RunAudit(int argc, const char* const* argv, std::FILE* out, std::FILE* err);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_ROUTER_CLI_AUDIT_COMMAND_H_
