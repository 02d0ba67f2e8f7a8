// Escape attempts against Sandbox::Run (issue #7, section 5). Each asserts the exact outcome.
#include "sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sandbox/output_capture.h"
#include "sandbox/script_language.h"
#include "sandbox/seccomp_filter.h"
#include "tests/support/test_paths.h"

namespace switchyard::sandbox {
namespace {

using std::chrono::milliseconds;

SandboxLimits SmallLimits() {
  SandboxLimits l;
  l.timeout = milliseconds(5000);
  l.memory_bytes = 128LL << 20;
  l.max_processes = 32;
  return l;
}

SandboxResult RunPython(const std::string& source, SandboxLimits limits = SmallLimits()) {
  absl::StatusOr<SandboxResult> r = Sandbox::Run(ScriptPolicy(ScriptLanguage::kPython, source, limits));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SandboxResult{};
}

SandboxResult RunBash(const std::string& source, SandboxLimits limits = SmallLimits()) {
  absl::StatusOr<SandboxResult> r = Sandbox::Run(ScriptPolicy(ScriptLanguage::kBash, source, limits));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SandboxResult{};
}

bool Has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Processes on the host whose command line contains `marker`.
int CountHostProcesses(const std::string& marker) {
  int n = 0;
  DIR* d = opendir("/proc");
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string cmdline = testing::Slurp(absl::StrCat("/proc/", e->d_name, "/cmdline"));
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) != std::string::npos) ++n;
  }
  closedir(d);
  return n;
}

TEST(SandboxTest, RunsAProgramAndCapturesBothStreams) {
  SandboxResult r = RunPython("import os, sys\nprint('out', os.getuid(), os.getcwd())\nsys.stderr.write('err')\nsys.exit(3)\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stdout_bytes, "out 1000 /work\n");
  EXPECT_EQ(r.stderr_bytes, "err");
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.killed);
  EXPECT_FALSE(r.truncated);
  for (const char* p : {"user_namespace", "network_namespace", "mount_namespace", "pid_namespace", "seccomp",
                        "no_new_privs", "rlimits"}) {
    EXPECT_TRUE(Has(r.protections, p)) << p;
  }
}

TEST(SandboxTest, NetworkConnectFailsWithNetworkUnreachable) {
  SandboxResult r = RunPython(
      "import socket, sys\n"
      "for host in ('1.1.1.1', '127.0.0.1'):\n"
      "  s = socket.socket()\n"
      "  try:\n"
      "    s.connect((host, 80)); print(host, 'connected')\n"
      "  except OSError as e:\n"
      "    print(host, e.errno)\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, absl::StrCat("1.1.1.1 ", ENETUNREACH, "\n127.0.0.1 ", ENETUNREACH, "\n"));
}

TEST(SandboxTest, WritingOutsideTheWorkDirectoryFails) {
  testing::ScratchDir scratch;
  const std::string host_file = scratch.File("escaped");
  SandboxResult r = RunBash(absl::StrCat(
      "for f in /usr/escaped /etc/escaped /escaped ", host_file, "; do\n"
      "  if echo x > \"$f\"; then echo \"$f written\"; else echo \"$f refused\"; fi\n"
      "done 2>/dev/null\n"
      "echo x > /work/ok && echo work written\n"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, absl::StrCat("/usr/escaped refused\n/etc/escaped refused\n/escaped refused\n", host_file,
                                         " refused\nwork written\n"));
  struct stat st;
  EXPECT_NE(::stat(host_file.c_str(), &st), 0);
  EXPECT_NE(::stat("/usr/escaped", &st), 0);
}

TEST(SandboxTest, ShadowAndTheRoutersOwnFilesAreNotVisible) {
  const std::string own_source = testing::SourceDir() + "/CMakeLists.txt";
  const std::string own_binary = testing::BinDir() + "/switchyard";
  SandboxResult r = RunPython(absl::StrCat(
      "for p in ('/etc/shadow', '", own_source, "', '", own_binary, "', '/proc/1/root/etc/shadow'):\n"
      "  try:\n"
      "    open(p, 'rb').read(1); print(p, 'read')\n"
      "  except OSError as e:\n"
      "    print(p, e.errno)\n"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  // /proc/1 is the sandbox's own init, whose root is the sandbox's root.
  EXPECT_EQ(r.stdout_bytes, absl::StrCat("/etc/shadow ", ENOENT, "\n", own_source, " ", ENOENT, "\n", own_binary, " ",
                                         ENOENT, "\n/proc/1/root/etc/shadow ", EACCES, "\n"));
}

TEST(SandboxTest, PtraceIsDenied) {
  SandboxResult r = RunPython(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print(libc.ptrace(0, 0, 0, 0), ctypes.get_errno())\n");  // PTRACE_TRACEME
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, absl::StrCat("-1 ", EPERM, "\n"));
}

TEST(SandboxTest, NewNamespacesAndMountsAreDenied) {
  SandboxResult r = RunPython(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print(libc.unshare(0x10000000), ctypes.get_errno())\n"  // CLONE_NEWUSER
      "print(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None), ctypes.get_errno())\n");
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, absl::StrCat("-1 ", EPERM, "\n-1 ", EPERM, "\n"));
}

TEST(SandboxTest, InfiniteLoopTimesOutOnTime) {
  SandboxLimits l = SmallLimits();
  l.timeout = milliseconds(1000);
  SandboxResult r = RunPython("while True:\n  pass\n", l);
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.killed);
  EXPECT_EQ(r.kill_reason, "timeout");
  EXPECT_EQ(r.signal, 9);
  EXPECT_EQ(r.exit_code, 137);
  EXPECT_GE(r.wall_ms, 1000);
  EXPECT_LT(r.wall_ms, 1500);
}

TEST(SandboxTest, ForkBombIsContainedAndLeavesNothing) {
  SandboxLimits l = SmallLimits();
  l.timeout = milliseconds(1500);
  const std::string marker = absl::StrCat("sbxforkbomb", ::getpid());
  // Every process forks for ever and retries when refused, so all of them stay alive.
  SandboxResult r = RunBash(absl::StrCat("exec -a ", marker,
                                         " python3 -c 'import os, time\nwhile True:\n  try: os.fork()\n"
                                         "  except OSError: time.sleep(0.01)\n'\n"),
                            l);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.kill_reason, "timeout");
  EXPECT_LT(r.wall_ms, 2000);
  if (Has(r.protections, "cgroup_v1_pids") || Has(r.protections, "cgroup_v2_pids")) {
    EXPECT_TRUE(Has(r.limits_hit, "pids"));
  }
  EXPECT_EQ(CountHostProcesses(marker), 0);
}

TEST(SandboxTest, MemoryBombIsKilledWithReason) {
  SandboxResult r = RunPython("chunks = []\nwhile True:\n  chunks.append(b'x' * (8 << 20))\n");
  EXPECT_FALSE(r.timed_out);
  if (Has(r.protections, "cgroup_v1_memory") || Has(r.protections, "cgroup_v2_memory")) {
    EXPECT_TRUE(r.killed);
    EXPECT_EQ(r.kill_reason, "memory_limit");
    EXPECT_EQ(r.signal, 9);
    EXPECT_TRUE(Has(r.limits_hit, "memory"));
  } else {  // only RLIMIT_AS: the allocation fails inside the program
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.stderr_bytes.find("MemoryError"), std::string::npos) << r.stderr_bytes;
  }
}

TEST(SandboxTest, ChildrenLeftRunningAreKilledWhenTheProgramExits) {
  const std::string marker = absl::StrCat("sbxleftover", ::getpid());
  SandboxResult r = RunBash(absl::StrCat("(exec -a ", marker, " sleep 30) &\nsetsid bash -c 'exec -a ", marker,
                                         " sleep 30' &\nsleep 0.2\necho started\n"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, "started\n");
  EXPECT_FALSE(r.timed_out);
  EXPECT_LT(r.wall_ms, 2000);
  EXPECT_EQ(CountHostProcesses(marker), 0);
}

TEST(SandboxTest, HugeOutputIsTruncatedAtTheCap) {
  SandboxLimits l = SmallLimits();
  l.max_stdout_bytes = 65536;
  l.max_stderr_bytes = 100;
  SandboxResult r = RunPython("import sys\nsys.stdout.write('x' * 10_000_000)\nsys.stderr.write('e' * 1000)\n", l);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.stdout_bytes, std::string(65536, 'x'));
  EXPECT_EQ(r.stdout_total, 10'000'000);
  EXPECT_EQ(r.stderr_bytes, std::string(100, 'e'));
  EXPECT_EQ(r.stderr_total, 1000);
}

TEST(SandboxTest, FileSizeLimitKillsTheWriter) {
  SandboxLimits l = SmallLimits();
  l.max_file_bytes = 1 << 20;
  SandboxResult r = RunBash("exec head -c 2000000 /dev/zero > /work/big\n", l);
  EXPECT_TRUE(r.killed);
  EXPECT_EQ(r.kill_reason, "file_size_limit");
}

TEST(SandboxTest, MissingInterpreterIsNotFound) {
  SandboxPolicy p;
  p.argv = {"/nonexistent/interpreter"};
  absl::StatusOr<SandboxResult> r = Sandbox::Run(p);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
}

TEST(SandboxTest, RelativeProgramIsInvalid) {
  SandboxPolicy p;
  p.argv = {"python3"};
  EXPECT_EQ(Sandbox::Run(p).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OutputCaptureTest, KeepsExactlyTheCap) {
  OutputCapture c(5);
  c.Append("abc");
  c.Append("defg");
  EXPECT_EQ(c.kept(), "abcde");
  EXPECT_EQ(c.total(), 7);
  EXPECT_TRUE(c.truncated());
}

TEST(SeccompFilterTest, BuildsAndListsPtrace) {
  absl::StatusOr<SeccompFilter> f = SeccompFilter::Build();
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_GT(f->program()->len, 10);
  EXPECT_TRUE(Has(SeccompFilter::DeniedSyscalls(), "ptrace"));
}

TEST(ScriptLanguageTest, ParsesAndGuesses) {
  EXPECT_EQ(*ParseScriptLanguage("bash"), ScriptLanguage::kBash);
  EXPECT_FALSE(ParseScriptLanguage("ruby").ok());
  EXPECT_EQ(*GuessScriptLanguage("a/b.py"), ScriptLanguage::kPython);
  EXPECT_FALSE(GuessScriptLanguage("a/b.txt").ok());
}

}  // namespace
}  // namespace switchyard::sandbox
