// ScriptLanguage: the interpreters the sandbox offers, and the SandboxPolicy that runs a script
// file with one of them (`switchyard sandbox run`, the run-code tool).
#ifndef SWITCHYARD_SANDBOX_SCRIPT_LANGUAGE_H_
#define SWITCHYARD_SANDBOX_SCRIPT_LANGUAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sandbox/sandbox_policy.h"

namespace switchyard::sandbox {

enum class ScriptLanguage { kPython, kBash };

// "python" or "bash"; InvalidArgument naming the choices otherwise.
absl::StatusOr<ScriptLanguage> ParseScriptLanguage(absl::string_view name);
// From the file name: .py -> python, .sh/.bash -> bash; InvalidArgument asking for --lang otherwise.
absl::StatusOr<ScriptLanguage> GuessScriptLanguage(absl::string_view path);
// A policy running `source` as /work/main.py or /work/main.sh with the given limits.
SandboxPolicy ScriptPolicy(ScriptLanguage lang, std::string source, const SandboxLimits& limits);

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SCRIPT_LANGUAGE_H_
