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
#include <string>
#include <utility>
#include <vector>

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

absl::Status CheckPolicy(const SandboxPolicy& policy) {
  if (policy.argv.empty() || policy.argv[0].empty() || policy.argv[0][0] != '/') {
    return absl::InvalidArgumentError("sandbox policy: argv[0] must be an absolute path inside the sandbox");
  }
  if (policy.limits.timeout.count() <= 0 || policy.limits.memory_bytes <= 0 || policy.limits.max_processes <= 0) {
    return absl::InvalidArgumentError("sandbox policy: timeout, memory and process limits must be positive");
  }
  return absl::OkStatus();
}

// The pipes between the parent and the sandbox.
struct SandboxPipes {
  Pipe out, err;  // the program's stdout and stderr
  Pipe report;    // InitReports from the sandbox's init
  Pipe go;        // one byte from the parent once the uid/gid maps and cgroups are in place
};

absl::StatusOr<SandboxPipes> MakePipes() {
  absl::StatusOr<Pipe> out = MakePipe(), err = MakePipe(), report = MakePipe(), go = MakePipe();
  for (const auto* p : {&out, &err, &report, &go}) {
    if (!p->ok()) return p->status();
  }
  return SandboxPipes{*std::move(out), *std::move(err), *std::move(report), *std::move(go)};
}

// The strings InitPlan::argv and envp point into: the caller keeps them until the clone.
struct ProgramArgs {
  std::vector<std::string> argv, envp;
};

// Everything the sandbox's init needs, prepared here because the init may not allocate.
InitPlan MakeInitPlan(const SandboxPolicy& policy, const SandboxPipes& pipes, const CgroupLimits& cgroup,
                      const SeccompFilter& seccomp, bool root, ProgramArgs& args) {
  InitPlan plan;
  plan.go_fd = pipes.go.read.get();
  plan.report_fd = pipes.report.write.get();
  plan.stdout_fd = pipes.out.write.get();
  plan.stderr_fd = pipes.err.write.get();
  plan.close_fds = {pipes.go.write.get(), pipes.report.read.get(), pipes.out.read.get(), pipes.err.read.get()};
  plan.new_root = kNewRoot;
  plan.new_root_options = "mode=0755,size=1048576";
  plan.steps = RootSteps(policy);
  plan.work_dir = kWorkDir;
  plan.uid = kInsideId;
  plan.gid = kInsideId;
  plan.clear_groups = root;
  plan.rlimits = Rlimits(policy.limits, cgroup);
  plan.seccomp = seccomp.program();
  for (std::string& a : args.argv) plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);
  for (std::string& e : args.envp) plan.envp.push_back(e.data());
  plan.envp.push_back(nullptr);
  return plan;
}

// The sandbox's init (PID 1 of its namespace) as the parent sees it. Whatever happens, the
// sandbox does not outlive this object: an init not yet reaped is killed and reaped here.
class InitProcess {
 public:
  explicit InitProcess(pid_t pid) : pid_(pid) {}
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;
  ~InitProcess() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  pid_t pid() const { return pid_; }
  bool reaped() const { return reaped_; }
  int wait_status() const { return wait_status_; }  // once reaped

  // Reaps the init if it has exited; never blocks.
  void TryReap() {
    if (!reaped_ && ::waitpid(pid_, &wait_status_, WNOHANG) == pid_) reaped_ = true;
  }
  // Kills (if need be) and reaps the init.
  void KillAndReap() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &wait_status_, 0);
    reaped_ = true;
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
  int wait_status_ = 0;
};

// Maps the sandbox's uid/gid 1000 to the caller (or to nobody, so that root's files stay closed
// to it), puts the init into the cgroup, then lets it go on.
absl::Status MapIdsAndStart(pid_t pid, bool root, CgroupLimits& cgroup, Pipe& go) {
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
  if (::write(go.write.get(), "g", 1) != 1) return absl::InternalError("cannot start the sandbox (go pipe)");
  go.write.Reset();
  return absl::OkStatus();
}

// What the parent reads while the sandbox runs.
struct Collected {
  explicit Collected(const SandboxLimits& l) : out(l.max_stdout_bytes), err(l.max_stderr_bytes) {}
  OutputCapture out, err;
  std::string reports;  // InitReport records, back to back
  bool timed_out = false;
};

// Reads the program's output and the init's reports until the init is reaped and every pipe is
// closed, killing the sandbox at `deadline`. Returns with the init reaped, except on a poll error.
absl::Status CollectUntilExit(InitProcess& init, SandboxPipes& pipes, CgroupLimits& cgroup, Clock::time_point deadline,
                              Collected* c) {
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, init.pid(), 0)));
  std::optional<Clock::time_point> killed_at;
  struct Source {
    UniqueFd* fd;
    OutputCapture* capture;
    std::string* raw;
  } sources[] = {{&pipes.out.read, &c->out, nullptr}, {&pipes.err.read, &c->err, nullptr}, {&pipes.report.read, nullptr, &c->reports}};
  std::vector<char> buf(1 << 16);
  for (;;) {
    init.TryReap();
    const bool open_pipes = pipes.out.read.valid() || pipes.err.read.valid() || pipes.report.read.valid();
    if (init.reaped() && !open_pipes) break;
    const Clock::time_point now = Clock::now();
    if (!killed_at && now >= deadline) {
      c->timed_out = true;
      killed_at = now;
      ::kill(init.pid(), SIGKILL);  // PID 1 of the namespace: the kernel kills the rest
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
    const int pidfd_slot = (!init.reaped() && pidfd.valid()) ? n : -1;
    if (pidfd_slot >= 0) fds[n++] = {pidfd.get(), POLLIN, 0};
    auto wait = killed_at ? std::chrono::milliseconds(50)
                          : std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) + std::chrono::milliseconds(1);
    if (!pidfd.valid() || (!open_pipes && !init.reaped())) wait = std::min(wait, std::chrono::milliseconds(10));
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
  init.KillAndReap();
  return absl::OkStatus();
}

// The program's wait status from the init's reports; nullopt when the init died before it could
// report one. NotFound or Internal when a setup step failed, naming it.
absl::StatusOr<std::optional<int>> ReadInitReports(const std::string& reports, const SandboxPolicy& policy) {
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
  return program_status;
}

// exit_code, signal, limits_hit and why the program was killed, from its wait status.
void RecordExit(int status, const CgroupLimits& cgroup, SandboxResult* result) {
  if (WIFEXITED(status)) {
    result->exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result->signal = WTERMSIG(status);
    result->exit_code = 128 + result->signal;
  }
  if (cgroup.MemoryLimitHit()) result->limits_hit.push_back("memory");
  if (cgroup.PidsLimitHit()) result->limits_hit.push_back("pids");
  if (result->timed_out) {
    result->killed = true;
    result->kill_reason = "timeout";
  } else if (result->signal == SIGKILL && cgroup.MemoryLimitHit()) {
    result->killed = true;
    result->kill_reason = "memory_limit";
  } else if (result->signal == SIGXCPU) {
    result->killed = true;
    result->kill_reason = "cpu_limit";
  } else if (result->signal == SIGXFSZ) {
    result->killed = true;
    result->kill_reason = "file_size_limit";
  } else if (result->signal != 0) {
    result->killed = true;
    result->kill_reason = absl::StrCat("signal ", SignalName(result->signal));
  }
}

// The kept output and its totals, and the protections that were in force.
void RecordOutputAndProtections(Collected& c, const CgroupLimits& cgroup, SandboxResult* result) {
  result->stdout_total = c.out.total();
  result->stderr_total = c.err.total();
  result->truncated = c.out.truncated() || c.err.truncated();
  result->stdout_bytes = c.out.TakeKept();
  result->stderr_bytes = c.err.TakeKept();
  result->protections = {"user_namespace", "network_namespace", "mount_namespace", "pid_namespace",
                         "ipc_namespace",  "uts_namespace",     "cgroup_namespace", "read_only_root",
                         "no_new_privs",   "capabilities_dropped", "seccomp",       "rlimits",
                         "wall_clock_timeout"};
  for (const std::string& name : cgroup.applied()) result->protections.push_back(name);
}

}  // namespace

absl::StatusOr<SandboxResult> Sandbox::Run(const SandboxPolicy& policy) {
  if (absl::Status s = CheckPolicy(policy); !s.ok()) return s;
  absl::StatusOr<SeccompFilter> seccomp = SeccompFilter::Build();
  if (!seccomp.ok()) return seccomp.status();
  absl::StatusOr<SandboxPipes> pipes = MakePipes();
  if (!pipes.ok()) return pipes.status();
  // +1: the sandbox's own init is a process in the group too.
  CgroupLimits cgroup = CgroupLimits::Create(policy.limits.memory_bytes, policy.limits.max_processes + 1);
  const bool root = ::geteuid() == 0;
  ProgramArgs args{policy.argv, policy.env};
  const InitPlan plan = MakeInitPlan(policy, *pipes, cgroup, *seccomp, root, args);

  const Clock::time_point start = Clock::now();
  // A fork-like clone (no new stack): the child continues here, in its new namespaces.
  const long pid_or_error = ::syscall(SYS_clone, kNamespaceFlags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (pid_or_error < 0) return NamespaceError(errno);
  if (pid_or_error == 0) RunSandboxInit(plan);
  InitProcess init(static_cast<pid_t>(pid_or_error));
  pipes->go.read.Reset();
  pipes->report.write.Reset();
  pipes->out.write.Reset();
  pipes->err.write.Reset();
  if (absl::Status s = MapIdsAndStart(init.pid(), root, cgroup, pipes->go); !s.ok()) return s;

  SandboxResult result;
  Collected collected(policy.limits);
  if (absl::Status s = CollectUntilExit(init, *pipes, cgroup, start + policy.limits.timeout, &collected); !s.ok()) return s;
  result.timed_out = collected.timed_out;
  result.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();

  absl::StatusOr<std::optional<int>> program_status = ReadInitReports(collected.reports, policy);
  if (!program_status.ok()) return program_status.status();
  const int init_status = init.wait_status();
  if (!*program_status && !result.timed_out && !(WIFSIGNALED(init_status) && WTERMSIG(init_status) == SIGKILL)) {
    return absl::InternalError("sandbox: its init exited without reporting the program's status");
  }
  // No status: the init itself was killed (timeout, or the OOM killer), and the program with it.
  RecordExit(program_status->value_or(SIGKILL), cgroup, &result);
  RecordOutputAndProtections(collected, cgroup, &result);
  return result;
}

}  // namespace switchyard::sandbox
