// Sandbox: runs one untrusted program and reports what it did (SandboxResult).
//
//   absl::StatusOr<SandboxResult> r = Sandbox::Run(policy);
//
// Protections, all applied to every run (a run never happens with fewer):
//   - namespaces: user (the program runs as uid/gid 1000 inside, mapped to the caller's own uid,
//     or to 65534 "nobody" when the caller is root), network (no interfaces up: every connect
//     fails with ENETUNREACH), mount, PID, IPC, UTS, cgroup;
//   - filesystem: a new tmpfs root holding read-only binds of /usr, /bin, /lib*, /sbin, a
//     minimal /etc (no shadow, no host config), /dev/{null,zero,full,random,urandom}, a /proc of
//     its own PID namespace, and fresh size-limited tmpfs /work (the program's file, cwd) and /tmp;
//   - no_new_privs, an empty capability bounding set, and the SeccompFilter;
//   - rlimits: CPU seconds, address space, file size, open files, processes, no core files;
//   - cgroup memory and pids limits where the machine lets us create a group (CgroupLimits);
//   - a wall-clock timeout that SIGKILLs the sandbox's PID 1, which makes the kernel kill every
//     process in it; the program's exit does the same, so nothing it started outlives it;
//   - stdout and stderr kept up to their caps (OutputCapture).
// SandboxResult::protections lists what was in force, cgroups included.
//
// Failure modes: FailedPrecondition when the kernel refuses the namespaces (the message says
// which sysctl to change); InvalidArgument for a bad policy; Internal when a setup step inside
// the sandbox fails (names the step and errno), or NotFound when argv[0] is not inside it. The
// program's own failure (exit code, signal, timeout) is a successful Run.
//
// Thread safety: Run may be called from several threads at once; each run is independent.
// Touches: forks; creates and removes cgroups under /sys/fs/cgroup; nothing on disk otherwise.
#ifndef SWITCHYARD_SANDBOX_SANDBOX_H_
#define SWITCHYARD_SANDBOX_SANDBOX_H_

#include "absl/status/statusor.h"
#include "sandbox/sandbox_policy.h"
#include "sandbox/sandbox_result.h"

namespace switchyard::sandbox {

class Sandbox {
 public:
  static absl::StatusOr<SandboxResult> Run(const SandboxPolicy& policy);
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SANDBOX_H_
