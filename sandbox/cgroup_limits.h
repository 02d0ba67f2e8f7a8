// CgroupLimits: a private cgroup for one sandboxed run, where the machine lets us make one.
// Holds the memory and process limits for the whole tree (rlimits are per process), counts what
// the tree ran into, and kills whatever is left when the run ends.
//
// Detection: cgroup v2 when /sys/fs/cgroup/cgroup.controllers exists (a child of our own cgroup,
// memory.max / pids.max, if the parent delegates those controllers); otherwise cgroup v1's
// memory and pids hierarchies (memory.limit_in_bytes, pids.max), each independently. A
// controller we cannot write to (not root, no delegation) is simply not applied; applied()
// says which were, and the caller reports it. Rlimits remain in force either way.
//
// Touches: creates and removes one directory per controller under /sys/fs/cgroup.
#ifndef SWITCHYARD_SANDBOX_CGROUP_LIMITS_H_
#define SWITCHYARD_SANDBOX_CGROUP_LIMITS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace switchyard::sandbox {

class CgroupLimits {
 public:
  // Best effort: never fails; what could not be set up is absent from applied().
  static CgroupLimits Create(int64_t memory_bytes, int64_t max_processes);
  ~CgroupLimits();  // KillAll, then removes the directories
  CgroupLimits(CgroupLimits&&) noexcept;
  CgroupLimits& operator=(CgroupLimits&&) = delete;
  CgroupLimits(const CgroupLimits&) = delete;
  CgroupLimits& operator=(const CgroupLimits&) = delete;

  // Moves `pid` (and so all its future children) into every group. Internal on failure.
  absl::Status AddProcess(pid_t pid);
  // SIGKILL to every process still in the groups.
  void KillAll();
  // "cgroup_v2_memory", "cgroup_v1_pids", ...
  std::vector<std::string> applied() const;
  bool has_memory() const { return !memory_dir_.empty(); }
  bool has_pids() const { return !pids_dir_.empty(); }
  // The kernel's OOM killer acted in the memory group / a fork was refused by pids.max.
  bool MemoryLimitHit() const;
  bool PidsLimitHit() const;

 private:
  CgroupLimits() = default;
  int version_ = 0;         // 1 or 2; 0: none
  std::string memory_dir_;  // empty: not applied
  std::string pids_dir_;    // on v2 the same directory as memory_dir_ when both apply
  std::vector<std::string> created_;
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_CGROUP_LIMITS_H_
