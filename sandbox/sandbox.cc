#include "sandbox/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/unique_fd.h"
#include "sandbox/cgroup_limits.h"
#include "sandbox/output_capture.h"
#include "sandbox/sandbox_init.h"
#include "sandbox/seccomp_filter.h"

namespace switchyard::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kNewRoot[] = "/tmp";  // hidden by the tmpfs that becomes the sandbox's root
constexpr char kWorkDir[] = "/work";
constexpr uid_t kInsideId = 1000;
constexpr uid_t kNobody = 65534;
constexpr int kNamespaceFlags =
    CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;

struct Pipe {
  UniqueFd read, write;
};

absl::StatusOr<Pipe> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

bool IsDir(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}
std::optional<std::string> SymlinkValue(const std::string& path) {
  char buf[4096];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(buf)) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

bool WriteProcFile(pid_t pid, const char* name, const std::string& value) {
  UniqueFd fd(::open(absl::StrCat("/proc/", pid, "/", name).c_str(), O_WRONLY | O_CLOEXEC));
  return fd.valid() && ::write(fd.get(), value.data(), value.size()) == static_cast<ssize_t>(value.size());
}

// The steps that build the sandbox's root (see sandbox.h for the resulting view).
std::vector<MountStep> RootSteps(const SandboxPolicy& policy) {
  const std::string r = kNewRoot;
  std::vector<MountStep> steps;
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    if (std::optional<std::string> link = SymlinkValue(dir)) {  // merged /usr: /bin -> usr/bin
      steps.push_back({MountStep::kSymlink, r + dir, *link, ""});
    } else if (IsDir(dir)) {
      steps.push_back({MountStep::kBindReadOnly, r + dir, dir, ""});
    }
  }
  // A minimal /etc: what the dynamic loader and interpreters read, nothing of the host's config.
  steps.push_back({MountStep::kMkdir, r + "/etc", "", ""});
  steps.push_back({MountStep::kWriteFile, r + "/etc/passwd", "sandbox:x:1000:1000:sandbox:/work:/bin/sh\n", ""});
  steps.push_back({MountStep::kWriteFile, r + "/etc/group", "sandbox:x:1000:\n", ""});
  steps.push_back({MountStep::kWriteFile, r + "/etc/hostname", "sandbox\n", ""});
  for (const char* f : {"/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"}) {
    if (Exists(f)) steps.push_back({MountStep::kBindReadOnly, r + f, f, ""});
  }
  steps.push_back({MountStep::kTmpfs, r + "/dev", "", "mode=0755,size=65536"});
  for (const char* d : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}) {
    if (Exists(d)) steps.push_back({MountStep::kBindDevice, r + d, d, ""});
  }
  steps.push_back({MountStep::kSymlink, r + "/dev/fd", "/proc/self/fd", ""});
  steps.push_back({MountStep::kSymlink, r + "/dev/stdin", "/proc/self/fd/0", ""});
  steps.push_back({MountStep::kSymlink, r + "/dev/stdout", "/proc/self/fd/1", ""});
  steps.push_back({MountStep::kSymlink, r + "/dev/stderr", "/proc/self/fd/2", ""});
  steps.push_back({MountStep::kProc, r + "/proc", "", ""});
  const std::string size = absl::StrCat(",size=", policy.limits.work_dir_bytes);
  steps.push_back({MountStep::kTmpfs, r + kWorkDir, "", absl::StrCat("mode=0755,uid=", kInsideId, ",gid=", kInsideId, size)});
  steps.push_back({MountStep::kTmpfs, r + "/tmp", "", "mode=1777" + size});
  if (!policy.program_name.empty()) {
    steps.push_back({MountStep::kWriteFile, absl::StrCat(r, kWorkDir, "/", policy.program_name), policy.program_bytes, ""});
  }
  return steps;
}

rlimit Limit(int64_t soft, int64_t hard) { return rlimit{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)}; }

std::vector<std::pair<int, rlimit>> Rlimits(const SandboxLimits& l, const CgroupLimits& cgroup) {
  const int64_t timeout_s = (l.timeout.count() + 999) / 1000;
  const int64_t cpu = l.cpu_seconds > 0 ? l.cpu_seconds : timeout_s + 1;
  // With a memory cgroup the tree's real memory is capped there (and an overrun is reported as
  // "memory_limit"); RLIMIT_AS then only stops one process from mapping far beyond it. Without
  // one, RLIMIT_AS is the limit itself.
  const int64_t as = cgroup.has_memory() ? 2 * l.memory_bytes + (256LL << 20) : l.memory_bytes;
  // Likewise pids.max should be the limit that trips (pids.events counts it); +1 for our init.
  const int64_t nproc = cgroup.has_pids() ? l.max_processes + 2 : l.max_processes;
  return {{RLIMIT_CPU, Limit(cpu, cpu + 1)},
          {RLIMIT_AS, Limit(as, as)},
          {RLIMIT_FSIZE, Limit(l.max_file_bytes, l.max_file_bytes)},
          {RLIMIT_NOFILE, Limit(l.max_open_files, l.max_open_files)},
          {RLIMIT_NPROC, Limit(nproc, nproc)},
          {RLIMIT_CORE, Limit(0, 0)}};
}

absl::Status NamespaceError(int err) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the kernel refused to create the sandbox's namespaces (clone: ", std::strerror(err),
      "); the sandbox never runs code without them. Allow unprivileged user namespaces "
      "(sysctl user.max_user_namespaces=15000; on Debian also kernel.unprivileged_userns_clone=1; "
      "inside a container, run it with seccomp/AppArmor profiles that permit unshare)"));
}

std::string SignalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? absl::StrCat("SIG", abbrev) : absl::StrCat("signal ", sig);
}

}  // namespace

absl::StatusOr<SandboxResult> Sandbox::Run(const SandboxPolicy& policy) {
  if (policy.argv.empty() || policy.argv[0].empty() || policy.argv[0][0] != '/') {
    return absl::InvalidArgumentError("sandbox policy: argv[0] must be an absolute path inside the sandbox");
  }
  if (policy.limits.timeout.count() <= 0 || policy.limits.memory_bytes <= 0 || policy.limits.max_processes <= 0) {
    return absl::InvalidArgumentError("sandbox policy: timeout, memory and process limits must be positive");
  }
  absl::StatusOr<SeccompFilter> seccomp = SeccompFilter::Build();
  if (!seccomp.ok()) return seccomp.status();
  absl::StatusOr<Pipe> out = MakePipe(), err = MakePipe(), report = MakePipe(), go = MakePipe();
  for (const auto* p : {&out, &err, &report, &go}) {
    if (!p->ok()) return p->status();
  }
  // +1: the sandbox's own init is a process in the group too.
  CgroupLimits cgroup = CgroupLimits::Create(policy.limits.memory_bytes, policy.limits.max_processes + 1);

  const bool root = ::geteuid() == 0;
  InitPlan plan;
  plan.go_fd = go->read.get();
  plan.report_fd = report->write.get();
  plan.stdout_fd = out->write.get();
  plan.stderr_fd = err->write.get();
  plan.close_fds = {go->write.get(), report->read.get(), out->read.get(), err->read.get()};
  plan.new_root = kNewRoot;
  plan.new_root_options = "mode=0755,size=1048576";
  plan.steps = RootSteps(policy);
  plan.work_dir = kWorkDir;
  plan.uid = kInsideId;
  plan.gid = kInsideId;
  plan.clear_groups = root;
  plan.rlimits = Rlimits(policy.limits, cgroup);
  plan.seccomp = seccomp->program();
  std::vector<std::string> argv = policy.argv, envp = policy.env;
  for (std::string& a : argv) plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);
  for (std::string& e : envp) plan.envp.push_back(e.data());
  plan.envp.push_back(nullptr);

  const Clock::time_point start = Clock::now();
  // A fork-like clone (no new stack): the child continues here, in its new namespaces.
  const long pid_or_error = ::syscall(SYS_clone, kNamespaceFlags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid_or_error < 0) return NamespaceError(errno);
  if (pid_or_error == 0) RunSandboxInit(plan);
  const pid_t pid = static_cast<pid_t>(pid_or_error);
  bool reaped = false;
  int init_status = 0;
  // Whatever happens below, the sandbox does not outlive this call.
  struct Reaper {
    pid_t pid;
    bool* reaped;
    ~Reaper() {
      if (*reaped) return;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{pid, &reaped};

  go->read.Reset();
  report->write.Reset();
  out->write.Reset();
  err->write.Reset();

  // Map the sandbox's uid/gid 1000 to the caller (or to nobody, so that root's files stay
  // closed to it), then let it go on.
  const uid_t outer_uid = root ? kNobody : ::geteuid();
  const gid_t outer_gid = root ? kNobody : ::getegid();
  if ((!root && !WriteProcFile(pid, "setgroups", "deny")) ||
      !WriteProcFile(pid, "uid_map", absl::StrCat(kInsideId, " ", outer_uid, " 1\n")) ||
      !WriteProcFile(pid, "gid_map", absl::StrCat(kInsideId, " ", outer_gid, " 1\n"))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot write the sandbox's uid/gid map (", std::strerror(errno),
        "); user namespaces are restricted on this machine (check user.max_user_namespaces and AppArmor)"));
  }
  if (absl::Status s = cgroup.AddProcess(pid); !s.ok()) return s;
  if (::write(go->write.get(), "g", 1) != 1) return absl::InternalError("cannot start the sandbox (go pipe)");
  go->write.Reset();

  SandboxResult result;
  OutputCapture out_capture(policy.limits.max_stdout_bytes), err_capture(policy.limits.max_stderr_bytes);
  std::string reports;
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  const Clock::time_point deadline = start + policy.limits.timeout;
  std::optional<Clock::time_point> killed_at;
  struct Source {
    UniqueFd* fd;
    OutputCapture* capture;
    std::string* raw;
  } sources[] = {{&out->read, &out_capture, nullptr}, {&err->read, &err_capture, nullptr}, {&report->read, nullptr, &reports}};
  std::vector<char> buf(1 << 16);
  for (;;) {
    if (!reaped) {
      if (::waitpid(pid, &init_status, WNOHANG) == pid) reaped = true;
    }
    const bool open_pipes = out->read.valid() || err->read.valid() || report->read.valid();
    if (reaped && !open_pipes) break;
    const Clock::time_point now = Clock::now();
    if (!killed_at && now >= deadline) {
      result.timed_out = true;
      killed_at = now;
      ::kill(pid, SIGKILL);  // PID 1 of the namespace: the kernel kills the rest
      cgroup.KillAll();
    }
    // Every process in the namespace is dead once its init is reaped, so the pipes close at
    // once; the bound only guards against a kernel that does otherwise.
    if (killed_at && now - *killed_at > std::chrono::seconds(5)) break;
    pollfd fds[4];
    int n = 0;
    Source* polled[3];
    for (Source& s : sources) {
      if (!s.fd->valid()) continue;
      polled[n] = &s;
      fds[n++] = {s.fd->get(), POLLIN, 0};
    }
    const int pidfd_slot = (!reaped && pidfd.valid()) ? n : -1;
    if (pidfd_slot >= 0) fds[n++] = {pidfd.get(), POLLIN, 0};
    auto wait = killed_at ? std::chrono::milliseconds(50)
                          : std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) + std::chrono::milliseconds(1);
    if (!pidfd.valid() || (!open_pipes && !reaped)) wait = std::min(wait, std::chrono::milliseconds(10));
    const int ready = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
    for (int i = 0; i < n && ready > 0; ++i) {
      if (i == pidfd_slot || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf.data(), buf.size());
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        polled[i]->fd->Reset();
        continue;
      }
      if (polled[i]->capture) polled[i]->capture->Append(absl::string_view(buf.data(), static_cast<size_t>(got)));
      if (polled[i]->raw) polled[i]->raw->append(buf.data(), static_cast<size_t>(got));
    }
  }
  if (!reaped) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &init_status, 0);
    reaped = true;
  }
  result.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();

  std::optional<int> program_status;
  for (size_t off = 0; off + sizeof(InitReport) <= reports.size(); off += sizeof(InitReport)) {
    InitReport r;
    std::memcpy(&r, reports.data() + off, sizeof(r));
    if (r.stage == InitStage::kDone) {
      program_status = r.wait_status;
      continue;
    }
    if (r.stage == InitStage::kExec && r.error == ENOENT) {
      return absl::NotFoundError(absl::StrCat("sandbox: ", policy.argv[0],
                                              " does not exist inside the sandbox (only /usr, /bin, /lib* are visible)"));
    }
    return absl::InternalError(absl::StrCat("sandbox setup failed at '", InitStageName(r.stage), "': ",
                                            std::strerror(r.error), "; the program did not run"));
  }
  if (!program_status && !result.timed_out && !(WIFSIGNALED(init_status) && WTERMSIG(init_status) == SIGKILL)) {
    return absl::InternalError("sandbox: its init exited without reporting the program's status");
  }
  // No status: the init itself was killed (timeout, or the OOM killer), and the program with it.
  const int status = program_status.value_or(SIGKILL);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  if (cgroup.MemoryLimitHit()) result.limits_hit.push_back("memory");
  if (cgroup.PidsLimitHit()) result.limits_hit.push_back("pids");
  if (result.timed_out) {
    result.killed = true;
    result.kill_reason = "timeout";
  } else if (result.signal == SIGKILL && cgroup.MemoryLimitHit()) {
    result.killed = true;
    result.kill_reason = "memory_limit";
  } else if (result.signal == SIGXCPU) {
    result.killed = true;
    result.kill_reason = "cpu_limit";
  } else if (result.signal == SIGXFSZ) {
    result.killed = true;
    result.kill_reason = "file_size_limit";
  } else if (result.signal != 0) {
    result.killed = true;
    result.kill_reason = absl::StrCat("signal ", SignalName(result.signal));
  }
  result.stdout_total = out_capture.total();
  result.stderr_total = err_capture.total();
  result.truncated = out_capture.truncated() || err_capture.truncated();
  result.stdout_bytes = out_capture.TakeKept();
  result.stderr_bytes = err_capture.TakeKept();
  result.protections = {"user_namespace", "network_namespace", "mount_namespace", "pid_namespace",
                        "ipc_namespace",  "uts_namespace",     "cgroup_namespace", "read_only_root",
                        "no_new_privs",   "capabilities_dropped", "seccomp",       "rlimits",
                        "wall_clock_timeout"};
  for (const std::string& c : cgroup.applied()) result.protections.push_back(c);
  return result;
}

}  // namespace switchyard::sandbox
