#include "sandbox/script_language.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace switchyard::sandbox {

absl::StatusOr<ScriptLanguage> ParseScriptLanguage(absl::string_view name) {
  if (name == "python") return ScriptLanguage::kPython;
  if (name == "bash") return ScriptLanguage::kBash;
  return absl::InvalidArgumentError(absl::StrCat("unknown language '", name, "' (choose python or bash)"));
}

absl::StatusOr<ScriptLanguage> GuessScriptLanguage(absl::string_view path) {
  if (absl::EndsWith(path, ".py")) return ScriptLanguage::kPython;
  if (absl::EndsWith(path, ".sh") || absl::EndsWith(path, ".bash")) return ScriptLanguage::kBash;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot tell the language of '", path, "' from its name; pass --lang python or --lang bash"));
}

SandboxPolicy ScriptPolicy(ScriptLanguage lang, std::string source, const SandboxLimits& limits) {
  SandboxPolicy p;
  p.limits = limits;
  p.program_bytes = std::move(source);
  switch (lang) {
    case ScriptLanguage::kPython:
      p.program_name = "main.py";
      // -I: ignore PYTHON* variables and the user site directory.
      p.argv = {"/usr/bin/python3", "-I", "/work/main.py"};
      break;
    case ScriptLanguage::kBash:
      p.program_name = "main.sh";
      p.argv = {"/bin/bash", "/work/main.sh"};
      break;
  }
  return p;
}

}  // namespace switchyard::sandbox
