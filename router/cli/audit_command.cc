#include "router/cli/audit_command.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "policies/audit_log.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard audit";
constexpr char kUsage[] = R"(usage: switchyard audit verify FILE

Recomputes the hash chain of an audit log written by switchyard-router (the policy file's
audit.path): every line carries the SHA-256 of the line before it.

  intact   prints "FILE: N records, chain intact, last hash H" and exits 0
  broken   prints "FILE:LINE: what is wrong" for the first bad line and exits 1: a line edited
           (the break shows on the line after it), dropped, reordered or duplicated, a torn
           last line, a line that is not an audit record
  exit 2   bad usage, or FILE cannot be read

What no chain can show: lines cut off the end, or the last line edited. Keep the last hash
somewhere else (another system, a ticket) and compare it with a later run's.
)";

// A torn last line is what a crash inside an append leaves; say so, since it is not tampering.
std::string Explain(const std::string& path, const AuditVerifyResult& r) {
  if (r.reason.rfind("truncated last line", 0) == 0) {
    return absl::StrCat(r.reason, "; a crash during an append leaves this, and the router moves the torn line to ",
                        path, ".torn when it next opens the log");
  }
  return r.reason;
}

int Verify(const std::string& path, std::FILE* out, std::FILE* err) {
  absl::StatusOr<AuditVerifyResult> r = VerifyAuditLog(path);
  if (!r.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(r.status().message()).c_str());
    return 2;
  }
  if (!r->ok()) {
    std::fprintf(out, "%s:%lld: %s\n", path.c_str(), static_cast<long long>(r->bad_line), Explain(path, *r).c_str());
    return 1;
  }
  std::fprintf(out, "%s: %lld record%s, chain intact, last hash %s\n", path.c_str(),
               static_cast<long long>(r->good_lines), r->good_lines == 1 ? "" : "s", r->last_hash.c_str());
  return 0;
}

}  // namespace

int RunAudit(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  CommandLine args({}, {"help"});
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage, out, err)) return *code;
  const auto& pos = args.positional();
  if (pos.empty()) return usage(absl::InvalidArgumentError("missing subcommand (verify)"));
  if (pos[0] != "verify") return usage(absl::InvalidArgumentError(absl::StrCat("unknown subcommand '", pos[0], "'")));
  if (pos.size() != 2) {
    return usage(absl::InvalidArgumentError(pos.size() < 2 ? "missing FILE" : "expected exactly one FILE"));
  }
  return Verify(pos[1], out, err);
}

}  // namespace switchyard::cli
