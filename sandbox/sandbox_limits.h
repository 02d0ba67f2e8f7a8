// SandboxLimits: the resource limits one sandboxed run gets. Plain values; the defaults suit a
// short script from a model's tool call. Sandbox::Run enforces each one (see sandbox.h for how).
#ifndef SWITCHYARD_SANDBOX_SANDBOX_LIMITS_H_
#define SWITCHYARD_SANDBOX_SANDBOX_LIMITS_H_

#include <chrono>
#include <cstdint>

namespace switchyard::sandbox {

struct SandboxLimits {
  // Wall clock from start to the kill of the whole process tree.
  std::chrono::milliseconds timeout{10000};
  // Memory of the whole tree (cgroup) and address space of each process (RLIMIT_AS).
  int64_t memory_bytes = 256LL << 20;
  // RLIMIT_CPU; 0 means "the timeout rounded up, plus one second".
  int64_t cpu_seconds = 0;
  // Processes and threads (cgroup pids.max and RLIMIT_NPROC).
  int64_t max_processes = 64;
  // RLIMIT_FSIZE: the largest file the program may write.
  int64_t max_file_bytes = 16LL << 20;
  // RLIMIT_NOFILE.
  int64_t max_open_files = 64;
  // Bytes of stdout / stderr kept; the rest is read and dropped (the program is not blocked).
  int64_t max_stdout_bytes = 1LL << 20;
  int64_t max_stderr_bytes = 1LL << 20;
  // Size of the tmpfs mounted at /work and at /tmp inside the sandbox.
  int64_t work_dir_bytes = 64LL << 20;
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SANDBOX_LIMITS_H_
