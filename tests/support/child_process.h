// ChildProcess: starts one of our binaries for an integration test, reads its stdout lines
// ("listening 127.0.0.1:PORT", "ready ..."), and kills it when the test ends, so no test
// leaves processes behind.
#ifndef SWITCHYARD_TESTS_SUPPORT_CHILD_PROCESS_H_
#define SWITCHYARD_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::testing {

class ChildProcess {
 public:
  // argv[0] is the program path. stderr goes to `stderr_path` (or the test's stderr if empty).
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                             const std::string& stderr_path = "");
  ~ChildProcess();  // SIGKILL if still running, then reaps

  // The next stdout line starting with `prefix` (the rest of the line), or DeadlineExceeded /
  // NotFound (the process exited first).
  absl::StatusOr<std::string> WaitForLine(const std::string& prefix, std::chrono::milliseconds timeout);
  void Signal(int sig);
  // Waits for exit; the exit status (or 128 + signal), or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

  ChildProcess(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}

 private:
  pid_t pid_;
  int out_fd_;
  std::string buffer_;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_SUPPORT_CHILD_PROCESS_H_
