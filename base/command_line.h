// CommandLine: the flags of every switchyard-* tool, read with CLI11 (libcli11-dev).
//
// Flags are GNU-style words (`--max-tokens 16`, `--max-tokens=16`, `--json`), as the tools are
// documented; `--` ends the flags. Each tool declares the flags that take a value and the
// switches; `--help` (and `-h`) is a switch of every tool. Values are read as the tool needs
// them, so every mistake (an unknown flag, a missing value, a repeated flag, a value that is not
// a number or is out of range) becomes an InvalidArgument naming the flag, which the tool prints
// with its usage text through UsageError (exit code 2).
//
//   CommandLine args({"model", "max-tokens"}, {"json"});
//   if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
//   absl::StatusOr<int64_t> n = args.IntOr("max-tokens", 16, 1, 4096);
//   if (!n.ok()) return UsageError(kTool, n.status(), kUsage);
//
// Thread safety: not thread-safe; a command line is read once, in main().
#ifndef SWITCHYARD_BASE_COMMAND_LINE_H_
#define SWITCHYARD_BASE_COMMAND_LINE_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard::cli {

class CommandLine {
 public:
  // `value_flags` take a value; `switch_flags` do not (a switch may also be given as
  // --name=true / --name=false). Names are written without the leading dashes.
  CommandLine(std::vector<std::string> value_flags, std::vector<std::string> switch_flags);

  // InvalidArgument for an unknown flag, a value flag without value, or a repeated flag.
  absl::Status Parse(int argc, const char* const* argv);
  // Parse, answering what every tool answers alike: a mistake prints it with the usage to
  // `err` (UsageError: exit code 2), --help prints the usage to `out` (exit code 0). nullopt:
  // the tool goes on.
  std::optional<int> ParseOrExit(int argc, const char* const* argv, absl::string_view tool, absl::string_view usage,
                                 std::FILE* out = stdout, std::FILE* err = stderr);

  // --help or -h was given.
  bool HelpRequested() const { return Has("help"); }
  bool Has(absl::string_view name) const;
  std::optional<std::string> Get(absl::string_view name) const;
  std::string GetOr(absl::string_view name, absl::string_view fallback) const;
  // InvalidArgument if present but not an integer / number in range.
  absl::StatusOr<int64_t> IntOr(absl::string_view name, int64_t fallback, int64_t min,
                                int64_t max) const;
  absl::StatusOr<double> DoubleOr(absl::string_view name, double fallback) const;
  // Switch given (or --name=true); InvalidArgument for --name=banana.
  absl::StatusOr<bool> Switch(absl::string_view name) const;
  // InvalidArgument "--name is required".
  absl::StatusOr<std::string> Required(absl::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::string> value_flags_;
  std::vector<std::string> switch_flags_;
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Prints "<tool>: <status message>" and the usage to `err`; returns the exit code 2.
int UsageError(absl::string_view tool, const absl::Status& status, absl::string_view usage, std::FILE* err = stderr);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_BASE_COMMAND_LINE_H_
