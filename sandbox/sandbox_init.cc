#include "sandbox/sandbox_init.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace switchyard::sandbox {
namespace {

constexpr const char* kStageNames[] = {
    "done", "wait for parent", "make mounts private", "mount new root", "mkdir", "mount tmpfs",
    "bind mount", "remount read-only", "symlink", "write file", "mount /proc", "pivot_root", "sethostname",
    "fork", "set up stdio", "drop capabilities", "set uid/gid", "setrlimit", "no_new_privs", "seccomp",
    "execve", "waitpid",
};

void Report(int report_fd, InitStage stage, int error, int wait_status = 0) {
  const InitReport r{stage, error, wait_status};
  ssize_t n;
  do {
    n = ::write(report_fd, &r, sizeof(r));
  } while (n < 0 && errno == EINTR);
}

[[noreturn]] void Fail(int report_fd, InitStage stage) {
  Report(report_fd, stage, errno);
  _exit(127);
}

// statvfs flags -> mount flags that a remount inside a user namespace must keep (the kernel
// refuses to clear "locked" flags the host set).
unsigned long LockedFlags(const char* path) {
  struct statvfs st;
  if (::statvfs(path, &st) != 0) return 0;
  unsigned long flags = 0;
  if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

bool BindReadOnly(const MountStep& s, bool device) {
  if (::mount(s.source.c_str(), s.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return false;
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | LockedFlags(s.target.c_str());
  if (!device) flags |= MS_NODEV;
  return ::mount(nullptr, s.target.c_str(), nullptr, flags, nullptr) == 0;
}

void RunStep(const InitPlan& plan, const MountStep& s) {
  switch (s.kind) {
    case MountStep::kMkdir:
      if (::mkdir(s.target.c_str(), 0755) != 0 && errno != EEXIST) Fail(plan.report_fd, InitStage::kMkdir);
      return;
    case MountStep::kTmpfs:
      if (::mkdir(s.target.c_str(), 0755) != 0 && errno != EEXIST) Fail(plan.report_fd, InitStage::kMkdir);
      if (::mount("tmpfs", s.target.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, s.options.c_str()) != 0) {
        Fail(plan.report_fd, InitStage::kTmpfs);
      }
      return;
    case MountStep::kBindReadOnly:
    case MountStep::kBindDevice: {
      struct stat st;
      if (::stat(s.source.c_str(), &st) != 0) Fail(plan.report_fd, InitStage::kBind);
      if (S_ISDIR(st.st_mode)) {
        if (::mkdir(s.target.c_str(), 0755) != 0 && errno != EEXIST) Fail(plan.report_fd, InitStage::kMkdir);
      } else {
        const int fd = ::open(s.target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) Fail(plan.report_fd, InitStage::kBind);
        ::close(fd);
      }
      if (!BindReadOnly(s, s.kind == MountStep::kBindDevice)) Fail(plan.report_fd, InitStage::kBind);
      return;
    }
    case MountStep::kSymlink:
      if (::symlink(s.source.c_str(), s.target.c_str()) != 0) Fail(plan.report_fd, InitStage::kSymlink);
      return;
    case MountStep::kWriteFile: {
      const int fd = ::open(s.target.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0) Fail(plan.report_fd, InitStage::kWriteFile);
      size_t done = 0;
      while (done < s.source.size()) {
        const ssize_t n = ::write(fd, s.source.data() + done, s.source.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) Fail(plan.report_fd, InitStage::kWriteFile);
        done += static_cast<size_t>(n);
      }
      ::close(fd);
      return;
    }
    case MountStep::kProc:
      if (::mkdir(s.target.c_str(), 0555) != 0 && errno != EEXIST) Fail(plan.report_fd, InitStage::kMkdir);
      // A /proc for the sandbox's own PID namespace. Some container hosts forbid it (masked
      // /proc); the program then runs without one, which hides more, not less.
      ::mount("proc", s.target.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
      return;
  }
}

void CloseFrom(int first) {
  if (::syscall(SYS_close_range, first, ~0U, 0) == 0) return;
  const long max = ::sysconf(_SC_OPEN_MAX);
  for (int fd = first; fd < (max > 0 ? max : 1024); ++fd) ::close(fd);
}

// The program's process: stdio, identity, limits, filter, exec. Never returns.
[[noreturn]] void StartProgram(const InitPlan& plan) {
  // Keep the report pipe at fd 3 (close-on-exec) and close everything else we inherited.
  if (plan.report_fd != 3 && ::dup3(plan.report_fd, 3, O_CLOEXEC) < 0) Fail(plan.report_fd, InitStage::kStdio);
  const int report = 3;
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(plan.stdout_fd, 1) < 0 || ::dup2(plan.stderr_fd, 2) < 0) {
    Fail(report, InitStage::kStdio);
  }
  CloseFrom(4);
  if (::chdir(plan.work_dir.c_str()) != 0) Fail(report, InitStage::kStdio);
  // Empty the bounding set while we still hold CAP_SETPCAP: nothing exec'd later can regain a
  // capability, even through a file capability.
  for (int cap = 0; cap <= 63; ++cap) {
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) Fail(report, InitStage::kDropCapabilities);
  }
  for (const auto& [resource, limit] : plan.rlimits) {
    if (::setrlimit(static_cast<__rlimit_resource>(resource), &limit) != 0) Fail(report, InitStage::kRlimit);
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) Fail(report, InitStage::kNoNewPrivs);
  if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, plan.seccomp, 0, 0) != 0) Fail(report, InitStage::kSeccomp);
  ::execve(plan.argv[0], plan.argv.data(), plan.envp.data());
  Fail(report, InitStage::kExec);
}

}  // namespace

const char* InitStageName(InitStage stage) {
  const auto i = static_cast<size_t>(stage);
  return i < std::size(kStageNames) ? kStageNames[i] : "unknown";
}

void RunSandboxInit(const InitPlan& plan) {
  for (int fd : plan.close_fds) ::close(fd);
  char go = 0;
  ssize_t n;
  do {
    n = ::read(plan.go_fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) _exit(127);  // the parent gave up (and reports why itself)
  ::close(plan.go_fd);

  // Become the mapped uid/gid now: our inherited ids may be unmapped in the namespace (a root
  // caller's are), and nothing can be created under an unmapped id. The namespace's capabilities
  // stay (no uid here is the namespace's root), and the uid being non-zero is what drops them
  // all at the program's execve.
  //
  // Raw system calls, not glibc's wrappers, here and for the fork below: this process is a
  // clone of one thread of a multi-threaded caller, and glibc still lists the caller's other
  // threads. Its setgroups/setresuid/setresgid signal every listed thread and wait for each one
  // still being created (forever: none of them exists here); its fork takes locks those threads
  // may have held at the clone.
  if (plan.clear_groups && ::syscall(SYS_setgroups, 0, nullptr) != 0) Fail(plan.report_fd, InitStage::kSetIds);
  if (::syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0 ||
      ::syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) {
    Fail(plan.report_fd, InitStage::kSetIds);
  }

  // Nothing we mount may propagate back to the host.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) Fail(plan.report_fd, InitStage::kMountPrivate);
  if (::mount("tmpfs", plan.new_root.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, plan.new_root_options.c_str()) != 0) {
    Fail(plan.report_fd, InitStage::kMountRoot);
  }
  for (const MountStep& s : plan.steps) RunStep(plan, s);
  // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves no way back.
  if (::chdir(plan.new_root.c_str()) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0 ||
      ::umount2(".", MNT_DETACH) != 0 || ::chdir("/") != 0) {
    Fail(plan.report_fd, InitStage::kPivotRoot);
  }
  if (::mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
    Fail(plan.report_fd, InitStage::kRemount);
  }
  if (::sethostname("sandbox", 7) != 0) Fail(plan.report_fd, InitStage::kHostname);

  const pid_t program = static_cast<pid_t>(::syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (program < 0) Fail(plan.report_fd, InitStage::kFork);
  if (program == 0) StartProgram(plan);
  ::close(plan.stdout_fd);
  ::close(plan.stderr_fd);
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid == program) {
      Report(plan.report_fd, InitStage::kDone, 0, status);
      _exit(0);  // takes every leftover process in the namespace with it
    }
    if (pid < 0 && errno != EINTR) Fail(plan.report_fd, InitStage::kWait);
  }
}

}  // namespace switchyard::sandbox
