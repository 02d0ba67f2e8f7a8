// SandboxInit: the code that runs inside the new namespaces, as PID 1 of the sandbox's PID
// namespace. It builds the private filesystem view, starts the program as its only child, and
// exits the moment the program does, which makes the kernel kill every process the program
// left behind (a PID namespace dies with its init).
//
// It runs between clone() and execve() in a copy of a possibly multi-threaded parent, so it
// only makes system calls: everything it needs (paths, argv, the seccomp program) is prepared
// by the parent in an InitPlan, and nothing here allocates.
#ifndef SWITCHYARD_SANDBOX_SANDBOX_INIT_H_
#define SWITCHYARD_SANDBOX_SANDBOX_INIT_H_

#include <linux/filter.h>
#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::sandbox {

// One step in building the new root, in order. Paths are absolute on the host side, so a target
// is under InitPlan::new_root.
struct MountStep {
  enum Kind { kMkdir, kTmpfs, kBindReadOnly, kBindDevice, kSymlink, kWriteFile, kProc };
  Kind kind;
  std::string target;
  std::string source;   // kBind*: host path; kSymlink: the link's value; kWriteFile: the bytes
  std::string options;  // kTmpfs: mount data ("mode=0755,size=...")
};

// Which step failed, sent to the parent with errno. kDone carries the program's wait status.
enum class InitStage : int32_t {
  kDone = 0, kWaitForParent, kMountPrivate, kMountRoot, kMkdir, kTmpfs, kBind, kRemount, kSymlink,
  kWriteFile, kProc, kPivotRoot, kHostname, kFork, kStdio, kDropCapabilities, kSetIds, kRlimit,
  kNoNewPrivs, kSeccomp, kExec, kWait,
};
const char* InitStageName(InitStage stage);

// What the sandbox reports to the parent through the report pipe (atomic: < PIPE_BUF).
struct InitReport {
  InitStage stage;
  int32_t error;        // errno of the failed step
  int32_t wait_status;  // kDone: the program's status from waitpid
};

struct InitPlan {
  int go_fd = -1;      // the parent writes one byte once uid/gid maps and cgroups are set
  int report_fd = -1;  // close-on-exec; InitReport records
  int stdout_fd = -1;
  int stderr_fd = -1;
  std::vector<int> close_fds;  // the parent's ends of the pipes
  std::string new_root;        // a tmpfs is mounted here and becomes "/"
  std::string new_root_options;
  std::vector<MountStep> steps;
  std::string work_dir;  // inside the new root, e.g. "/work"
  uid_t uid = 1000;      // inside the user namespace
  gid_t gid = 1000;
  bool clear_groups = false;  // setgroups(0) (possible only when a privileged parent wrote gid_map)
  std::vector<std::pair<int, rlimit>> rlimits;
  const sock_fprog* seccomp = nullptr;
  std::vector<char*> argv;  // null-terminated, pointing into strings the parent owns
  std::vector<char*> envp;
};

// Never returns: _exit(0) after reporting the program's status, _exit(127) after a failed step.
[[noreturn]] void RunSandboxInit(const InitPlan& plan);

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SANDBOX_INIT_H_
