#include "sandbox/seccomp_filter.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/unique_fd.h"

namespace switchyard::sandbox {
namespace {

// Each one either leaves the sandbox (namespaces, mounts, tracing another process), changes the
// machine (modules, kexec, clock, swap, reboot), or opens a large kernel surface that a script
// has no use for (bpf, keyrings, perf, userfaultfd, io_uring, the new mount API).
constexpr const char* kDeniedSyscalls[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "kexec_load", "kexec_file_load", "reboot", "init_module", "finit_module", "delete_module",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "swapon", "swapoff", "acct", "quotactl", "syslog", "iopl", "ioperm", "uselib",
    "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "sethostname", "setdomainname",
    "open_by_handle_at", "name_to_handle_at", "lookup_dcookie", "fanotify_init", "vhangup",
    "mbind", "migrate_pages", "move_pages",
};

// Namespace flags that clone(2) may not carry: a new namespace is a way around this filter's
// siblings (a new user namespace regains capabilities).
constexpr uint64_t kCloneNamespaceFlags[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWNET,   CLONE_NEWPID,
                                              CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP};

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

absl::Status Check(int rc, absl::string_view what) {
  if (rc == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("seccomp: ", what, ": ", std::strerror(-rc)));
}

}  // namespace

std::vector<std::string> SeccompFilter::DeniedSyscalls() {
  std::vector<std::string> out(std::begin(kDeniedSyscalls), std::end(kDeniedSyscalls));
  out.push_back("clone with namespace flags");
  out.push_back("clone3 (ENOSYS)");
  return out;
}

absl::StatusOr<SeccompFilter> SeccompFilter::Build() {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return absl::InternalError("seccomp: seccomp_init failed");
  // The default bad-architecture action is KILL; keep it so i386/x32 entry points are closed.
  for (const char* name : kDeniedSyscalls) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture (e.g. iopl on arm64)
    if (absl::Status s = Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), nr, 0), name); !s.ok()) return s;
  }
  for (uint64_t flag : kCloneNamespaceFlags) {
    if (absl::Status s = Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                                SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
                               "clone");
        !s.ok()) {
      return s;
    }
  }
  if (const int nr = seccomp_syscall_resolve_name("clone3"); nr != __NR_SCMP_ERROR) {
    if (absl::Status s = Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), nr, 0), "clone3"); !s.ok()) {
      return s;
    }
  }
  // libseccomp 2.5 (Debian 12) exports only to a file descriptor; read the program back.
  UniqueFd mem(memfd_create("switchyard-seccomp", MFD_CLOEXEC));
  if (!mem.valid()) return absl::InternalError(absl::StrCat("seccomp: memfd_create: ", std::strerror(errno)));
  if (absl::Status s = Check(seccomp_export_bpf(ctx.get(), mem.get()), "seccomp_export_bpf"); !s.ok()) return s;
  const off_t size = lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    return absl::InternalError("seccomp: exported filter has an unexpected size");
  }
  std::vector<sock_filter> code(static_cast<size_t>(size) / sizeof(sock_filter));
  if (pread(mem.get(), code.data(), static_cast<size_t>(size), 0) != size) {
    return absl::InternalError(absl::StrCat("seccomp: reading the exported filter: ", std::strerror(errno)));
  }
  return SeccompFilter(std::move(code));
}

}  // namespace switchyard::sandbox
