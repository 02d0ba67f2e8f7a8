#include "sandbox/cgroup_limits.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/read_file.h"

namespace switchyard::sandbox {
namespace {

constexpr char kRoot[] = "/sys/fs/cgroup";

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string ReadAll(const std::string& path) { return ReadFile(path).value_or(""); }

bool WriteValue(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  if (!out) return false;
  out << value;
  out.flush();
  return static_cast<bool>(out);
}

// "key N" lines (memory.events, pids.events, memory.oom_control): the value of `key`, or 0.
int64_t Counter(const std::string& path, absl::string_view key) {
  for (absl::string_view line : absl::StrSplit(ReadAll(path), '\n')) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    int64_t n = 0;
    if (kv.first == key && absl::SimpleAtoi(kv.second, &n)) return n;
  }
  return 0;
}

// Our own cgroup path for a v1 controller ("memory") or v2 (""), from /proc/self/cgroup.
std::string OwnPath(absl::string_view controller) {
  for (absl::string_view line : absl::StrSplit(ReadAll("/proc/self/cgroup"), '\n')) {
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (f.size() != 3) continue;
    if (controller.empty() ? f[0] == "0" && f[1].empty()
                           : absl::c_linear_search(std::vector<absl::string_view>(absl::StrSplit(f[1], ',')),
                                                   controller)) {
      return std::string(absl::StripSuffix(f[2], "/"));
    }
  }
  return "";
}

std::string UniqueName() {
  static std::atomic<int> counter{0};
  return absl::StrCat("switchyard-sandbox-", ::getpid(), "-", counter.fetch_add(1));
}

// A fresh directory under our own group in `hierarchy` (falling back to the hierarchy's root when
// our path is not visible, as inside a cgroup namespace). Empty if we may not create one.
std::string MakeGroup(const std::string& hierarchy, const std::string& own) {
  std::string parent = hierarchy + own;
  if (!Exists(parent)) parent = hierarchy;
  std::string dir = absl::StrCat(parent, "/", UniqueName());
  if (::mkdir(dir.c_str(), 0755) != 0) return "";
  return dir;
}

void KillProcsIn(const std::string& dir) {
  for (absl::string_view line : absl::StrSplit(ReadAll(dir + "/cgroup.procs"), '\n', absl::SkipEmpty())) {
    int pid = 0;
    if (absl::SimpleAtoi(line, &pid) && pid > 1) ::kill(pid, SIGKILL);
  }
}

}  // namespace

CgroupLimits CgroupLimits::Create(int64_t memory_bytes, int64_t max_processes) {
  CgroupLimits g;
  const std::string root = kRoot;
  if (Exists(root + "/cgroup.controllers")) {
    std::string dir = MakeGroup(root, OwnPath(""));
    if (dir.empty()) return g;
    g.version_ = 2;
    g.created_.push_back(dir);
    auto has = [&](absl::string_view c) {
      return absl::StrContains(ReadAll(dir + "/cgroup.controllers"), c);
    };
    const std::string parent = dir.substr(0, dir.rfind('/'));
    for (const char* c : {"memory", "pids"}) {
      if (!has(c)) WriteValue(parent + "/cgroup.subtree_control", absl::StrCat("+", c));
    }
    if (has("memory") && WriteValue(dir + "/memory.max", absl::StrCat(memory_bytes))) {
      WriteValue(dir + "/memory.swap.max", "0");  // absent without swap accounting; fine
      g.memory_dir_ = dir;
    }
    if (has("pids") && WriteValue(dir + "/pids.max", absl::StrCat(max_processes))) g.pids_dir_ = dir;
    return g;
  }
  if (Exists(root + "/memory/memory.limit_in_bytes")) {
    std::string dir = MakeGroup(root + "/memory", OwnPath("memory"));
    if (!dir.empty()) {
      g.created_.push_back(dir);
      if (WriteValue(dir + "/memory.limit_in_bytes", absl::StrCat(memory_bytes))) {
        // Without this the tree could spill into swap past the limit (absent without swap accounting).
        WriteValue(dir + "/memory.memsw.limit_in_bytes", absl::StrCat(memory_bytes));
        g.memory_dir_ = dir;
        g.version_ = 1;
      }
    }
  }
  if (Exists(root + "/pids/cgroup.procs")) {
    std::string dir = MakeGroup(root + "/pids", OwnPath("pids"));
    if (!dir.empty()) {
      g.created_.push_back(dir);
      if (WriteValue(dir + "/pids.max", absl::StrCat(max_processes))) {
        g.pids_dir_ = dir;
        g.version_ = 1;
      }
    }
  }
  return g;
}

CgroupLimits::CgroupLimits(CgroupLimits&& o) noexcept
    : version_(o.version_),
      memory_dir_(std::move(o.memory_dir_)),
      pids_dir_(std::move(o.pids_dir_)),
      created_(std::move(o.created_)) {
  o.version_ = 0;
  o.memory_dir_.clear();
  o.pids_dir_.clear();
  o.created_.clear();
}

CgroupLimits::~CgroupLimits() {
  for (const std::string& dir : created_) {
    // A group can only be removed once empty; the killed processes need a moment to exit.
    for (int attempt = 0; attempt < 200; ++attempt) {
      KillProcsIn(dir);
      if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

absl::Status CgroupLimits::AddProcess(pid_t pid) {
  for (const std::string& dir : created_) {
    if (dir != memory_dir_ && dir != pids_dir_) continue;
    if (!WriteValue(dir + "/cgroup.procs", absl::StrCat(pid))) {
      return absl::InternalError(absl::StrCat("cannot move the sandbox into cgroup ", dir, ": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

void CgroupLimits::KillAll() {
  for (const std::string& dir : created_) {
    if (version_ != 2 || !WriteValue(dir + "/cgroup.kill", "1")) KillProcsIn(dir);
  }
}

std::vector<std::string> CgroupLimits::applied() const {
  std::vector<std::string> out;
  const std::string v = absl::StrCat("cgroup_v", version_, "_");
  if (has_memory()) out.push_back(v + "memory");
  if (has_pids()) out.push_back(v + "pids");
  return out;
}

bool CgroupLimits::MemoryLimitHit() const {
  if (!has_memory()) return false;
  if (version_ == 2) return Counter(memory_dir_ + "/memory.events", "oom_kill") > 0;
  return Counter(memory_dir_ + "/memory.oom_control", "oom_kill") > 0;
}

bool CgroupLimits::PidsLimitHit() const {
  return has_pids() && Counter(pids_dir_ + "/pids.events", "max") > 0;
}

}  // namespace switchyard::sandbox
